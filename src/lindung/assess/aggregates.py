"""Regional aggregates: means of member-state values over the catalogue's regions (ASEAN with
its eleven members, ASEAN10 without Timor-Leste), simple and weighted by the population the
indicator refers to.

Each aggregate names the countries it includes, the share of the members' relevant
population they hold and the source of the population that weighted it; below ``min_share``
(50% unless set) there is no aggregate, only the reason. Formulas: simple mean =
sum(x_i) / n; population-weighted mean = sum(P_i x_i) / sum(P_i) over the countries with a
value; population share = sum(P_i, with a value) / sum(P_j, members). A value or population
that is not a finite number is refused, naming it: an aggregate is always a finite number.
A row without a value says why in English (``reason``) and as a code with its numbers
(``reason_code``, ``reason_args``: ``REASON_CODES``) for ``lindung.i18n.reasons``.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from lindung.assess.population import PopulationBasis, basis_for, population_table
from lindung.errors import AssessmentError
from lindung.framework import Catalogue
from lindung.keys import DIMENSIONS

METHODS = ("simple_mean", "population_weighted")
#: Units whose values are not averaged across countries, with the reason given instead.
UNITS_NOT_AVERAGED = {
    "LCU": "values in each country's own currency cannot be averaged across countries",
    "persons": "a count of persons: a mean of national counts is not a regional figure",
}
#: The codes of a row's ``reason_code`` ("" where it has a value), each with the names of its
#: ``reason_args``; ``population`` is the code of the population basis (``population.BASES``)
#: and ``sex`` the sex it is restricted to ("_T": both).
REASON_CODES: dict[str, tuple[str, ...]] = {
    "": (),
    "currency_not_averaged": (),
    "persons_not_averaged": (),
    "no_population": ("population", "sex", "areas", "year"),
    "below_share": ("share", "population", "sex", "min_share"),
}
_UNIT_CODES = {"LCU": "currency_not_averaged", "persons": "persons_not_averaged"}


def regions(catalogue: Catalogue) -> dict[str, tuple[str, ...]]:
    """Return each regional aggregate of the catalogue that has members, with its members."""
    return {area.code: tuple(area.members) for area in catalogue.aggregates if area.members}


def regional_aggregates(
    values: pd.DataFrame,
    population: pd.DataFrame,
    basis: PopulationBasis,
    *,
    region: str,
    members: Sequence[str],
    min_share: float = 0.5,
) -> list[dict[str, Any]]:
    """Return one row per key (series, year, disaggregation) and method with the aggregate.

    ``values``: observations (series, ref_area, time_period, the dimensions, value, unit) of
    one indicator; ``population``: ASP_POP observations (ref_area, time_period, sex, age,
    value, and optionally source). Rows below ``min_share`` carry value None and the reason.
    Raises AssessmentError for a value or population that is not finite.
    """
    countries = tuple(members)
    frame = values[values["ref_area"].isin(countries)]
    rows: list[dict[str, Any]] = []
    if frame.empty:
        return rows
    keys = ["series", "time_period", *DIMENSIONS]
    by_sex: dict[str, pd.DataFrame] = {}
    for key, group in frame.groupby(keys, sort=True):
        record: dict[str, Any] = dict(zip(keys, key, strict=True))
        sex = str(record["sex"])
        year = int(record["time_period"])
        if sex not in by_sex:
            by_sex[sex] = population_table(population, basis, sex=sex)
        pops = by_sex[sex]
        pops = pops[(pops["time_period"] == year) & pops["ref_area"].isin(countries)]
        by_area = dict(zip(pops["ref_area"], pops["population"].astype(float), strict=True))
        sources = sorted({s for text in pops["source"] for s in str(text).split("; ") if s})
        per_area = dict(zip(group["ref_area"], group["value"].astype(float), strict=True))
        _refuse_non_finite(record, per_area, by_area)
        missing_pop = [c for c in countries if c not in by_area]
        base: dict[str, Any] = {
            **record,
            "ref_area": region,
            "time_period": year,
            "unit": str(group["unit"].iloc[0]),
            "countries": sorted(per_area),
            "population": basis.label if sex in ("_T", None) else f"{basis.label}, sex {sex}",
            "population_source": "; ".join(sources) or "not stated",
        }
        refusal = UNITS_NOT_AVERAGED.get(base["unit"]) or (
            f"no {basis.label} for {', '.join(missing_pop)} in {year}" if missing_pop else None
        )
        if refusal:
            code = _UNIT_CODES.get(base["unit"], "no_population")
            args: dict[str, Any] = (
                {"population": basis.code, "sex": sex, "areas": missing_pop, "year": year}
                if code == "no_population"
                else {}
            )
            rows.extend(
                {
                    **base,
                    "method": m,
                    "value": None,
                    "population_share": None,
                    "reason": refusal,
                    "reason_code": code,
                    "reason_args": args,
                }
                for m in METHODS
            )
            continue
        share, results = _means(per_area, by_area, countries)
        for method in METHODS:
            row = {**base, "method": method, "population_share": share}
            if share < min_share:
                row["value"] = None
                row["reason"] = (
                    f"countries with data hold {share:.1%} of the {basis.label}, "
                    f"below {min_share:.0%}"
                )
                row["reason_code"] = "below_share"
                row["reason_args"] = {
                    "share": share,
                    "population": basis.code,
                    "sex": sex,
                    "min_share": min_share,
                }
            else:
                row["value"] = results[method]
                row["reason"] = ""
                row["reason_code"] = ""
                row["reason_args"] = {}
            rows.append(row)
    return rows


def aggregate_table(
    catalogue: Catalogue,
    codes: Sequence[str],
    regions: Mapping[str, Sequence[str]],
    values: pd.DataFrame,
    population: pd.DataFrame,
    *,
    year: int | None = None,
    min_share: float = 0.5,
    population_override: str | None = None,
) -> list[dict[str, Any]]:
    """Return ``regional_aggregates`` of each series in ``codes`` for each region (of
    ``year`` only, if given), each weighted by the population its indicator refers to
    (``population.basis_for``): what ``lindung assess aggregate`` prints and the web shows."""
    if year is not None and not values.empty:
        values = values[values["time_period"] == year]
    rows: list[dict[str, Any]] = []
    for code in codes:
        basis = basis_for(code, catalogue.indicator(code).groups, population_override)
        part = values[values["series"] == code]
        for region, countries in regions.items():
            rows.extend(
                regional_aggregates(
                    part, population, basis, region=region, members=countries, min_share=min_share
                )
            )
    return rows


def _refuse_non_finite(
    record: Mapping[str, Any], values: Mapping[str, float], population: Mapping[str, float]
) -> None:
    """Raise AssessmentError naming the first value or population that is not a finite number
    (or a population not above zero): either would make the aggregate meaningless."""
    for area, value in sorted(values.items()):
        if not math.isfinite(value):
            raise AssessmentError(
                f"{record['series']} of {area} in {record['time_period']} is {value}, not a "
                "finite number; correct the submission that holds it before aggregating"
            )
    for area, people in sorted(population.items()):
        if not (math.isfinite(people) and people > 0):
            raise AssessmentError(
                f"the population (ASP_POP) of {area} in {record['time_period']} is {people:g}, "
                "not a finite positive number; reload it with `lindung data load-reference`"
            )


def _means(
    values: Mapping[str, float], population: Mapping[str, float], members: Sequence[str]
) -> tuple[float, dict[str, float]]:
    """Return the population share and both means. Populations are scaled by the largest, and
    each mean is a sum of terms whose weights add up to 1, so that no intermediate sum can
    overflow: finite inputs give a finite aggregate, whatever their magnitude."""
    largest = max(population[c] for c in members)
    weights = {c: population[c] / largest for c in members}
    with_data = math.fsum(weights[c] for c in values)
    share = with_data / math.fsum(weights.values())
    simple = math.fsum(v / len(values) for v in values.values())
    weighted = math.fsum(weights[c] / with_data * v for c, v in values.items())
    return share, {"simple_mean": simple, "population_weighted": weighted}


def describe(row: Mapping[str, Any]) -> str:
    """Return the comment stored with an aggregate: method, countries, population weights and
    their source, and the population share."""
    return (
        f"{row['method']} over {', '.join(row['countries'])}; weights: {row['population']} "
        f"({row['population_source']}); population share {row['population_share']:.4f}"
    )
