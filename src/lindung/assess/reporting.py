"""Reporting status: which indicators each member state reported in which year, and which of
the breakdowns the framework expects of an indicator each member state actually reported.

A series counts as reported by an area in a year when any current published value of it (a
total or a breakdown) exists for that area and year. A breakdown counts as reported when
``availability.availability`` finds it among the area's values of the series (any year); the
expected breakdowns are the indicator's ``disaggregations`` in the framework.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Literal, TypedDict

import pandas as pd

from lindung.errors import UnknownCode
from lindung.framework import Catalogue
from lindung.framework.models import Tier

if TYPE_CHECKING:
    from lindung.assess.availability import Availability

#: How far an area's values of a series go towards the breakdowns the framework expects:
#: every expected one reported (or none expected), some, none (totals only), or no value at all.
DisaggregationStatus = Literal["complete", "partial", "totals_only", "no_data"]

#: The ``tier`` filter's value for an indicator that is not an SDG series (no IAEG tier).
NO_TIER = "none"


class YearReported(TypedDict):
    """A member state's year with values: the series reported and how many they are."""

    ref_area: str
    time_period: int
    series: list[str]
    count: int


class DisaggregationReport(TypedDict):
    """The breakdowns of one series and area: expected, reported, missing, and the status."""

    series: str
    ref_area: str
    expected: list[str]
    reported: list[str]
    missing: list[str]
    status: DisaggregationStatus


def years_reported(
    frame: pd.DataFrame, series: Sequence[str], members: Sequence[str]
) -> list[YearReported]:
    """Return one row per member state and year with a value of any of ``series``: the
    area, the year, the series reported that year (sorted) and how many they are; rows in
    the order of ``members``, then by year."""
    if frame.empty:
        return []
    chosen = frame[frame["series"].isin(list(series)) & frame["ref_area"].isin(list(members))]
    found: dict[tuple[str, int], set[str]] = {}
    for area, year, code in zip(
        chosen["ref_area"], chosen["time_period"], chosen["series"], strict=True
    ):
        found.setdefault((str(area), int(year)), set()).add(str(code))
    order = {area: position for position, area in enumerate(members)}
    keys = sorted(found, key=lambda key: (order[key[0]], key[1]))
    return [
        YearReported(
            ref_area=area,
            time_period=year,
            series=sorted(found[area, year]),
            count=len(found[area, year]),
        )
        for area, year in keys
    ]


def disaggregation_status(
    available: Sequence[Availability], expected: Mapping[str, Sequence[str]]
) -> list[DisaggregationReport]:
    """Return, for each ``availability`` row, the breakdowns expected of its series
    (``expected``: series -> dimension names, either case), those reported, those missing
    and the ``DisaggregationStatus``; dimension names in lower case, in the framework's order."""
    rows: list[DisaggregationReport] = []
    for row in available:
        wanted = [name.lower() for name in expected.get(row["series"], ())]
        reported = list(row["disaggregations"])
        missing = [name for name in wanted if name not in reported]
        status: DisaggregationStatus
        if row["latest_year"] is None:
            status = "no_data"
        elif not missing:
            status = "complete"
        elif len(missing) < len(wanted):
            status = "partial"
        else:
            status = "totals_only"
        rows.append(
            DisaggregationReport(
                series=row["series"],
                ref_area=row["ref_area"],
                expected=wanted,
                reported=reported,
                missing=missing,
                status=status,
            )
        )
    return rows


def indicators_where(
    catalogue: Catalogue,
    codes: Sequence[str],
    *,
    pillar: str | None = None,
    tier: Tier | Literal["none"] | None = None,
    custodian: str | None = None,
) -> list[str]:
    """Return the series of ``codes`` in ``pillar``, of global IAEG ``tier`` (``NO_TIER``:
    not an SDG series) and of ``custodian``; a filter left None keeps every series. A pillar
    or custodian the catalogue does not know is ``UnknownCode``."""
    if pillar is not None:
        catalogue.pillar(pillar)
    if custodian is not None and custodian not in custodians(catalogue):
        raise UnknownCode("custodian", custodian, f"use one of {', '.join(custodians(catalogue))}")
    chosen: list[str] = []
    for code in codes:
        indicator = catalogue.indicator(code)
        its_tier = indicator.sdg.tier if indicator.sdg else NO_TIER
        if pillar is not None and indicator.pillar != pillar:
            continue
        if tier is not None and its_tier != tier:
            continue
        if custodian is not None and indicator.custodian != custodian:
            continue
        chosen.append(code)
    return chosen


def custodians(catalogue: Catalogue) -> list[str]:
    """Return the custodian agencies of the catalogue's indicators, sorted, each once."""
    return sorted({indicator.custodian for indicator in catalogue.indicators})
