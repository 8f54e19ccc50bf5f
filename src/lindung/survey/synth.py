"""A realistic synthetic national household survey and its spec, for demos, tests and benchmarks.

Strata are region x urban/rural; PSUs hold about ten households; household sizes, ages, sex and
disability follow plausible Southeast Asian shapes; pre-transfer welfare is log-normal with
regional and urban effects. Eight programs are received with probabilities that depend on
poverty and age, with leakage to the non-poor and exclusion of the poor. Figures are invented;
the generator is vectorised NumPy (about two seconds for 345,000 households).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

__all__ = ["PROGRAMS", "synthetic_spec", "synthetic_survey", "write_survey"]

REGIONS = 10
HOUSEHOLDS_PER_PSU = 10
POVERTY_LINE = 5_400_000.0

PROGRAMS: list[dict[str, Any]] = [
    {
        "code": "pkh",
        "name": "Conditional cash transfer for poor families with children",
        "area": "social_assistance",
        "category": "cct",
        "amount": "pkh_amt",
        "level": "household",
    },
    {
        "code": "blt",
        "name": "Unconditional cash transfer",
        "area": "social_assistance",
        "category": "uct",
        "amount": "blt_amt",
        "level": "household",
    },
    {
        "code": "food",
        "name": "Food aid (staples)",
        "area": "social_assistance",
        "category": "food_in_kind",
        "amount": "food_amt",
        "level": "household",
    },
    {
        "code": "social_pension",
        "name": "Social pension, age 70+",
        "area": "social_assistance",
        "category": "social_pension",
        "amount": "spens_amt",
        "level": "person",
    },
    {
        "code": "pension",
        "name": "Contributory old-age pension",
        "area": "social_insurance",
        "category": "contributory_pension",
        "amount": "pens_amt",
        "level": "person",
    },
    {
        "code": "health_subsidy",
        "name": "Health insurance premium subsidy",
        "area": "social_insurance",
        "category": "health_insurance_subsidy",
        "amount": "health_amt",
        "level": "person",
    },
    {
        "code": "unemployment",
        "name": "Unemployment benefit",
        "area": "labour_market",
        "category": "unemployment_benefit",
        "amount": "unemp_amt",
        "level": "person",
    },
    {
        "code": "public_works",
        "name": "Public works",
        "area": "labour_market",
        "category": "public_works",
        "amount": "pw_amt",
        "level": "person",
    },
]


def synthetic_survey(households: int, seed: int) -> pa.Table:
    """Return a person-level synthetic survey of ``households`` households (Arrow table)."""
    rng = np.random.default_rng(seed)
    h = households
    region = rng.integers(1, REGIONS + 1, h)
    urban = (rng.random(h) < 0.35 + 0.04 * (region % 4)).astype(np.int64)
    stratum = region * 10 + urban
    order = np.lexsort((rng.random(h), stratum))
    region, urban, stratum = region[order], urban[order], stratum[order]
    rank_in_stratum = np.arange(h) - np.searchsorted(stratum, stratum, side="left")
    psu = stratum * 100_000 + rank_in_stratum // HOUSEHOLDS_PER_PSU
    size = np.minimum(1 + rng.poisson(2.5 - 0.4 * urban, h), 12)
    region_effect = rng.normal(0, 0.25, REGIONS + 1)[region]
    log_welfare = (
        np.log(9_000_000)
        + region_effect
        + 0.35 * urban
        - 0.08 * (size - 3.5)
        + rng.normal(0, 0.62, h)
    )
    pre_welfare = np.exp(log_welfare)
    psu_population = 40 + (stratum % 7) * 5
    _, psus_in_stratum = np.unique(psu, return_index=True)
    stratum_psus = np.bincount(stratum[psus_in_stratum], minlength=stratum.max() + 1)
    weight = (1200 / (1 + 0.5 * urban)) * rng.uniform(0.8, 1.25, h)

    person_household = np.repeat(np.arange(h), size)
    member = np.arange(len(person_household)) - np.repeat(np.cumsum(size) - size, size)
    age = _ages(rng, member, size[person_household])
    sex = np.where(
        member == 0, np.where(rng.random(len(member)) < 0.85, 1, 2), rng.integers(1, 3, len(member))
    )
    disability = (rng.random(len(member)) < 0.02 + 0.004 * np.maximum(age - 40, 0)).astype(np.int64)
    poorness = _poorness(rng, pre_welfare)
    has_child = np.bincount(person_household, weights=age < 18, minlength=h) > 0
    amounts = _transfers(rng, person_household, age, poorness, has_child, urban, pre_welfare)

    household_total = np.zeros(h)
    for program in PROGRAMS:
        values = amounts[program["amount"]]
        if program["level"] == "household":
            household_total += values[np.cumsum(size) - size]
        else:
            household_total += np.bincount(person_household, weights=values, minlength=h)
    welfare = pre_welfare + household_total / size
    p = person_household
    columns: dict[str, Any] = {
        "hhid": order[p] + 1,
        "pid": member + 1,
        "region": region[p],
        "urban": urban[p],
        "stratum": stratum[p],
        "psu": psu[p],
        "fpc": (stratum_psus[stratum] * psu_population / 10).astype(np.int64)[p],
        "wt": np.round(weight[p], 3),
        "hhsize": size[p],
        "age": age,
        "age_group": np.where(age < 15, "0-14", np.where(age < 65, "15-64", "65+")),
        "sex": sex,
        "disability": disability,
        "welfare_pc": np.round(welfare[p], 2),
    }
    columns.update({name: np.round(values, 2) for name, values in amounts.items()})
    return pa.table(columns)


def _ages(
    rng: np.random.Generator, member: npt.NDArray[np.int64], size: npt.NDArray[np.int64]
) -> npt.NDArray[np.int64]:
    head = rng.integers(22, 82, len(member))
    spouse = np.clip(head + rng.integers(-8, 4, len(member)), 18, 95)
    child = rng.integers(0, 25, len(member))
    elder = rng.integers(60, 92, len(member))
    other = np.where(rng.random(len(member)) < 0.15, elder, child)
    age = np.where(member == 0, head, np.where((member == 1) & (size > 2), spouse, other))
    return age.astype(np.int64)


def _poorness(
    rng: np.random.Generator, welfare: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Proxy-means score: the rank of welfare observed with noise (0 = poorest)."""
    noisy = np.log(welfare) + rng.normal(0, 0.35, len(welfare))
    return np.argsort(np.argsort(noisy)) / len(welfare)


def _transfers(
    rng: np.random.Generator,
    household: npt.NDArray[np.int64],
    age: npt.NDArray[np.int64],
    poorness: npt.NDArray[np.float64],
    has_child: npt.NDArray[np.bool_],
    urban: npt.NDArray[np.int64],
    welfare: npt.NDArray[np.float64],
) -> dict[str, npt.NDArray[np.float64]]:
    h, n = len(poorness), len(household)
    score = poorness[household]
    draw = rng.random

    def household_program(
        probability: npt.NDArray[np.float64], amount: float
    ) -> npt.NDArray[np.float64]:
        receives = draw(h) < probability
        value = receives * amount * rng.uniform(0.8, 1.2, h)
        return value[household]

    def person_program(
        probability: npt.NDArray[np.float64], amount: float
    ) -> npt.NDArray[np.float64]:
        receives = draw(n) < probability
        return receives * amount * rng.uniform(0.7, 1.3, n)

    working = (age >= 18) & (age < 60)
    return {
        "pkh_amt": household_program(
            np.where(
                has_child, np.where(poorness < 0.15, 0.62, np.where(poorness < 0.3, 0.2, 0.03)), 0.0
            ),
            3_000_000,
        ),
        "blt_amt": household_program(np.where(poorness < 0.4, 0.45, 0.07), 1_200_000),
        "food_amt": household_program(
            np.where(poorness < 0.25, 0.55, 0.1) - 0.05 * urban, 2_400_000
        ),
        "spens_amt": person_program(
            np.where(age >= 70, np.where(score < 0.4, 0.35, 0.08), 0.0), 3_600_000
        ),
        "pens_amt": person_program(
            np.where(age >= 58, 0.05 + 0.45 * score**2, 0.0), 0.9 * float(np.median(welfare))
        ),
        "health_amt": person_program(np.where(score < 0.4, 0.7, 0.15), 500_000),
        "unemp_amt": person_program(np.where(working, 0.01 + 0.02 * score, 0.0), 6_000_000),
        "pw_amt": person_program(np.where(working & (score < 0.3), 0.06, 0.005), 2_000_000),
    }


def synthetic_spec(data_name: str = "survey.csv") -> dict[str, Any]:
    """Return the spec (as a mapping ready for YAML) describing a synthetic survey."""
    return {
        "survey": {
            "country": "IDN",
            "year": 2024,
            "name": f"Synthetic national survey ({data_name})",
        },
        "design": {
            "weight": "wt",
            "strata": "stratum",
            "psu": "psu",
            "fpc": "fpc",
            "lonely_psu": "adjust",
        },
        "household": "hhid",
        "welfare": "welfare_pc",
        "poverty_lines": [
            {"code": "national", "value": POVERTY_LINE},
            {"code": "p20", "relative_quantile": 0.2},
        ],
        "programs": [dict(program) for program in PROGRAMS],
        "domains": [
            {"column": "urban", "dimension": "urbanisation", "codes": {1: "U", 0: "R"}},
            {"column": "sex", "dimension": "sex", "codes": {1: "M", 2: "F"}},
            {
                "column": "disability",
                "dimension": "disability_status",
                "codes": {1: "PD", 0: "PWD"},
            },
            {
                "column": "age_group",
                "dimension": "age",
                "codes": {"0-14": "Y0T14", "15-64": "Y15T64", "65+": "Y_GE65"},
            },
        ],
        "indicators": "all",
    }


def write_survey(table: pa.Table, path: str | Path) -> None:
    """Write a survey table as CSV or Parquet, chosen by the file's extension."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.suffix.lower() in {".parquet", ".pq"}:
        pq.write_table(table, target)
    else:
        pacsv.write_csv(table, target)
