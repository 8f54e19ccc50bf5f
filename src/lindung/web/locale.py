"""The language of the request being answered, for templates and formatting.

A page's language comes from ``?lang=`` (which is then remembered in a cookie), else that
cookie, else the browser's Accept-Language, else English. The chosen language is held in a
context variable for the length of the request, so the templates' ``_()`` needs no argument.
"""

from __future__ import annotations

from contextvars import ContextVar

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lindung import i18n

LANGUAGES: tuple[str, ...] = i18n.LOCALES
DEFAULT = i18n.DEFAULT_LOCALE
COOKIE = "lindung_lang"

current: ContextVar[str] = ContextVar("lindung_language", default=DEFAULT)


def requested_language(request: Request) -> str | None:
    """Return the language ``?lang=`` asks for, if it is one Lindung speaks."""
    return i18n.supported(request.query_params.get("lang"))


def choose_language(request: Request) -> str:
    """Return the language to answer in: ``?lang=``, the cookie, Accept-Language, English."""
    return i18n.negotiate(
        request.query_params.get("lang"),
        request.cookies.get(COOKIE),
        request.headers.get("accept-language"),
    )


class ChooseLanguage:
    """ASGI middleware: set the request's language; remember an explicit ``?lang=`` choice."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        language = choose_language(request)
        remember = requested_language(request) is not None
        marker = current.set(language)

        async def send_remembering(message: Message) -> None:
            if message["type"] == "http.response.start" and remember:
                cookie = f"{COOKIE}={language}; Path=/; Max-Age=31536000; SameSite=Lax"
                message["headers"] = [*message.get("headers", []), (b"set-cookie", cookie.encode())]
            await send(message)

        try:
            await self.app(scope, receive, send_remembering)
        finally:
            current.reset(marker)
