"""Progress of every series in a table of observations: per indicator, area and
disaggregation, with the goal taken from the framework (target and years overridable)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

import pandas as pd

from lindung.assess.progress import Goal, Method, Progress, ProgressFields, assess_series
from lindung.framework.models import Indicator
from lindung.keys import DIMENSIONS, Breakdown, breakdown_fields

if TYPE_CHECKING:
    from lindung.assess.aggregates import Aggregate

#: Words in a target note that mark a target relative to the base value, and the ratio.
RELATIVE_TARGETS: tuple[tuple[str, float], ...] = (("half", 0.5),)

Bounds = tuple[float | None, float | None]
#: The range of values a unit allows: percentages and the catalogue's indices (Gini, UHC
#: service coverage) lie in 0-100, as the validation rules percent-out-of-range and
#: index-out-of-range say; amounts, counts and ratios are not negative.
UNIT_BOUNDS: dict[str, Bounds] = {
    "percent": (0.0, 100.0),
    "index": (0.0, 100.0),
    "ratio": (0.0, None),
    "LCU": (0.0, None),
    "PPP$": (0.0, None),
    "int$_2011": (0.0, None),
    "persons": (0.0, None),
    "count": (0.0, None),
}
#: Percentages whose definition allows more, as the rule percent-out-of-range exempts them: a
#: percentage of GDP per capita has no upper bound; a reduction can be negative (the program
#: raised poverty or inequality) but not above 100 %.
SERIES_BOUNDS: dict[str, Bounds] = {
    "ASP_SPI": (0.0, None),
    "ASP_SPI_DEPTH": (0.0, None),
    "ASP_POV_HC_RED": (None, 100.0),
    "ASP_POV_GAP_RED": (None, 100.0),
    "ASP_GINI_RED": (None, 100.0),
}


def value_bounds(indicator: Indicator) -> Bounds:
    """Return the range the indicator's values can take: its series' own, else its unit's."""
    return series_bounds(indicator.code, indicator.unit)


def series_bounds(series: str, unit: str) -> Bounds:
    """Return the range a series of ``unit`` can take: its own, else its unit's."""
    return SERIES_BOUNDS.get(series, UNIT_BOUNDS.get(unit, (None, None)))


def goal_for(
    indicator: Indicator,
    *,
    target: float | None = None,
    target_year: int | None = None,
    base_year: int | None = None,
) -> Goal | None:
    """Return the goal of an indicator from the framework, with any override applied; None for
    an indicator of neutral polarity (no desired direction: nothing to assess).

    A framework target without a value whose note speaks of halving ("reduce at least by
    half", SDG 1.2) becomes half the base value. Percentages have the natural limit 100 (0 when
    lower is better), which Open SDG uses without a target; ``value_bounds`` the range ESCAP's
    anticipated value is held within.
    """
    if indicator.polarity == "neutral":
        return None
    direction = 1 if indicator.polarity == "higher_is_better" else -1
    framework = indicator.target
    ratio = None
    if target is None and framework is not None and framework.value is None:
        note = framework.note.en.lower()
        ratio = next((value for word, value in RELATIVE_TARGETS if word in note), None)
    limit = (100.0 if direction > 0 else 0.0) if indicator.unit == "percent" else None
    return Goal(
        direction=direction,
        target=target if target is not None else (framework.value if framework else None),
        target_year=target_year or (framework.year if framework else 2030),
        base_year=base_year or (framework.baseline_year if framework else 2015),
        limit=limit,
        target_ratio=ratio,
        bounds=value_bounds(indicator),
    )


class ProgressRow(ProgressFields, Breakdown):
    """The progress of one series, area and disaggregation."""


class RegionalProgressRow(ProgressRow):
    """A progress row beside regional ones: the aggregation method of a regional row, None
    on a member state's."""

    aggregation: str | None


def progress_rows(
    frame: pd.DataFrame, goals: Mapping[str, Goal | None], method: Method
) -> list[ProgressRow]:
    """Return one row per series, area and disaggregation: its key and its ``Progress``.

    ``frame`` holds observations (series, ref_area, time_period, the dimensions, value);
    a series whose goal is None gets status not_assessed.
    """
    rows: list[ProgressRow] = []
    if frame.empty:
        return rows
    keys = ["series", "ref_area", *DIMENSIONS]
    for key, group in frame.groupby(keys, sort=True):
        record = {name: str(code) for name, code in zip(keys, key, strict=True)}
        goal = goals.get(record["series"])
        ordered = group.sort_values("time_period")
        result = _assess(ordered["time_period"].tolist(), ordered["value"].tolist(), goal, method)
        rows.append(
            ProgressRow(
                **breakdown_fields(record),
                **result.as_dict(),
            )
        )
    return rows


def _assess(
    years: Sequence[int], values: Sequence[float], goal: Goal | None, method: Method
) -> Progress:
    if goal is None:
        return Progress(
            method=method,
            status="not_assessed",
            reason="the indicator has no desired direction (neutral polarity)",
            reason_code="neutral_polarity",
        )
    return assess_series([int(y) for y in years], [float(v) for v in values], goal, method)


def escap_selection(frame: pd.DataFrame, members: Sequence[str]) -> dict[str, str]:
    """Return, per series failing ESCAP's first selection criterion (two or more data points
    for more than 50 per cent of the countries), the reason; series that pass are absent."""
    failing: dict[str, str] = {}
    if frame.empty:
        return failing
    totals = frame[(frame[list(DIMENSIONS)] == "_T").all(axis=1)]
    for code, part in totals.groupby("series"):
        points = part[part["ref_area"].isin(members)].groupby("ref_area")["time_period"].nunique()
        enough = int((points >= 2).sum())
        if enough <= len(members) / 2:
            failing[str(code)] = (
                f"ESCAP selection: {enough} of {len(members)} member states have two or more "
                "data points; more than half are needed for a regional assessment"
            )
    return failing


def regional_progress(
    aggregates: Sequence[Aggregate],
    goals: Mapping[str, Goal | None],
    method: Method,
    excluded: Mapping[str, str] | None = None,
) -> list[RegionalProgressRow]:
    """Return the progress of regional series made by ``regional_aggregates`` (one per
    aggregation method: ESCAP's simple mean and the population-weighted mean), labelled;
    a series in ``excluded`` (see ``escap_selection``) gets insufficient_data and the reason."""
    usable = [row for row in aggregates if row["value"] is not None]
    if not usable:
        return []
    frame = pd.DataFrame(usable)
    rows: list[RegionalProgressRow] = []
    for aggregation, part in frame.groupby("method", sort=True):
        for row in progress_rows(part, goals, method):
            reason = (excluded or {}).get(row["series"])
            if reason is not None:
                row["status"], row["reason"] = "insufficient_data", reason
                row["reason_code"], row["reason_args"] = "escap_selection", {}
            rows.append(RegionalProgressRow(**row, aggregation=str(aggregation)))
    return rows
