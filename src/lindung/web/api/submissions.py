"""Country submissions over the API: check, upload, list, show, and the workflow's steps.

The same rules as the pages and the CLI, from ``lindung.ingest``: a file with errors is refused
with 422 and every finding in the body (``error.findings``); a step the submission's state does
not allow, or one another user took first, is 409; someone else's country is 403. Files are sent
as ``multipart/form-data`` (field ``file``); a step's note as the form field ``note``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.encoders import jsonable_encoder
from starlette.responses import JSONResponse

from lindung.errors import (
    Conflict,
    NotFound,
    PermissionDenied,
    SubmissionError,
    TooLarge,
    Unauthenticated,
    UnknownCode,
    UsageError,
    ValidationFailed,
)
from lindung.framework import load_catalogue
from lindung.ingest import TRANSITIONS, check_file, import_file, move
from lindung.ingest.workflow import allowed_actions
from lindung.store import STATUSES, transaction
from lindung.web import locale
from lindung.web.api.common import refusals
from lindung.web.deps import Reading, SignedIn, Visitor, site
from lindung.web.submissions import (
    compared_values,
    countries_for,
    findings_shown,
    open_submission,
    received_file,
    summary,
    trail,
    versions,
    visible_submissions,
)

router = APIRouter(prefix="/submissions", tags=["submissions"])


#: What each route may refuse, documented from the error catalogue (``api.common.refusals``).
LIST = refusals(UsageError, UnknownCode)
READ = refusals(Unauthenticated, PermissionDenied, NotFound)
UPLOAD = refusals(Unauthenticated, PermissionDenied, UsageError, TooLarge, ValidationFailed)
STEP = refusals(Unauthenticated, PermissionDenied, NotFound, SubmissionError, Conflict)


@router.get("", summary="The submissions you may see", responses=LIST)
def list_submissions(
    connection: Reading,
    user: Visitor,
    country: Annotated[str | None, Query(max_length=3, description="ISO3 code")] = None,
    status: Annotated[str | None, Query(max_length=20, description="One of the statuses")] = None,
) -> list[dict[str, Any]]:
    """Return country submissions newest first: published ones, and the unpublished ones the
    caller may see (a focal point their country's, the secretariat every country's)."""
    iso3 = load_catalogue().member_state(country.upper()).iso3 if country else None
    if status and status not in STATUSES:
        raise UsageError(f"status: {status!r} is not one of {', '.join(STATUSES)}")
    rows = visible_submissions(connection, user, country=iso3, status=status or None)
    return [summary(row) for row in rows]


@router.post("/check", summary="Check a filled template without storing it", responses=UPLOAD)
def check_upload(
    connection: Reading, user: SignedIn, file: Annotated[UploadFile, File()]
) -> dict[str, Any]:
    """Return every finding of the file (with sheet, cell, message and fix in the request's
    language) and whether it could be imported (``errors`` 0); nothing is stored."""
    countries_for(user, load_catalogue())
    with received_file(file.filename, file.file) as path:
        report = check_file(path, connection=connection)
    checked = report.as_dict(locale.current.get())
    checked["findings"] = findings_shown(checked["findings"], locale.current.get())
    return checked


@router.post(
    "",
    summary="Upload a filled template as a new draft",
    status_code=201,
    responses={**UPLOAD, 200: {"description": "The same file was imported before"}},
)
def upload(request: Request, user: SignedIn, file: Annotated[UploadFile, File()]) -> JSONResponse:
    """Check the file and store it as the next draft version of its country and year (201);
    the same file again answers the submission it already is (200)."""
    countries_for(user, load_catalogue())
    with received_file(file.filename, file.file) as path:
        result = import_file(site(request).engine, path, actor=user["email"])
    warnings = result.report.warnings if result.report else []
    body = {
        "submission": summary(result.submission),
        "created": result.created,
        "warnings": findings_shown(warnings, locale.current.get()),
    }
    return JSONResponse(jsonable_encoder(body), status_code=201 if result.created else 200)


@router.get(
    "/{submission_id}", summary="One submission with its values and history", responses=READ
)
def show(connection: Reading, user: Visitor, submission_id: int) -> dict[str, Any]:
    """Return the submission, each value beside the published one of its key, the findings
    at import, every version of its country and year, its audit trail and the steps the
    caller may take."""
    submission = open_submission(connection, submission_id, user)
    report = submission["validation_report"] or {}
    return {
        **summary(submission),
        "values": [
            {
                **value.key,
                "value": value.value,
                "unit": value.unit,
                "published": value.published,
                "change": value.change,
            }
            for value in compared_values(connection, submission)
        ],
        "findings": findings_shown(report.get("findings") or [], locale.current.get()),
        "versions": [summary(version) for version in versions(connection, submission, user)],
        "history": trail(connection, submission, user),
        "actions": [step.action for step in allowed_actions(submission, user)],
    }


def _step(action: str) -> Callable[..., dict[str, Any]]:
    def step(
        request: Request,
        user: SignedIn,
        submission_id: int,
        note: Annotated[str | None, Form(max_length=4000)] = None,
    ) -> dict[str, Any]:
        with transaction(site(request).engine) as connection:
            moved = move(connection, submission_id, action, actor=user["email"], note=note or None)
        return summary(moved)

    transition = TRANSITIONS[action]
    step.__doc__ = f"Move the submission from {transition.source} to {transition.target}" + (
        " (the form field note says what to fix)." if transition.needs_note else "."
    )
    return step


for _action in TRANSITIONS:
    router.post(
        f"/{{submission_id}}/{_action}",
        summary=f"{_action.capitalize()} a submission",
        responses=STEP,
        name=f"api_submission_{_action}",
    )(_step(_action))
