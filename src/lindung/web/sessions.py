"""Who is asking: a browser's session cookie or a machine client's bearer token, and CSRF.

A sign-in in the browser issues a personal token (``ingest.accounts.sign_in``, the same object
as the CLI's login and the API's tokens); the cookie carries it signed, HttpOnly, SameSite=Lax,
and ``Secure`` when served over HTTPS. Signing out revokes the token, so a copied cookie dies
with the session. Machine clients send ``Authorization: Bearer lnd_...`` instead.

Forms and htmx requests that change state carry a CSRF token: a signed random value kept in
its own cookie and repeated in the form field ``csrf_token`` or the ``X-CSRF-Token`` header
(double submit). A bearer-token request needs none: a browser never adds that header by itself.
"""

from __future__ import annotations

import hmac
import secrets

from itsdangerous import BadSignature, URLSafeSerializer
from starlette.requests import Request
from starlette.responses import Response

from lindung.errors import PermissionDenied

SESSION_COOKIE = "lindung_session"
CSRF_COOKIE = "lindung_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def _signer(secret: str, purpose: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt=f"lindung-{purpose}")


def session_token(request: Request, secret: str) -> str | None:
    """Return the token the session cookie carries, or None if absent or not signed by us."""
    raw = request.cookies.get(SESSION_COOKIE)
    if not raw:
        return None
    try:
        token = _signer(secret, "session").loads(raw)
    except BadSignature:
        return None
    return token if isinstance(token, str) else None


def bearer_token(request: Request) -> str | None:
    """Return the token of an ``Authorization: Bearer`` header, or None."""
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not credentials.strip():
        return None
    return credentials.strip()


def set_session(
    response: Response, request: Request, secret: str, token: str, max_age: int
) -> None:
    """Put the signed session cookie on the response."""
    response.set_cookie(
        SESSION_COOKIE,
        _signer(secret, "session").dumps(token),
        max_age=max_age,
        httponly=True,
        samesite="lax",
        secure=request.url.scheme == "https",
        path="/",
    )


def end_session(response: Response) -> None:
    """Remove the session cookie from the browser."""
    response.delete_cookie(SESSION_COOKIE, path="/", httponly=True, samesite="lax")


def csrf_token(request: Request, secret: str) -> str:
    """Return the request's CSRF token: the browser's, if validly signed, else a new one."""
    existing = request.cookies.get(CSRF_COOKIE, "")
    if existing and valid_csrf(existing, secret):
        return existing
    cached: str | None = getattr(request.state, "new_csrf", None)
    if cached is None:
        cached = new_csrf(secret)
        request.state.new_csrf = cached
    return cached


def new_csrf(secret: str) -> str:
    """Return a new CSRF token: a signed random value."""
    return str(_signer(secret, "csrf").dumps(secrets.token_urlsafe(24)))


def remember_csrf(request: Request, response: Response) -> None:
    """Set the CSRF cookie if this request made a new token (a first visit)."""
    new: str | None = getattr(request.state, "new_csrf", None)
    if new is not None:
        response.set_cookie(
            CSRF_COOKIE,
            new,
            httponly=True,
            samesite="lax",
            secure=request.url.scheme == "https",
            path="/",
        )


def valid_csrf(value: str, secret: str) -> bool:
    """Return whether ``value`` is a CSRF token this site signed."""
    try:
        _signer(secret, "csrf").loads(value)
    except BadSignature:
        return False
    return True


async def check_csrf(request: Request, secret: str) -> None:
    """Raise PermissionDenied unless a state-changing cookie request repeats its CSRF token."""
    if request.method in SAFE_METHODS or bearer_token(request) is not None:
        return
    cookie = request.cookies.get(CSRF_COOKIE, "")
    sent = request.headers.get(CSRF_HEADER, "")
    if not sent and request.headers.get("content-type", "").startswith(
        ("application/x-www-form-urlencoded", "multipart/form-data")
    ):
        field = (await request.form()).get(CSRF_FIELD, "")
        sent = field if isinstance(field, str) else ""
    if not (cookie and sent and hmac.compare_digest(cookie, sent) and valid_csrf(cookie, secret)):
        raise PermissionDenied(
            "the form's security token is missing or stale; reload the page and try again"
        )
