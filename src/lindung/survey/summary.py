"""What a microdata file holds for a spec: sizes, strata, PSUs, population, missing values."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import ibis

from lindung.survey.backend import one_row, open_backend
from lindung.survey.microdata import code_text, read_microdata
from lindung.survey.spec import SurveySpec

__all__ = ["describe"]


def describe(spec: SurveySpec, data: Sequence[str | Path]) -> list[dict[str, object]]:
    """Return ``measure, value`` rows: sample sizes, design counts, population and missing values.

    Nothing is dropped or checked here, so a file that ``estimate`` rejects can still be described.
    """
    con = open_backend()
    try:
        return _described(spec, read_microdata(con, [Path(p) for p in data]))
    finally:
        con.disconnect()


def _described(spec: SurveySpec, raw: ibis.Table) -> list[dict[str, object]]:
    design = spec.design
    present = set(raw.columns)
    # Ids read as the estimator reads them (1.0 and 1 alike, true and 1 alike, a blank missing),
    # so the counts here are the design's counts.
    stratum = code_text(raw[design.strata]) if design.strata in present else ibis.literal("1")
    household = code_text(raw[spec.household]) if spec.household in present else None
    psu = code_text(raw[design.psu]) if design.psu in present else household
    totals = one_row(
        raw.aggregate(
            rows=raw.count(),
            # Households are identified within their stratum, as the engine does.
            households=ibis.struct({"s": stratum, "h": household}).nunique()
            if spec.household in present
            else raw.count(),
            population=raw[design.weight].cast("float64").sum()
            if design.weight in present
            else ibis.literal(None, type="float64"),
        )
    )
    population = totals["population"]
    rows: list[dict[str, object]] = [
        {"measure": "persons (rows)", "value": int(totals["rows"])},
        {"measure": "households", "value": int(totals["households"])},
        {
            "measure": "weighted population",
            "value": float("nan") if population is None else float(population),
        },
    ]
    needed = [c for c in (design.strata, design.psu, spec.household) if c]
    if all(c in present for c in needed):
        psus = raw.select(_stratum=stratum, _psu=psu).distinct()
        per_stratum = psus.group_by("_stratum").aggregate(n=psus.count())
        counts = one_row(
            per_stratum.aggregate(
                strata=per_stratum.count(),
                psus=per_stratum.n.sum(),
                lonely=(per_stratum.n == 1).sum(),
            )
        )
        rows += [
            {"measure": "strata", "value": int(counts["strata"])},
            {"measure": "PSUs", "value": int(counts["psus"] or 0)},
            {"measure": "strata with one PSU (lonely)", "value": int(counts["lonely"] or 0)},
        ]
    columns = _spec_columns(spec)
    missing_columns = [c for c in columns if c not in present]
    for column in missing_columns:
        rows.append({"measure": f"column {column}", "value": "not in the data"})
    checked = [c for c in columns if c in present]
    if checked:
        nulls = raw.aggregate(**{f"m{i}": raw[c].isnull().sum() for i, c in enumerate(checked)})
        found = one_row(nulls)
        for i, column in enumerate(checked):
            rows.append({"measure": f"missing in {column}", "value": int(found[f"m{i}"] or 0)})
    return rows


def _spec_columns(spec: SurveySpec) -> list[str]:
    design = spec.design
    columns = [design.weight, design.strata, design.psu, design.fpc, spec.household, spec.welfare]
    for program in spec.programs:
        columns += [program.amount, program.receipt]
    columns += [d.column for d in spec.domains]
    seen: list[str] = []
    for column in columns:
        if column and column not in seen:
            seen.append(column)
    return seen
