"""Regional aggregates: ASEAN-11 and ASEAN-10 (without Timor-Leste) means of member-state
values, simple and weighted by the population the indicator refers to.

Each aggregate names the countries it includes and the share of the members' relevant
population they hold; below ``min_share`` (50% unless set) there is no aggregate, only the
reason. Formulas: simple mean = sum(x_i) / n; population-weighted mean = sum(P_i x_i) / sum(P_i)
over the countries with a value; population share = sum(P_i, with a value) / sum(P_j, members).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pandas as pd

from lindung.assess.keys import DIMENSIONS
from lindung.assess.population import PopulationBasis, population_table

ASEAN10 = ("BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM")
ASEAN11 = (*ASEAN10, "TLS")
REGIONS: dict[str, tuple[str, ...]] = {"ASEAN": ASEAN11, "ASEAN10": ASEAN10}
METHODS = ("simple_mean", "population_weighted")
#: Units whose values are not averaged across countries, with the reason given instead.
UNITS_NOT_AVERAGED = {
    "LCU": "values in each country's own currency cannot be averaged across countries",
    "persons": "a count of persons: a mean of national counts is not a regional figure",
}


def regional_aggregates(
    values: pd.DataFrame,
    population: pd.DataFrame,
    basis: PopulationBasis,
    *,
    region: str = "ASEAN",
    members: Sequence[str] | None = None,
    min_share: float = 0.5,
) -> list[dict[str, Any]]:
    """Return one row per key (series, year, disaggregation) and method with the aggregate.

    ``values``: observations (series, ref_area, time_period, the dimensions, value, unit) of
    one indicator; ``population``: ASP_POP observations (ref_area, time_period, sex, age,
    value). Rows below ``min_share`` carry value None and the reason.
    """
    countries = tuple(members) if members is not None else REGIONS[region]
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
        by_area = dict(zip(pops["ref_area"], pops["population"], strict=True))
        included = sorted(group["ref_area"].unique())
        missing_pop = [c for c in countries if c not in by_area]
        base: dict[str, Any] = {
            **record,
            "ref_area": region,
            "time_period": year,
            "unit": str(group["unit"].iloc[0]),
            "countries": included,
            "population": basis.label if sex in ("_T", None) else f"{basis.label}, sex {sex}",
        }
        refusal = UNITS_NOT_AVERAGED.get(base["unit"]) or (
            f"no {basis.label} for {', '.join(missing_pop)} in {year}" if missing_pop else None
        )
        if refusal:
            for method in METHODS:
                rows.append(
                    {
                        **base,
                        "method": method,
                        "value": None,
                        "population_share": None,
                        "reason": refusal,
                    }
                )
            continue
        share = sum(by_area[c] for c in included) / sum(by_area[c] for c in countries)
        per_area = group.set_index("ref_area")["value"]
        weights = pd.Series({c: by_area[c] for c in included})
        results = {
            "simple_mean": float(per_area.mean()),
            "population_weighted": float((per_area * weights).sum() / weights.sum()),
        }
        for method in METHODS:
            row = {**base, "method": method, "population_share": share}
            if share < min_share:
                row["value"] = None
                row["reason"] = (
                    f"countries with data hold {share:.1%} of the {basis.label}, "
                    f"below {min_share:.0%}"
                )
            else:
                row["value"] = results[method]
                row["reason"] = ""
            rows.append(row)
    return rows


def describe(row: dict[str, Any]) -> str:
    """Return the comment stored with an aggregate: method, countries and population share."""
    return (
        f"{row['method']} over {', '.join(row['countries'])}; weights: {row['population']} "
        f"(UN WPP 2019); population share {row['population_share']:.4f}"
    )
