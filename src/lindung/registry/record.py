"""Registry counts as store observations, recorded with their provenance like a survey run.

Each program's coverage, inclusion error and exclusion error becomes one observation of the
framework series in :data:`SERIES` (percent, nature ``C``: computed), keyed by program (its code
upper-cased) and the SDG dimension its breakdown maps to (:data:`DIMENSIONS`). Breakdowns with
no dimension in the store (region, decile) and "any program" stay in the output file only, as
do undefined ratios; what is left out is said in the notes.

A stored run is a draft submission of kind ``survey`` (the store's kind for computed runs),
recorded by the country's focal point, the secretariat or an admin with the registry file's
SHA-256 and, in its spec, each list's, and published only through review.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine

from lindung.keys import Observation
from lindung.registry.coverage import TOTAL, CoverageOptions, CoverageResult, Program
from lindung.survey.record import file_hash, store_computed_run
from lindung.text import counted

__all__ = ["DIMENSIONS", "SERIES", "observations", "record_coverage"]

SERIES = {
    "coverage": "ASP_REG_COV",
    "inclusion_error": "ASP_REG_INCERR",
    "exclusion_error": "ASP_REG_EXCERR",
}
"""The framework series each ratio of the coverage table is stored under (all percent)."""

DIMENSIONS = {
    "sex": ("sex", ("F", "M")),
    "age_group": ("age", ("Y0T14", "Y15T64", "Y_GE65")),
    "disability": ("disability_status", ("PD", "PWD")),
}
"""The store dimension of each breakdown that has one, and the levels it holds."""


def observations(
    result: CoverageResult, *, country: str, year: int, source: str
) -> tuple[list[Observation], list[str]]:
    """Return the observations to store and what was left out, why."""
    rows: list[Observation] = []
    skipped = {"any program": 0, "no store dimension": 0, "unmapped level": 0, "undefined": 0}
    records = [{str(k): v for k, v in row.items()} for row in result.table.to_dict("records")]
    for record in records:
        reason = _left_out(record)
        if reason:
            skipped[reason] += len(SERIES)
            continue
        key: dict[str, str] = {}
        if record["by"] != TOTAL:
            dimension, _codes = DIMENSIONS[str(record["by"])]
            key[dimension] = str(record["level"])
        for measure, series in SERIES.items():
            value = float(record[measure])
            if not math.isfinite(value):
                skipped["undefined"] += 1
                continue
            rows.append(
                cast(
                    Observation,
                    {
                        "series": series,
                        "ref_area": country,
                        "time_period": year,
                        "program": str(record["program"]).upper(),
                        **key,
                        "value": value * 100.0,
                        "unit": "percent",
                        "nature": "C",
                        "source": source,
                    },
                )
            )
    notes = [
        f"{counted(count, 'value')} not stored ({why})" for why, count in skipped.items() if count
    ]
    return rows, notes


def _left_out(record: dict[str, Any]) -> str | None:
    """Why a row of the coverage table is not stored, or None."""
    if record["program"] == TOTAL:
        return "any program"
    if record["by"] == TOTAL:
        return None
    if record["by"] not in DIMENSIONS:
        return "no store dimension"
    if str(record["level"]) not in DIMENSIONS[str(record["by"])][1]:
        return "unmapped level"
    return None


def record_coverage(
    engine: Engine,
    result: CoverageResult,
    *,
    registry: Path,
    programs: Sequence[Program],
    options: CoverageOptions,
    country: str,
    actor: str,
) -> dict[str, Any]:
    """Store the counts (the options, the files' hashes, the code version) as a draft for
    review, recorded by the user ``actor`` (email); return what was stored.

    Raise PermissionDenied unless ``actor`` is the country's focal point, the secretariat or an
    admin.
    """
    rows, notes = observations(
        result, country=country, year=options.year, source=f"Lindung registry: {registry.name}"
    )
    spec = {
        "registry": {
            "file": registry.name,
            "programs": [
                {"code": p.code, "file": p.path.name, "sha256": file_hash([p.path])}
                for p in programs
            ],
            "options": asdict(options),
        }
    }
    return store_computed_run(
        engine,
        what="registry counts",
        actor=actor,
        ref_area=country,
        time_period=options.year,
        spec=spec,
        data=[registry],
        rows=rows,
        notes=notes,
        source=f"registry: {registry.name}",
    )
