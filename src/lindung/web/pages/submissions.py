"""The submission workflow in the browser: template, upload, findings, review, history.

A focal point downloads their country's template, uploads the filled file and sees every
finding at its sheet and cell with the fix, in the page's language; a clean file becomes a
draft, which they submit. The secretariat's queue lists what awaits review; a submission's
page shows its values beside the published ones, its findings, versions and audit trail, and
the steps the visitor may take. Every check and every step is ``lindung.ingest``'s.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from starlette.responses import HTMLResponse, RedirectResponse, Response

from lindung.errors import UsageError, ValidationFailed
from lindung.framework import load_catalogue
from lindung.ingest import TRANSITIONS, import_file, make_template, move
from lindung.ingest.accounts import require_country
from lindung.ingest.workflow import allowed_actions
from lindung.store import STATUSES, transaction
from lindung.web import locale
from lindung.web.deps import Reading, SignedIn, Visitor, site
from lindung.web.rendering import render
from lindung.web.submissions import (
    compared_values,
    countries_for,
    findings_shown,
    open_submission,
    received_file,
    trail,
    versions,
    visible_submissions,
)

router = APIRouter(tags=["submission pages"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Note = Annotated[str | None, Form(max_length=4000)]


@router.get("/submissions", response_class=HTMLResponse, name="submissions")
def submission_list(
    request: Request,
    connection: Reading,
    user: Visitor,
    country: Annotated[str | None, Query(max_length=3)] = None,
    status: Annotated[str | None, Query(max_length=20)] = None,
) -> HTMLResponse:
    """The submissions the visitor may see, newest first; the review queue for the secretariat."""
    catalogue = load_catalogue()
    country = catalogue.member_state(country.upper()).iso3 if country else None
    if status and status not in STATUSES:
        raise UsageError(f"status: {status!r} is not one of {', '.join(STATUSES)}")
    rows = visible_submissions(connection, user, country=country, status=status or None)
    return render(
        request,
        "submissions.html",
        {
            "rows": rows,
            "countries": catalogue.member_states,
            "statuses": STATUSES,
            "chosen_country": country,
            "chosen_status": status,
        },
    )


def _upload_page(
    request: Request, user: SignedIn, findings: list[dict[str, object]] | None, status: int
) -> HTMLResponse:
    catalogue = load_catalogue()
    return render(
        request,
        "submission_new.html",
        {
            "countries": countries_for(user, catalogue),
            "year": date.today().year - 1,
            "findings": findings,
            "errors": sum(1 for f in findings or [] if f["severity"] == "error"),
        },
        status_code=status,
    )


@router.get("/submissions/new", response_class=HTMLResponse, name="submission_new")
def submission_new(request: Request, user: SignedIn) -> HTMLResponse:
    """Download the template of one's country, and upload the filled file."""
    return _upload_page(request, user, None, 200)


@router.get("/submissions/template", name="submission_template")
def submission_template(
    user: SignedIn,
    country: Annotated[str, Query(max_length=3)],
    year: Annotated[int, Query(ge=1000, le=9999)],
) -> Response:
    """The template workbook of a country and year, in the page's language."""
    iso3 = load_catalogue().member_state(country.upper()).iso3
    require_country(user, iso3, "download the template")
    name = f"{iso3}_{year}.xlsx"
    with tempfile.TemporaryDirectory(prefix="lindung-template-") as folder:
        path = Path(folder) / name
        make_template(path, country=iso3, year=year, language=locale.current.get())
        content = path.read_bytes()
    return Response(
        content,
        media_type=XLSX,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/submissions", response_class=HTMLResponse, name="submission_upload")
def submission_upload(
    request: Request, user: SignedIn, file: Annotated[UploadFile, File()]
) -> Response:
    """Check the file and store it as a new draft; else show every finding (422)."""
    countries_for(user, load_catalogue())
    try:
        with received_file(file.filename, file.file) as path:
            result = import_file(site(request).engine, path, actor=user["email"])
    except ValidationFailed as failed:
        shown = findings_shown(failed.findings, locale.current.get())
        return _upload_page(request, user, shown, failed.http_status)
    return RedirectResponse(f"/submissions/{result.submission['id']}", status_code=303)


@router.get("/submissions/{submission_id}", response_class=HTMLResponse, name="submission")
def submission_page(
    request: Request, connection: Reading, user: Visitor, submission_id: int
) -> HTMLResponse:
    """One submission beside the published values, its findings, versions and audit trail."""
    submission = open_submission(connection, submission_id, user)
    report = submission["validation_report"] or {}
    compared = compared_values(connection, submission)
    return render(
        request,
        "submission.html",
        {
            "submission": submission,
            "compared": compared,
            "changed": sum(1 for value in compared if value.change != "same"),
            "findings": findings_shown(report.get("findings") or [], locale.current.get()),
            "versions": versions(connection, submission, user),
            "trail": trail(connection, submission, user),
            "actions": allowed_actions(submission, user),
        },
    )


def _step(action: str) -> Callable[..., Response]:
    def step(request: Request, user: SignedIn, submission_id: int, note: Note = None) -> Response:
        with transaction(site(request).engine) as connection:
            move(connection, submission_id, action, actor=user["email"], note=note or None)
        return RedirectResponse(f"/submissions/{submission_id}", status_code=303)

    step.__doc__ = f"{action.capitalize()} the submission, then show it again."
    return step


for _action in TRANSITIONS:
    router.post(f"/submissions/{{submission_id}}/{_action}", name=f"submission_{_action}")(
        _step(_action)
    )
