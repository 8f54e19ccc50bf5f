"""Submissions: batches of observations from one source for one country, with their state.

This module stores and reads; who may move a submission is the approval workflow's business
(``lindung.ingest.workflow``). The moves themselves are the schema's: ``set_status`` follows
only the edges of ``MOVES``, as one compare-and-set on the status, after writing the audit
entry, so that of two steps racing on one submission exactly one wins. The database refuses
any other status change (triggers of migration 0003), any new submission that is not a
draft, shipped reference data aside (migration 0004), and any other change to a submission, its
deletion, and a value added to one past draft (migration 0007).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any, TypedDict, cast

from sqlalchemy import Connection, func, select

from lindung.errors import NotFound, SubmissionError, UsageError
from lindung.jsontypes import JSONObject
from lindung.keys import MAX_ID
from lindung.store import audit
from lindung.store.schema import AGGREGATE_KIND, REFERENCE_KIND, STATUSES, audit_log, submissions

#: The status changes the store makes (and the database allows), as (from, to). An aggregate
#: goes from draft straight to published: the secretariat computes it from published values.
MOVES: frozenset[tuple[str, str]] = frozenset(
    {
        ("draft", "submitted"),
        ("submitted", "validated"),
        ("submitted", "returned"),
        ("validated", "published"),
    }
)
AGGREGATE_MOVES: frozenset[tuple[str, str]] = frozenset({("draft", "published")})


class Submission(TypedDict):
    """One submission as stored, its validation report decoded."""

    id: int
    kind: str
    ref_area: str
    time_period: int | None
    version: int
    status: str
    source: str
    file_name: str | None
    file_hash: str | None
    framework_version: str
    created_by: int | None
    created_at: datetime
    status_changed_at: datetime
    published_at: datetime | None
    validation_report: JSONObject | None
    note: str | None


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
    validation_report: JSONObject | None = None,
    note: str | None = None,
) -> int:
    """Create a submission as the next version of its (kind, country, year); return its id.

    A new submission is a draft that reaches ``published`` through the review workflow; only
    shipped reference data (kind ``reference``) is created published, as loaded. The database
    refuses any other start (the insert guard of migration 0004).
    """
    if status not in STATUSES:
        raise UsageError(f"unknown submission status {status!r}; use one of {', '.join(STATUSES)}")
    if status != "draft" and not (status == "published" and kind == REFERENCE_KIND):
        raise SubmissionError(
            f"a new {kind} submission starts as draft, not {status}; only shipped reference "
            "data is created published, everything else is published through review "
            "(submit, validate, publish)"
        )
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
    connection: Connection,
    submission_id: int,
    status: str,
    *,
    expected: str,
    actor: str,
    note: str | None = None,
) -> Submission:
    """Move a submission from ``expected`` to ``status``, audited; return it after the move.

    Raise SubmissionError when the move is not one the store makes, or when the submission is
    no longer ``expected`` (another step won a race): the message says who moved it and when.
    The audit entry is written first, so the caller's transaction must roll back on an error.
    """
    before = get_submission(connection, submission_id)
    allowed = MOVES | (AGGREGATE_MOVES if before["kind"] == AGGREGATE_KIND else frozenset())
    if (expected, status) not in allowed:
        raise SubmissionError(f"a submission never moves from {expected} to {status}")
    if before["status"] != expected:
        raise SubmissionError(status_refusal(connection, before))
    own_entry = audit.record(
        connection,
        actor=actor,
        action=f"status:{status}",
        entity="submission",
        entity_id=submission_id,
        detail={"from": expected, "to": status, "note": note},
    )
    now = datetime.now(UTC)
    values: dict[str, object] = {"status": status, "status_changed_at": now}
    if status == "published":
        values["published_at"] = now
    if note is not None:
        values["note"] = note
    moved = connection.execute(
        submissions.update()
        .where(submissions.c.id == submission_id, submissions.c.status == expected)
        .values(**values)
    )
    if moved.rowcount != 1:
        # Another step won the race: its row and its audit entry are committed now, and this
        # transaction's own entry for the move it did not make is not the one to name.
        refused = get_submission(connection, submission_id)
        raise SubmissionError(status_refusal(connection, refused, besides=own_entry))
    return get_submission(connection, submission_id)


def status_refusal(
    connection: Connection, submission: Submission, *, besides: int | None = None
) -> str:
    """Return why a submission cannot move: its status, and who set it when.

    ``besides``: the id of an audit entry not to name (the caller's own, for a move it lost).
    """
    return (
        f"submission {submission['id']} is already {submission['status']}"
        f"{last_change(connection, submission['id'], besides=besides, status=submission['status'])}"
    )


def last_change(
    connection: Connection,
    submission_id: int,
    *,
    status: str | None = None,
    besides: int | None = None,
) -> str:
    """Return " (by EMAIL at TIME UTC)" of the submission's last audited step, or "".

    ``status``: the last step that set this status, when there is one; ``besides``: an audit
    entry to pass over.
    """
    query = (
        select(audit_log.c.actor, audit_log.c.at)
        .where(audit_log.c.entity == "submission", audit_log.c.entity_id == submission_id)
        .order_by(audit_log.c.id.desc())
        .limit(1)
    )
    if besides is not None:
        query = query.where(audit_log.c.id != besides)
    last = None
    if status is not None:
        last = connection.execute(query.where(audit_log.c.action == f"status:{status}")).first()
    if last is None:
        last = connection.execute(query).first()
    return f" (by {last.actor} at {_utc(last.at)})" if last is not None else ""


def _utc(moment: datetime) -> str:
    # SQLite hands back the stored UTC time without a zone; PostgreSQL, in the session's zone.
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return f"{aware:%Y-%m-%d %H:%M:%S} UTC"


def get_submission(connection: Connection, submission_id: int) -> Submission:
    """Return one submission; raise NotFound if there is none with that id."""
    if not 1 <= submission_id <= MAX_ID:
        # PostgreSQL refuses a parameter beyond its INTEGER outright: no such row can exist.
        raise NotFound(
            f"no submission with id {submission_id}; `lindung submission list` shows them"
        )
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
) -> Submission | None:
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
    kinds: Sequence[str] | None = None,
) -> list[Submission]:
    """Return submissions, newest first, optionally filtered (``kinds``: any of these)."""
    query = select(submissions).order_by(submissions.c.id.desc())
    if ref_area is not None:
        query = query.where(submissions.c.ref_area == ref_area)
    if status is not None:
        query = query.where(submissions.c.status == status)
    if kind is not None:
        query = query.where(submissions.c.kind == kind)
    if kinds is not None:
        query = query.where(submissions.c.kind.in_(list(kinds)))
    return [_as_dict(row) for row in connection.execute(query).mappings()]


def _as_dict(row: Any) -> Submission:
    record = cast(Submission, dict(row))
    report: Any = record["validation_report"]
    record["validation_report"] = json.loads(report) if report else None
    return record
