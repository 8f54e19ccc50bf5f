"""The population each indicator refers to, from the UN WPP series ASP_POP (five-year age
groups by sex), used to weight regional aggregates and to test population shares.

The five-year groups do not give 0-17: it is taken as 0-14 plus three fifths of 15-19
(an even spread of the 15-19 group over its five single years). 15-64 stands in for the
labour force, and women 15-49 for mothers of newborns, until such series exist in the store.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pandas as pd

from lindung.errors import UsageError
from lindung.keys import POPULATION_SERIES as POPULATION_SERIES


@dataclass(frozen=True)
class PopulationBasis:
    """A population: a sex code, a set of (age group, share) parts, and a label saying so."""

    code: str
    label: str
    sex: str
    parts: tuple[tuple[str, float], ...]


def _ages(low: int, high: int) -> tuple[tuple[str, float], ...]:
    """The five-year groups from ``low`` to ``high`` inclusive (multiples of 5; 100 = 100+)."""
    groups = [(f"Y{start}T{start + 4}", 1.0) for start in range(low, min(high, 99), 5)]
    if high >= 100:
        groups.append(("Y_GE100", 1.0))
    return tuple(groups)


BASES: dict[str, PopulationBasis] = {
    basis.code: basis
    for basis in (
        PopulationBasis("TOTAL", "total population", "_T", (("_T", 1.0),)),
        PopulationBasis("Y0T14", "children 0-14", "_T", _ages(0, 14)),
        PopulationBasis(
            "Y0T17",
            "children 0-17 (0-14 plus 3/5 of 15-19)",
            "_T",
            (*_ages(0, 14), ("Y15T19", 0.6)),
        ),
        PopulationBasis("Y15T64", "persons 15-64 (labour force proxy)", "_T", _ages(15, 64)),
        PopulationBasis("Y_GE65", "persons 65 and over", "_T", _ages(65, 100)),
        PopulationBasis("F_Y15T49", "women 15-49 (mothers of newborns proxy)", "F", _ages(15, 49)),
        PopulationBasis("F", "women", "F", (("_T", 1.0),)),
    )
}

#: The population of SDG 1.3.1 series whose group is not the whole population.
SERIES_BASIS: dict[str, str] = {
    "SI_COV_CHLD": "Y0T14",
    "SI_COV_PENSN": "Y_GE65",
    "SI_COV_UEMP": "Y15T64",
    "SI_COV_WKINJRY": "Y15T64",
    "SI_COV_MATNL": "F_Y15T49",
    "SI_POV_EMP1": "Y15T64",
    "SI_COV_VULN": "TOTAL",
    "SI_COV_POOR": "TOTAL",
    "SI_COV_DISAB": "TOTAL",
}

#: Words in vulnerable-group codes and the population they point to, first match wins.
GROUP_BASIS: tuple[tuple[str, str], ...] = (
    ("CHILD", "Y0T14"),
    ("OLD", "Y_GE65"),
    ("ELDER", "Y_GE65"),
    ("MOTHER", "F_Y15T49"),
    ("MATERN", "F_Y15T49"),
    ("NEWBORN", "F_Y15T49"),
    ("UNEMP", "Y15T64"),
    ("WORK", "Y15T64"),
    ("INFORMAL", "Y15T64"),
    ("MIGRANT", "Y15T64"),
    ("LABOUR", "Y15T64"),
    ("WOMEN", "F"),
)


def basis_for(
    series: str, groups: Iterable[str] = (), override: str | None = None
) -> PopulationBasis:
    """Return the relevant population of an indicator: the override, the series' own, the one
    all of its vulnerable groups point to, else the total population."""
    if override is not None:
        if override not in BASES:
            raise UsageError(
                f"--population {override!r} is not known; use one of {', '.join(sorted(BASES))}"
            )
        return BASES[override]
    if series in SERIES_BASIS:
        return BASES[SERIES_BASIS[series]]
    pointed = {
        next((code for word, code in GROUP_BASIS if word in group.upper()), "TOTAL")
        for group in groups
    }
    return BASES[pointed.pop()] if len(pointed) == 1 else BASES["TOTAL"]


def population_table(
    records: pd.DataFrame, basis: PopulationBasis, sex: str | None = None
) -> pd.DataFrame:
    """Return columns ref_area, time_period, population, source: ASP_POP summed over
    ``basis``'s parts (of one ``sex`` when given: the population of a sex-specific value), and
    the distinct sources of the rows summed.

    ``records`` are ASP_POP observations with columns ref_area, time_period, sex, age, value.
    Country-years that lack one of the parts are left out rather than undercounted.
    """
    if records.empty:
        return pd.DataFrame({"ref_area": [], "time_period": [], "population": [], "source": []})
    if "source" not in records:
        records = records.assign(source="")
    shares: Mapping[str, float] = dict(basis.parts)
    wanted_sex = basis.sex if sex in (None, "_T") else sex
    # WPP age groups are stored by sex only: both sexes are the sum of F and M.
    sexes = ["F", "M"] if wanted_sex == "_T" and "_T" not in shares else [wanted_sex]
    rows = records[records["sex"].isin(sexes) & records["age"].isin(list(shares))]
    weighted = rows.assign(
        population=rows["value"].astype(float) * rows["age"].map(shares).astype(float),
        part=rows["sex"] + ":" + rows["age"],
    )
    needed = len(shares) * len(sexes)
    # Table operations only (no Python call per country-year): the WPP holds thousands.
    keys = ["ref_area", "time_period"]
    grouped = weighted.groupby(keys)
    totals = pd.DataFrame(
        {
            "population": grouped["population"].sum(),
            "incomplete": weighted["population"].isna().groupby([weighted[k] for k in keys]).any(),
            "parts": grouped["part"].nunique(),
        }
    ).reset_index()
    # A missing number must not count as zero: a sum with a NaN part is NaN.
    totals.loc[totals["incomplete"], "population"] = float("nan")
    complete = totals[totals["parts"] == needed].reset_index(drop=True)
    sources = _sources(weighted[[*keys, "source"]])
    complete["source"] = [
        sources.get(key, "")
        for key in zip(complete["ref_area"], complete["time_period"], strict=True)
    ]
    return complete[["ref_area", "time_period", "population", "source"]]


def _sources(rows: pd.DataFrame) -> dict[tuple[object, object], str]:
    """The distinct sources of the rows summed into each population, as one text per
    (ref_area, time_period)."""
    named = rows[rows["source"].map(lambda v: isinstance(v, str) and bool(v))].drop_duplicates()
    found: dict[tuple[object, object], set[str]] = {}
    for area, year, source in named.itertuples(index=False, name=None):
        found.setdefault((area, year), set()).add(str(source))
    return {key: "; ".join(sorted(texts)) for key, texts in found.items()}
