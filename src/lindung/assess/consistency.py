"""National versus international figures: for each national value with an international
equivalent (the framework's crosswalk and SDG series), the international value for the same
country, year and disaggregation, the difference, and a flag beyond a tolerance.

Tolerance: set per indicator; otherwise 5 percentage points for percentages and 10 per cent
of the international value for anything else.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TypedDict

import pandas as pd

from lindung.assess.equivalents import Equivalent
from lindung.keys import DIMENSIONS, Key, key_fields

PERCENT_TOLERANCE = 5.0
RELATIVE_TOLERANCE = 0.10


def tolerance_for(unit: str, override: float | None = None) -> tuple[float, str]:
    """Return the tolerance and its description: the override, else 5 points for percent,
    else 10% of the international value (returned as 0.10 with kind 'relative')."""
    if override is not None:
        return override, "absolute"
    if unit == "percent":
        return PERCENT_TOLERANCE, "absolute"
    return RELATIVE_TOLERANCE, "relative"


class Comparison(Key):
    """A national value beside its international equivalent, and whether they differ beyond
    the tolerance."""

    national: float
    international: float
    international_series: str
    agency: str
    international_source: str | None
    difference: float
    tolerance: float
    flag: bool


class CountryConsistency(TypedDict):
    """Per country: values compared, values flagged, the mean absolute difference."""

    ref_area: str
    compared: int
    flagged: int
    mean_abs_difference: float
    flagged_series: list[str]


def compare(
    national: pd.DataFrame,
    international: pd.DataFrame,
    equivalents: Mapping[str, Sequence[Equivalent]],
    tolerances: Mapping[str, float] | None = None,
) -> list[Comparison]:
    """Return one row per national value and international equivalent found.

    ``equivalents`` maps a national series to its international equivalents (a stored series
    and the dimensions it fixes, e.g. program ALL_SP); both frames hold observations (series,
    ref_area, time_period, the dimensions, value, unit, source).
    """
    tolerances = tolerances or {}
    rows: list[Comparison] = []
    if national.empty or international.empty:
        return rows
    keys = ["ref_area", "time_period", *DIMENSIONS]
    indexed = international.set_index(["series", *keys]).sort_index()
    for record in national.to_dict("records"):
        for equivalent in equivalents.get(str(record["series"]), ()):
            fixed = dict(equivalent.dimensions)
            lookup = (equivalent.series, *(fixed.get(k, record[k]) for k in keys))
            if lookup not in indexed.index:
                continue
            match = indexed.loc[lookup]
            other = match.iloc[-1] if isinstance(match, pd.DataFrame) else match
            value, reference = float(record["value"]), float(other["value"])
            difference = value - reference
            limit, kind = tolerance_for(str(record["unit"]), tolerances.get(str(record["series"])))
            allowed = limit * abs(reference) if kind == "relative" else limit
            source = other.get("source")
            rows.append(
                Comparison(
                    **key_fields(record),
                    national=value,
                    international=reference,
                    international_series=equivalent.series,
                    agency=equivalent.agency,
                    international_source=source if isinstance(source, str) else None,
                    difference=difference,
                    tolerance=allowed,
                    flag=bool(abs(difference) > allowed),
                )
            )
    return rows


def summary(rows: Sequence[Comparison]) -> list[CountryConsistency]:
    """Return per country: values compared, values flagged and the mean absolute difference."""
    by_area: dict[str, list[Comparison]] = {}
    for row in rows:
        by_area.setdefault(str(row["ref_area"]), []).append(row)
    return [
        CountryConsistency(
            ref_area=area,
            compared=len(items),
            flagged=sum(1 for item in items if item["flag"]),
            mean_abs_difference=sum(abs(item["difference"]) for item in items) / len(items),
            flagged_series=sorted({item["series"] for item in items if item["flag"]}),
        )
        for area, items in sorted(by_area.items())
    ]
