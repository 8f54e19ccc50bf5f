"""Registry coverage on Apache Spark counts what DuckDB counts: on a synthetic registry of 20,000
persons (deciles ranked from a PMT score with many ties, three programs, two areas, dirty rows),
every count equal and every amount equal to 1e-9 relative, in local mode on one shared session.

Oracle: the same counts on DuckDB (tests/registry/test_coverage.py checks those by hand)."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from lindung.errors import UsageError
from lindung.registry import MEASURES, QUALITY, CoverageOptions, Program, registry_coverage
from lindung.registry.synth import PROGRAMS, SYNTH_PERIODS, synthetic_registry
from lindung.survey.backend import SPARK_INSTALL

AMOUNTS = ["amount_total", "amount_per_beneficiary"]
RATIOS = ["coverage", "inclusion_error", "exclusion_error"]
KEYS = ["program", "by", "level"]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic-registry")
    synthetic_registry(20_000, 7, folder, threads=1)
    return folder


def _programs(folder: Path) -> list[Program]:
    areas = {"PKH": "social_assistance", "BPNT": "social_assistance", "PIP": "labour_market"}
    return [Program(code, folder / f"{code}.parquet", areas[code]) for code in PROGRAMS]


@pytest.mark.spark
def test_spark_counts_what_duckdb_counts_on_a_synthetic_registry(written: Path, spark: Any) -> None:
    options = CoverageOptions(
        by=("region", "sex", "age_group", "decile", "disability"),
        year=2026,
        periods=SYNTH_PERIODS,
    )
    registry = written / "registry.parquet"
    duckdb = registry_coverage(registry, _programs(written), options, threads=1)
    on_spark = registry_coverage(registry, _programs(written), options, engine="spark")
    assert (on_spark.persons, on_spark.households) == (duckdb.persons, duckdb.households)
    pd.testing.assert_frame_equal(on_spark.quality, duckdb.quality)
    assert list(on_spark.table[KEYS].itertuples(index=False)) == list(
        duckdb.table[KEYS].itertuples(index=False)
    )
    counts = [name for name in MEASURES if name not in AMOUNTS and name not in RATIOS]
    pd.testing.assert_frame_equal(on_spark.table[counts], duckdb.table[counts])
    for column in [*AMOUNTS, *RATIOS]:
        np.testing.assert_allclose(
            on_spark.table[column], duckdb.table[column], rtol=1e-9, equal_nan=True, err_msg=column
        )
    # A real registry's worth of work: ten deciles, 34 regions, each kind of dirty row.
    deciles = duckdb.table[(duckdb.table.program == "_T") & (duckdb.table.by == "decile")]
    assert list(deciles.level) == [str(d) for d in range(1, 11)]
    assert duckdb.table[duckdb.table.by == "region"].level.nunique() == 34
    assert (duckdb.quality[list(QUALITY[1:5])].sum() > 0).all()


def test_without_pyspark_the_spark_engine_says_what_to_install(
    written: Path, monkeypatch: pytest.MonkeyPatch, cli: Callable[..., Any]
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    options = CoverageOptions(year=2026)
    with pytest.raises(UsageError) as raised:
        registry_coverage(written / "registry.parquet", _programs(written), options, engine="spark")
    assert str(raised.value) == SPARK_INSTALL
    done = cli(
        "registry",
        "coverage",
        "--registry",
        str(written / "registry.parquet"),
        "--beneficiaries",
        f"PKH={written / 'PKH.parquet'}",
        "--year",
        "2026",
        "--engine",
        "spark",
    )
    assert done.exit_code == 2
    assert "pip install 'lindung[spark]'" in done.stderr


def test_a_spark_master_or_a_memory_cap_that_does_not_fit_the_engine_is_refused(
    written: Path, cli: Callable[..., Any]
) -> None:
    base = ["registry", "coverage", "--registry", str(written / "registry.parquet")]
    base += ["--beneficiaries", f"PKH={written / 'PKH.parquet'}", "--year", "2026"]
    master = cli(*base, "--spark-master", "spark://127.0.0.1:7077")
    assert master.exit_code == 2
    assert "--spark-master is for --engine spark" in master.stderr
    memory = cli(*base, "--engine", "spark", "--memory-limit", "4GB")
    assert memory.exit_code == 2
    assert "spark.driver.memory" in memory.stderr
