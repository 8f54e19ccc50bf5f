"""Every refusal answered the same way: the error's stable code, its message, its status.

The API answers ``{"error": {"code": ..., "message": ...}}`` with the HTTP status of the
error's kind (``lindung.errors``); a page answers with the error page in the visitor's
language. A bad query parameter is a usage error (400) naming the parameter; an unexpected
failure is logged and answered 500 without any detail of the server.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException
from starlette.responses import JSONResponse, Response

from lindung.errors import LindungError, NotFound, TooManyAttempts, UsageError, ValidationFailed

log = logging.getLogger(__name__)

API_PREFIX = "/api/"
INTERNAL = "internal"


def is_api(request: Request) -> bool:
    """Return whether the request is for the JSON API (else for a page)."""
    return request.url.path.startswith(API_PREFIX)


def refusal(
    request: Request,
    code: str,
    message: str,
    status: int,
    details: dict[str, Any] | None = None,
) -> Response:
    """Return the answer to a refused request: JSON for the API, the error page otherwise.

    ``details`` are further fields of the API's ``error`` object (a refused file's findings).
    """
    from lindung.i18n.labels import explanation
    from lindung.web import locale

    if is_api(request):
        # ``message`` is the precise English detail (as the command line says it);
        # ``explanation`` what the code means, in the request's language (``?lang=id``).
        error = {
            "code": code,
            "message": message,
            "explanation": explanation(code, locale.current.get()),
            **(details or {}),
        }
        return JSONResponse(
            {"error": error}, status_code=status, headers={"Vary": "Accept-Language"}
        )
    from lindung.web.rendering import render

    return render(
        request,
        "error.html",
        {
            "code": code,
            "message": message,
            "status": status,
            "explanation": explanation(code, locale.current.get()),
        },
        status_code=status,
    )


async def _lindung_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, LindungError)
    details = None
    if isinstance(error, ValidationFailed) and error.findings:
        from lindung.web import locale
        from lindung.web.submissions import findings_shown

        details = {"findings": findings_shown(error.findings, locale.current.get())}
    response = refusal(request, error.code, str(error), error.http_status, details)
    if isinstance(error, TooManyAttempts):
        response.headers["Retry-After"] = str(error.retry_after)
    return response


async def _invalid_request(request: Request, error: Exception) -> Response:
    assert isinstance(error, RequestValidationError)
    problems = []
    for problem in error.errors()[:5]:
        where = ".".join(str(part) for part in problem.get("loc", ()) if part != "query")
        problems.append(f"{where or 'the request'}: {problem.get('msg', 'is not valid')}")
    message = "; ".join(problems) + "; see /api/v1/openapi.json for what each parameter takes"
    in_body = any(problem.get("loc", ("",))[0] == "body" for problem in error.errors())
    if in_body and request.headers.get("content-type", "").startswith("application/json"):
        message = (
            "the body was sent as JSON; this route takes a form: send it as "
            "application/x-www-form-urlencoded or multipart/form-data (" + message + ")"
        )
    return refusal(request, UsageError.code, message, UsageError.http_status)


async def _http_error(request: Request, error: Exception) -> Response:
    assert isinstance(error, HTTPException)
    if error.status_code == 404:
        return refusal(
            request,
            NotFound.code,
            f"there is no page {request.url.path}; start from / or /api/v1",
            404,
        )
    if error.status_code == 405:
        return refusal(
            request,
            UsageError.code,
            f"{request.method} is not allowed on {request.url.path}",
            405,
        )
    return refusal(request, "http", str(error.detail), error.status_code)


async def _unexpected(request: Request, error: Exception) -> Response:
    from lindung.i18n.labels import explanation
    from lindung.web import locale
    from lindung.web.guards import SECURITY_HEADERS

    log.exception("unexpected failure answering %s %s", request.method, request.url.path)
    # Answered outside the middleware that adds the security headers: add them here.
    response = JSONResponse(
        {
            "error": {
                "code": INTERNAL,
                "message": "the server failed to answer; the failure is logged, try again later",
                "explanation": explanation(INTERNAL, locale.current.get()),
            }
        },
        status_code=500,
    )
    for name, value in SECURITY_HEADERS:
        response.headers[name.decode()] = value.decode()
    return response


def install(app: FastAPI) -> None:
    """Make ``app`` answer every refusal as this module says."""
    app.add_exception_handler(LindungError, _lindung_error)
    app.add_exception_handler(RequestValidationError, _invalid_request)
    app.add_exception_handler(HTTPException, _http_error)
    app.add_exception_handler(Exception, _unexpected)
