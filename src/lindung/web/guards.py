"""ASGI middleware that guards every response and request: security headers, body size.

The Content-Security-Policy allows scripts, styles, images and fetches from this site only,
with no 'unsafe-inline' and no 'unsafe-eval': the pages carry no inline script or style, and
Vega evaluates its expressions with ``vega-interpreter`` instead of ``new Function``.
"""

from __future__ import annotations

import json

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lindung.errors import TooLarge
from lindung.text import counted

CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    )
)

SECURITY_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"x-frame-options", b"DENY"),
    (b"referrer-policy", b"same-origin"),
    (b"cross-origin-opener-policy", b"same-origin"),
    (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), payment=()"),
)


class SecurityHeaders:
    """Add the security headers to every HTTP response that does not set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = list(message.get("headers", []))
                present = {name.lower() for name, _ in headers}
                headers.extend(item for item in SECURITY_HEADERS if item[0] not in present)
                message["headers"] = headers
            await send(message)

        await self.app(scope, receive, send_with_headers)


class BodyLimit:
    """Refuse a request body larger than ``limit`` bytes (413) before anything parses it.

    A declared Content-Length over the limit is refused at once; a body sent in chunks is
    counted as it arrives and cut off when it passes the limit.
    """

    def __init__(self, app: ASGIApp, limit: int) -> None:
        self.app = app
        self.limit = limit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope.get("headers", [])).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.limit):
            await self._refuse(scope, receive, send)
            return
        received = 0

        async def counted_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.limit:
                    raise too_large(self.limit)
            return message

        await self.app(scope, counted_receive, send)

    async def _refuse(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 413 without reading the body: JSON on the API, the error page (in the
        visitor's language, ``web.locale`` having chosen it outside) for a page."""
        error = too_large(self.limit)
        if not str(scope.get("path", "")).startswith("/api/"):
            from starlette.requests import Request

            from lindung.web.failures import refusal

            page = refusal(Request(scope), error.code, str(error), error.http_status)
            await page(scope, receive, send)
            return
        from lindung.i18n.labels import explanation
        from lindung.web import locale

        said = explanation(error.code, locale.current.get())
        body = json.dumps(
            {"error": {"code": error.code, "message": str(error), "explanation": said}}
        ).encode()
        await send(
            {
                "type": "http.response.start",
                "status": error.http_status,
                "headers": [
                    (b"content-type", b"application/json"),
                    (b"content-length", str(len(body)).encode()),
                ],
            }
        )
        await send({"type": "http.response.body", "body": body})


def too_large(limit: int) -> TooLarge:
    """Return the error for a request body over ``limit`` bytes, saying how to fix it."""
    megabytes = limit / 1_000_000
    return TooLarge(
        f"the request is larger than {megabytes:.1f} MB ({counted(limit, 'byte')}), the most "
        "this site accepts; send a smaller file (split it, e.g. one file per year)"
    )
