"""Importing a checked file: atomic, idempotent by file hash, never overwriting.

The file is checked in full first; only a file without errors is written, as one new
submission (the next version of its country and year) and all its observations, in one
transaction. The same file twice is one submission. Two imports racing for the same version
number on PostgreSQL collide on the unique constraint; the loser retries with the next one.
Two imports of the same file at once are serialised by a lock on its hash, so they still make
one submission.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import sqlalchemy.exc
from sqlalchemy import Engine, text

from lindung.errors import PermissionDenied, StoreError, ValidationFailed
from lindung.framework import Catalogue, load_catalogue
from lindung.ingest.accounts import acting_user, require_country
from lindung.ingest.check import Report, check_file, file_hash
from lindung.ingest.reader import Limits
from lindung.ingest.rules import RuleSet
from lindung.store import (
    create_submission,
    find_by_hash,
    get_submission,
    insert_observations,
    transaction,
)
from lindung.store.submissions import Submission
from lindung.store.users import User
from lindung.text import counted

KIND = "template"
ATTEMPTS = 8


@dataclass
class Imported:
    """The submission a file became, whether this call created it, and the check's report."""

    submission: Submission
    created: bool
    report: Report | None


def import_file(
    engine: Engine,
    path: Path,
    *,
    actor: str,
    catalogue: Catalogue | None = None,
    rules: RuleSet | None = None,
    limits: Limits | None = None,
) -> Imported:
    """Check and store the file as a new draft submission; return it (or the existing one)."""
    catalogue = catalogue or load_catalogue()
    digest = file_hash(path)
    with transaction(engine) as connection:
        user = acting_user(connection, actor)
        if user["role"] == "partner":
            raise PermissionDenied(
                f"{actor} has role partner and cannot import submissions; "
                "a focal point of the country or the secretariat can"
            )
        existing = find_by_hash(connection, digest, kind=KIND)
        if existing is not None:
            require_country(user, existing["ref_area"], "import this file")
            return Imported(existing, created=False, report=None)
        report = check_file(
            path, connection=connection, catalogue=catalogue, rules=rules, limits=limits
        )
    if not report.ok:
        first = report.errors[0]
        raise ValidationFailed(
            f"{path.name} has {counted(len(report.errors), 'error')}, first at "
            f"{first.location.describe()}: {first.message()}; "
            f"`lindung submission check {path.name}` lists them all with fixes; nothing was stored",
            list(report.findings),
        )
    require_country(user, str(report.country), "import data")
    return store_report(engine, report, user=user, actor=actor, catalogue=catalogue)


def store_report(
    engine: Engine,
    report: Report,
    *,
    user: User,
    actor: str,
    catalogue: Catalogue,
    kind: str = KIND,
    source: str = "country submission",
) -> Imported:
    """Store a checked report without errors as the next draft version of its kind, country
    and year, in one transaction; return it, or the submission already made from its hash."""
    for _ in range(ATTEMPTS):
        try:
            return _write(engine, report, user, actor, catalogue, kind, source)
        except sqlalchemy.exc.IntegrityError:
            continue
    raise StoreError(
        f"could not store {report.file_name}: {ATTEMPTS} concurrent imports for "
        f"{report.country} {report.year or ''} took every version number; try again"
    )


def _write(
    engine: Engine,
    report: Report,
    user: User,
    actor: str,
    catalogue: Catalogue,
    kind: str,
    source: str,
) -> Imported:
    with transaction(engine) as connection:
        if connection.dialect.name == "postgresql":
            # Two imports of the same file at once would both see no submission with its hash;
            # a transaction lock on the hash makes the second wait and then find the first.
            key = int(report.file_hash[:15], 16)
            connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})
        existing = find_by_hash(connection, report.file_hash, kind=kind)
        if existing is not None:
            return Imported(existing, created=False, report=report)
        submission_id = create_submission(
            connection,
            kind=kind,
            ref_area=str(report.country),
            time_period=report.year,
            source=f"{report.country} {source} ({user['email']})",
            framework_version=catalogue.version,
            actor=actor,
            created_by=int(user["id"]),
            file_name=report.file_name,
            file_hash=report.file_hash,
            validation_report=report.as_dict(),
        )
        insert_observations(
            connection, submission_id, report.observations, framework_version=catalogue.version
        )
        return Imported(get_submission(connection, submission_id), created=True, report=report)
