"""Survey estimates as store observations, and recording a run with its provenance.

Each estimate becomes one observation of the framework series its indicator feeds (``SERIES``),
keyed by program, poverty line and the SDG dimension its breakdown maps to:

- ``by = all``: every dimension is the total ``_T``;
- ``by = quintile_pre``: ``income_wealth_quantile`` Q1..Q5 (quintiles of pre-transfer welfare,
  as ASPIRE ranks them); ``quintile_post`` has no dimension of its own in the store and is kept
  in the output file only;
- a domain column declared as ``{column, dimension, codes}``: that dimension, each level coded
  through ``codes``; a plain column name is kept in the output file only, with a warning.

Values are scaled to the series' unit: ``percent`` and the Gini ``index`` are 0-100, ``ratio``
as is. Undefined estimates (missing, with a reason) are not stored.

A stored run is a draft submission of kind ``survey``, recorded by the country's focal point
(or the secretariat) and published only through review, as a filled template is.
"""

from __future__ import annotations

import hashlib
import math
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any, cast

from sqlalchemy import Engine

from lindung.keys import Observation
from lindung.survey.engine import SurveyResult
from lindung.survey.spec import AREA_UNITS, SurveySpec
from lindung.text import counted

__all__ = [
    "PROGRAM_AREA_CODES",
    "SERIES",
    "file_hash",
    "observations",
    "record_run",
    "store_computed_run",
]

SERIES = {
    "coverage": "ASP_COV",
    "beneficiary_incidence": "ASP_BENINC",
    "benefit_incidence": "ASP_BFTINC",
    "adequacy": "ASP_ADQ",
    "poverty_headcount": "ASP_POV_HC",
    "poverty_gap": "ASP_POV_GAP",
    "poverty_headcount_reduction": "ASP_POV_HC_RED",
    "poverty_gap_reduction": "ASP_POV_GAP_RED",
    "gini": "ASP_GINI",
    "gini_reduction": "ASP_GINI_RED",
    "benefit_cost_ratio": "ASP_BCR",
}
"""The framework series each indicator is stored under."""

PROGRAM_AREA_CODES = {
    "all_social_protection": "ALL_SP",
    AREA_UNITS["social_assistance"]: "ALL_SA",
    AREA_UNITS["social_insurance"]: "ALL_SI",
    AREA_UNITS["labour_market"]: "ALL_LM",
}

_SCALE = {"percent": 100.0, "index": 100.0}


def observations(
    result: SurveyResult, spec: SurveySpec, units: dict[str, str]
) -> tuple[list[Observation], list[str]]:
    """Return the observations to store (one per defined estimate) and what was left out, why.

    ``units`` maps each series to its unit in the framework catalogue.
    """
    dimensions: dict[str, tuple[str, dict[str, str]]] = {
        "quintile_pre": ("income_wealth_quantile", {str(q): f"Q{q}" for q in range(1, 6)})
    }
    notes: list[str] = []
    for domain in spec.domains:
        if domain.dimension:
            dimensions[domain.column] = (domain.dimension, domain.codes)
        else:
            notes.append(
                f"domain {domain.column!r} has no dimension mapping; its estimates are in the "
                "output file but not stored (declare {column, dimension, codes} to store them)"
            )
    source = f"Lindung survey engine: {spec.survey.name or 'survey'} {spec.survey.year}"
    rows: list[Observation] = []
    skipped = {"undefined": 0, "quintile_post": 0, "unmapped level": 0}
    records = [{str(k): v for k, v in row.items()} for row in result.estimates.to_dict("records")]
    for estimate in records:
        if not math.isfinite(float(estimate["estimate"])):
            skipped["undefined"] += 1
            continue
        key: dict[str, Any] = {}
        if estimate["by"] == "quintile_post":
            skipped["quintile_post"] += 1
            continue
        if estimate["by"] != "all":
            if estimate["by"] not in dimensions:
                continue
            dimension, codes = dimensions[estimate["by"]]
            code = codes.get(str(estimate["level"]))
            if code is None:
                skipped["unmapped level"] += 1
                continue
            key[dimension] = code
        series = SERIES[str(estimate["indicator"])]
        scale = _SCALE.get(units.get(series, ""), 1.0)
        rows.append(
            cast(
                Observation,
                {
                    "series": series,
                    "ref_area": spec.survey.country,
                    "time_period": spec.survey.year,
                    "program": _program_code(str(estimate["program"])),
                    "poverty_line": str(estimate["poverty_line"]).upper() or "_T",
                    **key,
                    "value": float(estimate["estimate"]) * scale,
                    "unit": units.get(series, "ratio"),
                    "se": _scaled(estimate["se"], scale),
                    "ci_low": _scaled(estimate["ci_low"], scale),
                    "ci_high": _scaled(estimate["ci_high"], scale),
                    "nature": "C",
                    "source": source,
                },
            )
        )
    notes += [
        f"{counted(count, 'estimate')} not stored ({why})"
        for why, count in skipped.items()
        if count
    ]
    return rows, notes


def _program_code(program: str) -> str:
    if not program:
        return "_T"
    return PROGRAM_AREA_CODES.get(program, program.upper())


def _scaled(value: Any, scale: float) -> float | None:
    number = float(value)
    return number * scale if math.isfinite(number) else None


def file_hash(paths: Sequence[str | Path]) -> str:
    """Return the SHA-256 of the data files, read in order (one hash for a split file)."""
    digest = hashlib.sha256()
    for path in paths:
        with Path(path).open("rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    return digest.hexdigest()


def record_run(
    engine: Engine,
    result: SurveyResult,
    spec: SurveySpec,
    data: Sequence[str | Path],
    *,
    actor: str,
) -> dict[str, Any]:
    """Store the run (spec, data hash, code version) and its estimates as a draft for review,
    recorded by the user ``actor`` (email); return what was stored.

    Raise PermissionDenied unless ``actor`` is the country's focal point, the secretariat or an
    admin.
    """
    from lindung.framework import load_catalogue

    catalogue = load_catalogue()
    units = {series: str(catalogue.indicator(series).unit) for series in SERIES.values()}
    rows, notes = observations(result, spec, units)
    return store_computed_run(
        engine,
        what="a survey run",
        actor=actor,
        ref_area=spec.survey.country,
        time_period=spec.survey.year,
        spec=spec.model_dump(mode="json"),
        data=data,
        rows=rows,
        notes=notes,
        source=f"survey: {spec.survey.name or 'microdata'}",
    )


def store_computed_run(
    engine: Engine,
    *,
    what: str,
    actor: str,
    ref_area: str,
    time_period: int,
    spec: dict[str, Any],
    data: Sequence[str | Path],
    rows: list[Observation],
    notes: list[str],
    source: str,
) -> dict[str, Any]:
    """Record a computed run (a survey's estimates, a registry's counts: ``what``) with its
    provenance (the spec, the data files' names and SHA-256, the code and framework versions)
    and its observations ``rows`` as a draft submission for review, recorded by the user
    ``actor`` (email); return the run, the submission, whether it is new, the observations
    stored and ``notes``.

    Raise PermissionDenied unless ``actor`` is the focal point of ``ref_area``, the secretariat
    or an admin (checked before the data files are read).
    """
    from lindung.errors import PermissionDenied, ValidationFailed
    from lindung.framework import load_catalogue
    from lindung.ingest.accounts import acting_user, require_country
    from lindung.ingest.findings import Location
    from lindung.ingest.value_rules import check_observations, key_text, normalised_text
    from lindung.store import record_survey_run, transaction, translate_errors
    from lindung.text import counted

    if not actor:
        raise PermissionDenied(
            f"storing {what} needs --as EMAIL naming the country's focal point or the "
            "secretariat; it goes through review like a country's template"
        )
    # The value and text rules of every import (a computed percentage is never above 100, a
    # spec's source text is not a formula); the rules comparing estimates are the survey's own.
    where = [Location(file=what, key=key_text(row)) for row in rows]
    findings = check_observations(rows, where, load_catalogue(), consistency=False)
    errors = [f for f in findings if f.severity == "error"]
    if errors:
        first = errors[0]
        raise ValidationFailed(
            f"{what} has {counted(len(errors), 'error')}, first at {first.location.describe()}: "
            f"{first.message()}; {first.fix()}; nothing was stored",
            findings,
        )
    notes = [*notes, *(f"{f.location.describe()}: {f.message()}" for f in findings)]
    rows = [normalised_text(row) for row in rows]
    try:
        code_version = version("lindung")
    except PackageNotFoundError:
        code_version = "unknown"
    with translate_errors(engine), transaction(engine) as connection:
        user = acting_user(connection, actor)
        require_country(user, ref_area, f"store {what}")
        run_id, submission_id, created = record_survey_run(
            connection,
            ref_area=ref_area,
            time_period=time_period,
            spec=spec,
            data_file=", ".join(Path(p).name for p in data),
            data_hash=file_hash(data),
            code_version=code_version,
            framework_version=load_catalogue().version,
            estimates=rows,
            actor=actor,
            created_by=int(user["id"]),
            source=source,
        )
    return {
        "survey_run": run_id,
        "submission": submission_id,
        "created": created,
        "observations": len(rows) if created else 0,
        "notes": notes,
    }
