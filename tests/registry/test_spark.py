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
from lindung.survey.spark import SPARK_INSTALL, spark_memory, spark_session

from ..conftest import SPARK_MEMORY

AMOUNTS = ["amount_total", "amount_per_beneficiary"]
RATIOS = ["coverage", "inclusion_error", "exclusion_error"]
KEYS = ["program", "by", "level"]


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("synthetic-registry")
    synthetic_registry(20_000, 7, folder, threads=1)
    return folder


def _coverage(folder: Path) -> list[str]:
    """``lindung registry coverage`` of the registry and PKH's list in ``folder``, for 2026."""
    return [
        "registry",
        "coverage",
        "--registry",
        str(folder / "registry.parquet"),
        "--beneficiaries",
        f"PKH={folder / 'PKH.parquet'}",
        "--year",
        "2026",
    ]


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
        *_coverage(written),
        "--engine",
        "spark",
    )
    assert done.exit_code == 2
    assert "pip install 'lindung[spark]'" in done.stderr


def test_a_spark_master_without_the_spark_engine_is_refused(
    written: Path, cli: Callable[..., Any]
) -> None:
    done = cli(
        *_coverage(written),
        "--spark-master",
        "spark://127.0.0.1:7077",
    )
    assert done.exit_code == 2
    assert "--spark-master is for --engine spark" in done.stderr


@pytest.mark.parametrize(
    ("size", "mebibytes"),
    [("4GB", "3814m"), ("4GiB", "4096m"), ("1.5GB", "1430m"), ("512 MiB", "512m")],
)
def test_a_memory_limit_is_given_to_spark_in_whole_mebibytes(size: str, mebibytes: str) -> None:
    # 4GB is 4 * 10^9 bytes as DuckDB reads it: 4e9 / 2^20 = 3814.7 MiB, rounded down.
    assert spark_memory(size) == mebibytes


@pytest.mark.spark
def test_a_memory_limit_becomes_the_local_spark_driver_memory(spark: Any) -> None:
    """The tests' session was started by ``spark_session`` with ``memory`` 1500MB (as
    ``--memory-limit 1500MB`` gives it; tests/conftest.py's SPARK_MEMORY) before its JVM
    existed, so this JVM is the one that setting started: its configuration says 1430m
    (1.5 * 10^9 bytes in whole mebibytes) and its heap is that, above Spark's default 1g. Asked
    again with the same memory, the running session is handed back, not refused."""
    context = spark.sparkContext
    assert context.master == "local[2]"
    assert context.getConf().get("spark.driver.memory") == spark_memory(SPARK_MEMORY) == "1430m"
    # The JVM reports its heap less a survivor space: under -Xmx1430m, above 1 GiB.
    heap = context._jvm.java.lang.Runtime.getRuntime().maxMemory()
    assert 1024 * 2**20 < heap <= 1430 * 2**20
    again = spark_session(threads=2, memory=SPARK_MEMORY)
    assert again.sparkContext.applicationId == context.applicationId


@pytest.mark.spark
def test_a_memory_limit_other_than_the_running_sessions_is_refused(
    written: Path, spark: Any, cli: Callable[..., Any]
) -> None:
    """In a process whose Spark session is running (this one's, with 1430m), a different
    --memory-limit cannot be had: refused, saying which setting holds what."""
    done = cli(
        *_coverage(written),
        "--engine",
        "spark",
        "--memory-limit",
        "700MB",
    )
    assert done.exit_code == 2
    assert "already running in this process with spark.driver.memory=1430m" in done.stderr
    assert "--memory-limit 700MB (667m)" in done.stderr
