"""Storing an agency's data file (an SDMX message from the UN SDG Global Database, ILOSTAT, ...)
as reference data: the international figures that ``assess consistency`` compares national ones
with.

The secretariat (or an admin) imports it; it is stored as one draft submission of kind
``reference`` per area, from that source, all in one transaction, and goes through review like
every file a person brings in (submit, validate, publish; four eyes): unlike the reference data
shipped with Lindung, an imported file is not fixed by a release. The same file imported again
adds nothing (its hash, per area).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from lindung.ingest.accounts import acting_user, require_reviewer
from lindung.store import REFERENCE_KIND, create_submission, find_by_hash, insert_observations


@dataclass(frozen=True)
class AgencyImport:
    """What an import stored: the new submissions by area, and the areas already imported."""

    submissions: dict[str, int]
    observations: int
    already_imported: list[str]


def store_agency_file(
    connection: Connection,
    *,
    rows: Sequence[Mapping[str, Any]],
    file_name: str,
    file_hash: str,
    source: str,
    framework_version: str,
    actor: str,
) -> AgencyImport:
    """Store ``rows`` as draft reference submissions, one per area, as the user ``actor``.

    Raise PermissionDenied unless ``actor`` is a secretariat or admin user.
    """
    user = acting_user(connection, actor)
    require_reviewer(user, "import an agency's data")
    by_area: dict[str, list[Mapping[str, Any]]] = {}
    for row in rows:
        by_area.setdefault(str(row["ref_area"]), []).append(row)
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
    return AgencyImport(created, written, already)
