"""Data availability (indicator x member state) and ASEAN tiers by the IAEG-SDGs criteria.

IAEG-SDGs tier criteria (tier classification, 2020 and later): Tier I - conceptually clear,
internationally established methodology and standards, and data regularly produced by countries
for at least 50 per cent of countries and of the population in every region where the
indicator is relevant; Tier II - the same, but data not regularly produced; Tier III - no
internationally established methodology or standards. Lindung applies them with ASEAN as the
region: "regularly produced" means at least ``min_points`` values (totals) since the baseline.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict, cast

import pandas as pd

from lindung.assess.headline import headline
from lindung.jsontypes import JSONObject
from lindung.keys import DIMENSIONS, Breakdown
from lindung.text import counted

#: A (series, ref_area) group key of a frame.
Pair = tuple[str, str]


@dataclass(frozen=True)
class TierInput:
    """What the tier needs to know of an indicator besides its data: its global tier."""

    code: str
    global_tier: str | None


class Availability(Breakdown):
    """The data of one series for one member state: latest year, points, breakdowns."""

    latest_year: int | None
    points: int
    disaggregations: list[str]


class Tier(TypedDict):
    """An indicator's ASEAN tier beside its global one, with the reason."""

    series: str
    ref_area: str
    global_tier: str | None
    asean_tier: str
    countries: list[str]
    country_share: float
    population_share: float
    reason: str
    #: The reason as a code and its numbers, for ``lindung.i18n.reasons``.
    reason_code: str
    reason_args: JSONObject


def availability(
    frame: pd.DataFrame, series: Sequence[str], members: Sequence[str], since: int
) -> list[Availability]:
    """Return one row per series and member state: latest year, points since ``since``
    (distinct years with a headline value, see ``headline.headline``) and the dimensions with any
    breakdown."""
    latest: dict[Pair, int] = {}
    points: dict[Pair, int] = {}
    broken_down: dict[Pair, list[str]] = {}
    if not frame.empty:
        # One pass per question over the whole frame (grouped), not one filter per cell.
        keys = [frame["series"].astype(str), frame["ref_area"].astype(str)]
        for key, year in frame["time_period"].groupby(keys).max().items():
            latest[cast(Pair, key)] = int(year)
        totals = headline(frame)
        recent = totals[totals["time_period"] >= since]
        if not recent.empty:
            by = [recent["series"].astype(str), recent["ref_area"].astype(str)]
            for key, count in recent["time_period"].groupby(by).nunique().items():
                points[cast(Pair, key)] = int(count)
        marked = (frame[list(DIMENSIONS)] != "_T").groupby(keys).any()
        for key, flags in marked.iterrows():
            broken_down[cast(Pair, key)] = sorted(name for name in DIMENSIONS if bool(flags[name]))
    return [
        Availability(
            series=code,
            ref_area=area,
            sex="_T",
            age="_T",
            urbanisation="_T",
            income_wealth_quantile="_T",
            disability_status="_T",
            group="_T",
            program="_T",
            poverty_line="_T",
            latest_year=latest.get((code, area)),
            points=points.get((code, area), 0),
            disaggregations=broken_down.get((code, area), []),
        )
        for code in series
        for area in members
    ]


def availability_grid(
    available: Sequence[Availability], members: Sequence[str]
) -> list[dict[str, str]]:
    """Return ``availability`` rows as a grid: one row per series, one column per member state,
    each cell "latest year (points)", or "-" where the series has no value for that member."""
    grid: dict[str, dict[str, str]] = {}
    for row in available:
        line = grid.setdefault(str(row["series"]), {"series": row["series"]})
        latest = row["latest_year"]
        line[str(row["ref_area"])] = "-" if latest is None else f"{latest} ({row['points']})"
    return [{**line, **{m: line.get(m, "-") for m in members}} for line in grid.values()]


def asean_tiers(
    available: Sequence[Availability],
    indicators: Sequence[TierInput],
    population: Mapping[str, float],
    *,
    min_points: int = 2,
    min_share: float = 0.5,
) -> list[Tier]:
    """Return each indicator's ASEAN tier beside its global IAEG tier, with the reason.

    ``available`` are rows of ``availability``; ``population`` maps each member state to its
    total population (the denominator of the population criterion).
    """
    members = sorted(population)
    total_population = sum(population.values())
    rows: list[Tier] = []
    for indicator in indicators:
        regular = sorted(
            str(row["ref_area"])
            for row in available
            if row["series"] == indicator.code
            and row["ref_area"] in population
            and int(row["points"]) >= min_points
        )
        country_share = len(regular) / len(members) if members else 0.0
        population_share = (
            sum(population[c] for c in regular) / total_population if total_population else 0.0
        )
        established = indicator.global_tier != "III"
        basis = "" if indicator.global_tier else "not an SDG series, custodian's method; "
        if not established:
            tier = "III"
            reason = "no internationally established methodology (global Tier III)"
        elif country_share >= min_share and population_share >= min_share:
            tier = "I"
            reason = basis + (
                "established methodology; data regularly produced "
                f"(>= {counted(min_points, 'point')}) for {len(regular)} of "
                f"{counted(len(members), 'member state')} ({country_share:.0%}) "
                f"holding {population_share:.0%} of ASEAN's population"
            )
        else:
            tier = "II"
            reason = basis + (
                f"established methodology, but data regularly produced for only "
                f"{len(regular)} of {len(members)} member states ({country_share:.0%}, "
                f"{population_share:.0%} of the population); both must reach {min_share:.0%}"
            )
        rows.append(
            Tier(
                series=indicator.code,
                ref_area="ASEAN",
                global_tier=indicator.global_tier,
                asean_tier=tier,
                countries=regular,
                country_share=country_share,
                population_share=population_share,
                reason=reason,
                reason_code=f"tier_{tier}",
                reason_args={
                    "not_sdg": not indicator.global_tier,
                    "min_points": min_points,
                    "regular": len(regular),
                    "members": len(members),
                    "country_share": country_share,
                    "population_share": population_share,
                    "min_share": min_share,
                },
            )
        )
    return rows
