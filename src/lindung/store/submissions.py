"""Submissions: batches of observations from one source for one country, with their state.

This module stores and reads; which transitions are allowed, and by whom, is the approval
workflow's business (``lindung.ingest``).
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, func, select

from lindung.errors import NotFound, UsageError
from lindung.store import audit
from lindung.store.schema import STATUSES, submissions


def create_submission(
    connection: Connection,
    *,
    kind: str,
    ref_area: str,
    time_period: int | None,
    source: str,
    framework_version: str,
    actor: str,
    created_by: int | None = None,
    file_name: str | None = None,
    file_hash: str | None = None,
    status: str = "draft",
    validation_report: dict[str, Any] | None = None,
    note: str | None = None,
) -> int:
    """Create a submission as the next version of its (kind, country, year); return its id."""
    if status not in STATUSES:
        raise UsageError(f"unknown submission status {status!r}; use one of {', '.join(STATUSES)}")
    version = _next_version(connection, kind, ref_area, time_period)
    now = datetime.now(UTC)
    submission_id = int(
        connection.execute(
            submissions.insert()
            .values(
                kind=kind,
                ref_area=ref_area,
                time_period=time_period,
                version=version,
                status=status,
                source=source,
                file_name=file_name,
                file_hash=file_hash,
                framework_version=framework_version,
                created_by=created_by,
                created_at=now,
                status_changed_at=now,
                published_at=now if status == "published" else None,
                validation_report=json.dumps(validation_report) if validation_report else None,
                note=note,
            )
            .returning(submissions.c.id)
        ).scalar_one()
    )
    audit.record(
        connection,
        actor=actor,
        action="create",
        entity="submission",
        entity_id=submission_id,
        detail={
            "kind": kind,
            "ref_area": ref_area,
            "time_period": time_period,
            "version": version,
            "status": status,
            "file_hash": file_hash,
        },
    )
    return submission_id


def _next_version(connection: Connection, kind: str, ref_area: str, time_period: int | None) -> int:
    period = (
        submissions.c.time_period.is_(None)
        if time_period is None
        else submissions.c.time_period == time_period
    )
    latest = connection.execute(
        select(func.max(submissions.c.version)).where(
            submissions.c.kind == kind, submissions.c.ref_area == ref_area, period
        )
    ).scalar_one()
    return int(latest or 0) + 1


def set_status(
    connection: Connection, submission_id: int, status: str, *, actor: str, note: str | None = None
) -> None:
    """Move a submission to ``status`` and record the transition in the audit log."""
    if status not in STATUSES:
        raise UsageError(f"unknown submission status {status!r}; use one of {', '.join(STATUSES)}")
    before = get_submission(connection, submission_id)
    now = datetime.now(UTC)
    values: dict[str, Any] = {"status": status, "status_changed_at": now}
    if status == "published":
        values["published_at"] = now
    if note is not None:
        values["note"] = note
    connection.execute(
        submissions.update().where(submissions.c.id == submission_id).values(**values)
    )
    audit.record(
        connection,
        actor=actor,
        action=f"status:{status}",
        entity="submission",
        entity_id=submission_id,
        detail={"from": before["status"], "to": status, "note": note},
    )


def get_submission(connection: Connection, submission_id: int) -> dict[str, Any]:
    """Return one submission as a dict; raise NotFound if there is none with that id."""
    row = (
        connection.execute(select(submissions).where(submissions.c.id == submission_id))
        .mappings()
        .first()
    )
    if row is None:
        raise NotFound(
            f"no submission with id {submission_id}; `lindung submission list` shows them"
        )
    return _as_dict(row)


def find_by_hash(
    connection: Connection, file_hash: str, kind: str | None = None
) -> dict[str, Any] | None:
    """Return the submission made from a file with this hash, if any."""
    query = select(submissions).where(submissions.c.file_hash == file_hash)
    if kind is not None:
        query = query.where(submissions.c.kind == kind)
    row = connection.execute(query.order_by(submissions.c.id)).mappings().first()
    return _as_dict(row) if row else None


def list_submissions(
    connection: Connection,
    *,
    ref_area: str | None = None,
    status: str | None = None,
    kind: str | None = None,
) -> list[dict[str, Any]]:
    """Return submissions, newest first, optionally filtered."""
    query = select(submissions).order_by(submissions.c.id.desc())
    if ref_area is not None:
        query = query.where(submissions.c.ref_area == ref_area)
    if status is not None:
        query = query.where(submissions.c.status == status)
    if kind is not None:
        query = query.where(submissions.c.kind == kind)
    return [_as_dict(row) for row in connection.execute(query).mappings()]


def _as_dict(row: Any) -> dict[str, Any]:
    record = dict(row)
    report = record.get("validation_report")
    record["validation_report"] = json.loads(report) if report else None
    return record
