"""Importing a country's observations read from another platform's files (an Open SDG data
folder) the way a filled template is imported.

The reader (``lindung.exchange.opensdg_in``) turns the files into observations and findings;
here the value, text and validation rules of the template check run on them
(``value_rules``), and only a set without any
error-level finding is stored: one draft submission of the country (all its years), through
``importer.store_report``, atomic and idempotent by the files' hash, reviewed like every
submission a person brings in (submit, validate, publish; four eyes).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence

from sqlalchemy import Engine

from lindung.errors import PermissionDenied, ValidationFailed
from lindung.framework import Catalogue
from lindung.ingest.accounts import acting_user, require_country
from lindung.ingest.check import Report
from lindung.ingest.findings import Finding, Location
from lindung.ingest.importer import Imported, store_report
from lindung.ingest.rules import RuleSet
from lindung.ingest.value_rules import check_observations, normalised_text
from lindung.keys import Observation
from lindung.store import find_by_hash, transaction
from lindung.text import counted

#: The submission kind of an Open SDG data folder (one of ``store.COUNTRY_KINDS``).
OPEN_SDG_KIND = "opensdg"


def import_observations(
    engine: Engine,
    *,
    observations: Sequence[Observation],
    locations: Sequence[Location],
    findings: Sequence[Finding],
    file_name: str,
    file_hash: str,
    file_format: str,
    country: str,
    actor: str,
    kind: str,
    source: str,
    catalogue: Catalogue,
    rules: RuleSet | None = None,
    columns: Mapping[str, str] | None = None,
) -> Imported:
    """Check and store ``observations`` of ``country`` as one new draft submission of ``kind``;
    return it, or the submission the same files (``file_hash``) already made.

    Raise PermissionDenied unless ``actor`` may import for ``country``, and ValidationFailed,
    storing nothing, when the reader's findings or the rules hold any error (``columns``
    names the files' column of each field in the findings).
    """
    digest = hashlib.sha256(f"{file_hash}:{country}".encode()).hexdigest()
    with transaction(engine) as connection:
        user = acting_user(connection, actor)
        if user["role"] == "partner":
            raise PermissionDenied(
                f"{actor} has role partner and cannot import submissions; "
                "a focal point of the country or the secretariat can"
            )
        require_country(user, country, "import data")
        existing = find_by_hash(connection, digest, kind=kind)
        if existing is not None:
            return Imported(existing, created=False, report=None)
    report = Report(
        file_name=file_name,
        file_hash=digest,
        file_format=file_format,
        country=country,
        year=None,
        framework_version=catalogue.version,
        findings=list(findings),
    )
    report.findings.extend(
        check_observations(observations, locations, catalogue, rules=rules, columns=columns)
    )
    report.observations = [normalised_text(o) for o in observations]
    if not report.ok:
        first = report.errors[0]
        where = first.location.describe()
        if first.location.file and where != first.location.file:
            where = f"{first.location.file} {where}"
        raise ValidationFailed(
            f"{file_name} has {counted(len(report.errors), 'error')}, first at {where}: "
            f"{first.message()}; {first.fix()}; nothing was stored",
            list(report.findings),
        )
    if not observations:
        raise ValidationFailed(f"{file_name} holds no value to import; nothing was stored", [])
    return store_report(
        engine, report, user=user, actor=actor, catalogue=catalogue, kind=kind, source=source
    )
