"""Storing an agency's data file (an SDMX message from the UN SDG Global Database, ILOSTAT, ...)
as reference data: the international figures that ``assess consistency`` compares national ones
with.

The secretariat (or an admin) imports it; it is stored as one draft submission of kind
``reference`` per area, from that source, all in one transaction, and goes through review like
every file a person brings in (submit, validate, publish; four eyes): unlike the reference data
shipped with Lindung, an imported file is not fixed by a release. The same file imported again
adds nothing (its hash, per area).

The observations pass the value and text rules every import runs (``value_rules``) first, all
but those comparing one figure with another (the agency's figures are its own): one
error-level finding refuses the whole file, storing nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, cast

from sqlalchemy import Connection

from lindung.errors import ValidationFailed
from lindung.framework import Catalogue, load_catalogue
from lindung.ingest.accounts import acting_user, require_reviewer
from lindung.ingest.findings import Finding, Location
from lindung.ingest.value_rules import check_observations, normalised_text
from lindung.keys import Observation
from lindung.store import REFERENCE_KIND, create_submission, find_by_hash, insert_observations
from lindung.text import counted


@dataclass(frozen=True)
class AgencyImport:
    """What an import stored: the new submissions by area, the areas already imported, and
    the warnings the value rules gave."""

    submissions: dict[str, int]
    observations: int
    already_imported: list[str]
    warnings: list[Finding] = field(default_factory=list)


def store_agency_file(
    connection: Connection,
    *,
    rows: Sequence[Mapping[str, Any]],
    file_name: str,
    file_hash: str,
    source: str,
    framework_version: str,
    actor: str,
    locations: Sequence[Location] | None = None,
    columns: Mapping[str, str] | None = None,
    catalogue: Catalogue | None = None,
) -> AgencyImport:
    """Store ``rows`` as draft reference submissions, one per area, as the user ``actor``.

    Raise PermissionDenied unless ``actor`` is a secretariat or admin user, and
    ValidationFailed, storing nothing, when the value rules find an error in any row
    (``locations`` says where each row is, ``columns`` the file's name of each field).
    """
    user = acting_user(connection, actor)
    require_reviewer(user, "import an agency's data")
    observations = [cast(Observation, row) for row in rows]
    where = list(locations or [Location(file=file_name)] * len(observations))
    findings = check_observations(
        observations, where, catalogue or load_catalogue(), columns=columns, consistency=False
    )
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        first = errors[0]
        raise ValidationFailed(
            f"{file_name} has {counted(len(errors), 'error')}, first at "
            f"{first.location.describe()}: {first.message()}; {first.fix()}; nothing was stored",
            findings,
        )
    by_area: dict[str, list[Mapping[str, Any]]] = {}
    for row in observations:
        by_area.setdefault(str(row["ref_area"]), []).append(normalised_text(row))
    created: dict[str, int] = {}
    already: list[str] = []
    written = 0
    for area, area_rows in sorted(by_area.items()):
        area_hash = hashlib.sha256(f"{file_hash}:{area}".encode()).hexdigest()
        if find_by_hash(connection, area_hash, kind=REFERENCE_KIND) is not None:
            already.append(area)
            continue
        submission_id = create_submission(
            connection,
            kind=REFERENCE_KIND,
            ref_area=area,
            time_period=None,
            source=source,
            framework_version=framework_version,
            actor=user["email"],
            created_by=int(user["id"]),
            file_name=file_name,
            file_hash=area_hash,
            note=f"imported from {file_name}",
        )
        written += insert_observations(
            connection, submission_id, area_rows, framework_version=framework_version
        )
        created[area] = submission_id
    return AgencyImport(created, written, already, findings)
