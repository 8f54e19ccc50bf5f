"""``lindung submission``: check, import and move country submissions through review."""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from lindung.cli.codes import SUBMISSION_ID, canonical
from lindung.cli.output import (
    FORCE_OPTION,
    Format,
    broken_down,
    check_suffix,
    check_writable,
    console,
    error_console,
    output_files,
    print_rows,
)
from lindung.cli.store_access import current_user, open_store, signed_in
from lindung.cli.template import Language
from lindung.errors import StoreError, UsageError, ValidationFailed
from lindung.text import counted, json_for_console

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from lindung.ingest.check import Report
    from lindung.store.audit import AuditEntry

app = typer.Typer(
    help="Check, import, submit, validate, return and publish country submissions.",
    no_args_is_help=True,
)

FINDING_COLUMNS = ["severity", "code", "location", "message", "fix"]
LIST_COLUMNS = [
    "id",
    "ref_area",
    "time_period",
    "version",
    "status",
    "file_name",
    "created_at",
    "note",
]
AS_OPTION = typer.Option(
    None, "--as", help="Which account logged in here acts (default: the active one)."
)
NOTE_OPTION = typer.Option(None, "--note", help="A note kept with the submission.")


def _existing_store() -> Engine | None:
    """Return the store if one is set up, else None: a check never creates a database."""
    from sqlalchemy.engine import make_url

    from lindung.store import database_url

    url = database_url()
    parsed = make_url(url)
    skipped = "values are not compared with published and international figures"
    if parsed.get_backend_name() == "sqlite" and not Path(str(parsed.database)).is_file():
        error_console.print(f"note: no store at {parsed.database}; {skipped}")
        return None
    try:
        return open_store()
    except StoreError as error:
        error_console.print(f"note: {error}; {skipped}")
        return None


def _print_findings(report: Report, fmt: Format, language: str) -> None:
    if fmt is Format.json:
        print(json_for_console(json.dumps(report.as_dict(language), ensure_ascii=False, indent=2)))
        return
    rows = [
        {
            "severity": finding.severity,
            "code": finding.as_dict(language)["code"],
            "location": finding.location.describe(),
            "message": finding.message(language),
            "fix": finding.fix(language),
        }
        for finding in report.listed()
    ]
    if rows:
        print_rows(rows, fmt, title=report.file_name, columns=FINDING_COLUMNS)
    if fmt is Format.table:
        console.print(report.summary())


@app.command("check")
def check(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The filled template."),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
    lang: Language = typer.Option(Language.en, "--lang", help="Language of messages."),
    annotate: Path | None = typer.Option(
        None, "--annotate", help="Write a copy of the workbook with the findings marked."
    ),
    force: bool = FORCE_OPTION,
) -> None:
    """Check a file without storing anything; exit 1 if it has an error-level finding."""
    from lindung.ingest import check_file
    from lindung.ingest.annotate import annotate_workbook
    from lindung.store import transaction

    if annotate is not None:
        check_writable(annotate, force=force, inputs=[file])
        check_suffix(annotate, {".xlsx": "xlsx"}, None)
    engine = _existing_store()
    if engine is None:
        report = check_file(file)
    else:
        with transaction(engine) as connection:
            report = check_file(file, connection=connection)
    _print_findings(report, fmt, lang.value)
    if annotate is not None:
        if report.file_format != "xlsx":
            raise UsageError("--annotate marks workbooks; for a CSV the table gives row, column")
        with output_files(annotate, force=force, inputs=[file]) as staged:
            marked = annotate_workbook(file, report.listed(), staged[0], language=lang.value)
        error_console.print(f"wrote {annotate} ({counted(marked, 'cell')} marked)")
    if not report.ok:
        raise typer.Exit(ValidationFailed.exit_status)


@app.command("import")
def import_command(
    file: Path = typer.Argument(..., exists=True, dir_okay=False, help="The filled template."),
    actor: str | None = AS_OPTION,
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
) -> None:
    """Check and store a file as a new draft version (the same file twice is one submission)."""
    from lindung.ingest import import_file

    engine = open_store()
    result = import_file(engine, file, actor=_acting_email(engine, actor, "import a submission"))
    submission = _summary(result.submission)
    submission["created"] = result.created
    submission["warnings"] = len(result.report.warnings) if result.report else None
    if fmt is Format.table:
        what = "imported as" if result.created else "already imported as"
        console.print(
            f"{file.name} {what} submission {submission['id']} "
            f"({submission['ref_area']} {_period(submission['time_period'], set())}, "
            f"version {submission['version']}, {submission['status']})"
        )
        if result.report and result.report.warnings:
            console.print(
                f"{counted(len(result.report.warnings), 'warning')}: see `lindung submission show`"
            )
        return
    print_rows([submission], fmt, columns=[*LIST_COLUMNS, "created", "warnings"])


def _summary(submission: Mapping[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in submission.items() if k != "validation_report"}


@app.command("list")
def list_command(
    country: str | None = typer.Option(
        None, "--country", help="Only this country (ISO3).", callback=canonical
    ),
    status: str | None = typer.Option(
        None, "--status", help="Only this status: draft, submitted, validated, returned, published."
    ),
    actor: str | None = AS_OPTION,
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
) -> None:
    """List country submissions and survey runs, newest first: published ones, and the
    unpublished ones you may see (a focal point their country's, the secretariat every
    country's)."""
    from lindung.framework import load_catalogue
    from lindung.ingest.accounts import may_read_unpublished
    from lindung.store import COUNTRY_KINDS, STATUSES, list_submissions, transaction

    if country is not None:
        load_catalogue().member_state(country)
    if status is not None:
        status = status.strip().lower()
        if status not in STATUSES:
            raise UsageError(f"unknown status {status!r}; use one of {', '.join(STATUSES)}")
    engine = open_store()
    with transaction(engine) as connection:
        user = current_user(connection, actor)
        rows = [
            row
            for row in list_submissions(
                connection, ref_area=country, status=status, kinds=COUNTRY_KINDS
            )
            if row["status"] == "published" or may_read_unpublished(user, row["ref_area"])
        ]
    print_rows([_summary(r) for r in rows], fmt, title="Submissions", columns=LIST_COLUMNS)


@app.command("show")
def show(
    submission_id: int = SUBMISSION_ID,
    actor: str | None = AS_OPTION,
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
) -> None:
    """Show one submission: its state, its findings, its values and its history (one not yet
    published only to its country's focal point and the secretariat)."""
    from lindung.ingest.accounts import require_unpublished_access
    from lindung.store import (
        KEY,
        audit_entries,
        get_submission,
        submission_observations,
        transaction,
    )

    shown = (*KEY, "value", "unit", "se", "nature", "source")
    engine = open_store()
    with transaction(engine) as connection:
        submission = get_submission(connection, submission_id)
        if submission["status"] != "published":
            require_unpublished_access(
                current_user(connection, actor),
                submission["ref_area"],
                f"see submission {submission_id}, which is {submission['status']}, not published",
            )
        values = [
            {name: row.get(name) for name in shown}
            for row in submission_observations(connection, submission_id)
        ]
        trail = audit_entries(connection, entity="submission", entity_id=submission_id)
    report = submission.get("validation_report") or {}
    if fmt is Format.csv:
        # A CSV is one table: the submission's values, each row naming its submission (JSON
        # carries the whole record: report, values and history).
        print_rows(
            [{"submission": submission_id, **row} for row in values],
            fmt,
            columns=["submission", *shown],
        )
        return
    if fmt is Format.json:
        record = dict(submission)
        record["values"] = values
        record["history"] = _trail(trail)
        print_rows([record], fmt)
        return
    fields = {key: value for key, value in _summary(submission).items() if value is not None}
    fields["values"] = len(values)
    print_rows(
        [{"field": key, "value": value} for key, value in fields.items()],
        fmt,
        title=f"Submission {submission_id}",
    )
    if values:
        print_rows(
            values,
            fmt,
            title="Values",
            columns=["series", "time_period", *broken_down(values), "value", "unit", "nature"],
        )
    findings = report.get("findings") or []
    if findings:
        print_rows(findings, fmt, title="Findings at import", columns=FINDING_COLUMNS)
    print_rows(_trail(trail), fmt, title="History")


def _trail(entries: list[AuditEntry]) -> list[dict[str, Any]]:
    return [
        {"at": e["at"], "actor": e["actor"], "action": e["action"], "note": e["detail"].get("note")}
        for e in entries
    ]


def _acting_email(engine: Engine, choose: str | None, action: str) -> str:
    """Return the e-mail of the logged-in user who acts (proven by their saved token)."""
    from lindung.store import transaction

    with transaction(engine) as connection:
        return signed_in(connection, choose, action)["email"]


def _transition(action: str, submission_id: int, actor: str | None, note: str | None) -> None:
    from lindung.ingest import move
    from lindung.store import submission_observations, transaction

    engine = open_store()
    with transaction(engine) as connection:
        email = signed_in(connection, actor, f"{action} a submission")["email"]
        submission = move(connection, submission_id, action, actor=email, note=note)
        years = {row["time_period"] for row in submission_observations(connection, submission_id)}
    console.print(
        f"submission {submission_id} ({submission['ref_area']} "
        f"{_period(submission['time_period'], years)}, "
        f"version {submission['version']}) is now {submission['status']}"
    )


def _period(year: int | None, years: set[int]) -> str:
    """Return a submission's year, or the years its observations hold (a multi-year import):
    ``2024``, ``2036-2038``, ``2020, 2024``, ``several years`` beyond five."""
    if year is not None:
        return str(year)
    ordered = sorted(years)
    if not ordered:
        return "no year"
    if ordered == list(range(ordered[0], ordered[-1] + 1)) and len(ordered) > 2:
        return f"{ordered[0]}-{ordered[-1]}"
    if len(ordered) > 5:
        return "several years"
    return ", ".join(str(y) for y in ordered)


@app.command("submit")
def submit(
    submission_id: int = SUBMISSION_ID,
    actor: str | None = AS_OPTION,
    note: str | None = NOTE_OPTION,
) -> None:
    """Submit a draft for review (the country's focal point, or the secretariat)."""
    _transition("submit", submission_id, actor, note)


@app.command("validate")
def validate(
    submission_id: int = SUBMISSION_ID,
    actor: str | None = AS_OPTION,
    note: str | None = NOTE_OPTION,
) -> None:
    """Accept a submitted version (secretariat)."""
    _transition("validate", submission_id, actor, note)


@app.command("return")
def return_command(
    submission_id: int = SUBMISSION_ID,
    actor: str | None = AS_OPTION,
    note: str | None = typer.Option(None, "--note", help="What the country must fix (required)."),
) -> None:
    """Return a submitted version to the country with a note (secretariat)."""
    _transition("return", submission_id, actor, note)


@app.command("publish")
def publish(
    submission_id: int = SUBMISSION_ID,
    actor: str | None = AS_OPTION,
    note: str | None = NOTE_OPTION,
) -> None:
    """Publish a validated version: its values become the current ones (secretariat)."""
    _transition("publish", submission_id, actor, note)
