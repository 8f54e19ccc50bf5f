"""A registry small enough to count by hand, written as CSV files in the test's folder."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REGISTRY = """person_id,household_id,region,sex,birth_year,disability,decile,poor
1,10,A,F,1990,0,1,1
2,10,A,M,1988,0,1,1
3,10,A,F,2018,0,1,1
4,20,A,M,1950,1,5,0
5,20,A,F,1955,0,5,0
6,30,B,F,2000,0,3,1
7,30,B,M,2020,0,3,1
8,40,B,M,1970,0,8,0
9,40,B,F,1972,1,8,0
10,50,B,F,1940,1,2,1
"""
"""Ten persons in five households; deciles 1 to 4 (the target) hold persons 1, 2, 3, 6, 7, 10."""

CCT = """household_id,amount,period
10,300,2026-01
10,300,2026-02
30,200,2026-01
30,200,2026-01
40,100,2026-03
99,500,2026-01
50,0,2026-01
20,150,2025-12
"""
"""A list by household: one repeated row (30, 2026-01), an unknown id (99), an amount of 0
(household 50) and a period outside 2026 (household 20)."""

PENSION = """person_id,amount,period
4,400,2026-06
10,400,2026-06
10,400,2026-07
5,-10,2026-06
X77,400,2026-06
"""
"""A list by person: a negative amount (person 5) and an id the registry lacks (X77), which also
makes the id column text while the registry's is a number."""


@pytest.fixture(scope="module")
def small_registry(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Write the hand-counted registry and its two lists; return their paths."""
    folder = tmp_path_factory.mktemp("registry")
    files = {"registry": REGISTRY, "cct": CCT, "pension": PENSION}
    paths = {}
    for name, text in files.items():
        paths[name] = folder / f"{name}.csv"
        paths[name].write_text(text, encoding="utf-8")
    return paths


ENGINES = ["duckdb", pytest.param("spark", marks=pytest.mark.spark)]
"""The engines a count is checked on: DuckDB, and Spark in local mode (marker ``spark``, the
session of tests/conftest.py's ``spark`` fixture)."""


@pytest.fixture(scope="module")
def spark(spark: Any) -> Iterator[Any]:
    """tests/conftest.py's Spark session, with adaptive query execution off while a registry
    test module runs (a runtime setting of the session, set back after).

    The registry's few queries are large plans (grouping sets over every breakdown, the decile
    ranking's windows and joins); adaptive execution cuts each into a job per stage and plans
    it again after each, which on these tiny inputs costs more than the queries: the synthetic
    registry on Spark took 45 CPU s with it and 26 without (2026-12-03). Without it every
    shuffle keeps the session's four partitions instead of being coalesced into one, so the
    counts are also checked across partitions.
    """
    spark.conf.set("spark.sql.adaptive.enabled", "false")
    yield spark
    spark.conf.unset("spark.sql.adaptive.enabled")
