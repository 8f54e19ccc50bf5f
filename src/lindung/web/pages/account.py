"""Signing in and out of the web: a session is a personal token in a signed cookie."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

from fastapi import APIRouter, Form, Request
from starlette.responses import HTMLResponse, RedirectResponse, Response

from lindung.errors import LindungError, TooManyAttempts, Unauthenticated
from lindung.ingest.accounts import note_failed_sign_in, sign_in, sign_out, throttle
from lindung.store import transaction
from lindung.web import sessions
from lindung.web.deps import Visitor, site
from lindung.web.rendering import render

router = APIRouter()


@router.get("/login", response_class=HTMLResponse, name="login")
def login_form(request: Request, _user: Visitor) -> HTMLResponse:
    """The sign-in form."""
    return render(request, "login.html", {"email": "", "problem": None})


@router.post("/login", response_class=HTMLResponse, name="login_submit")
def login(
    request: Request,
    email: Annotated[str, Form(max_length=254)],
    password: Annotated[str, Form(max_length=1024)],
) -> Response:
    """Check the password, start a session and go to the overview; else show the form again.

    Failures are counted per account and per address; past the limit the form answers 429
    with Retry-After, without checking the password.
    """
    here = site(request)
    lifetime = timedelta(hours=here.session_hours)
    address = request.client.host if request.client else "unknown"
    try:
        with transaction(here.engine) as connection:
            throttle(connection, email, address)
            _, token = sign_in(
                connection, email.strip(), password, label="web session", lifetime=lifetime
            )
    except LindungError as error:
        if isinstance(error, Unauthenticated):
            with transaction(here.engine) as connection:
                note_failed_sign_in(connection, email, address)
        page = render(
            request,
            "login.html",
            {"email": email, "problem": str(error)},
            status_code=error.http_status,
        )
        if isinstance(error, TooManyAttempts):
            page.headers["Retry-After"] = str(error.retry_after)
        return page
    response = RedirectResponse("/", status_code=303)
    sessions.set_session(
        response, request, here.secret, token, max_age=int(lifetime.total_seconds())
    )
    return response


@router.post("/logout", name="logout")
def logout(request: Request, _user: Visitor) -> Response:
    """End the session: revoke its token and remove the cookie."""
    here = site(request)
    token = sessions.session_token(request, here.secret)
    if token is not None:
        with transaction(here.engine) as connection:
            sign_out(connection, token)
    response = RedirectResponse("/", status_code=303)
    sessions.end_session(response)
    return response
