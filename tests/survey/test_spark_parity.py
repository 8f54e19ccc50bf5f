"""The survey engine on Apache Spark gives DuckDB's numbers (and R's): in local mode on one shared
session, and through ``lindung survey estimate --spark-master`` on a standalone cluster of a
master and two workers started here on 127.0.0.1 from the pyspark package's own classes.

Oracles: the same engine on DuckDB (estimates to 1e-9 relative, SEs to 1e-7) and R survey 4.1.1's
fixtures (tests/oracles, as tests/survey/test_r_oracle.py reads them)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import ibis
import numpy as np
import pandas as pd
import pytest
import yaml

from lindung.errors import UsageError
from lindung.survey import (
    design_estimates,
    estimate,
    load_spec,
    parse_spec,
    synthetic_spec,
    synthetic_survey,
    write_survey,
)
from lindung.survey.backend import open_backend, running_sums
from lindung.survey.spark import SPARK_INSTALL

from .conftest import ORACLES
from .test_r_oracle import DESIGNS, _fixture, _joined

ESTIMATE_RTOL = 1e-9
ESTIMATE_ATOL = 1e-12  # an estimate zero in theory (a Gini reduction of 0) is rounding noise
SE_RTOL = 1e-7
SE_ATOL = 1e-12  # so is an SE zero in theory, on either engine
KEYS = ["indicator", "program", "poverty_line", "by", "level"]
DATA = ORACLES / "synthetic_survey.csv"

#: Households of the synthetic survey the whole suite runs on in local mode: every test run
#: takes the small one (a Spark run's cost is its jobs, not its rows); ``--spark-full``
#: (``make test-spark``) adds the larger one, whose many PSUs per stratum and households per
#: range of the running sums exercise more.
SYNTHETIC_HOUSEHOLDS = [300, pytest.param(2000, marks=pytest.mark.spark_full)]


def assert_same_numbers(duckdb: pd.DataFrame, spark: pd.DataFrame) -> None:
    """Every estimate and SE of one engine equals the other's, row for row and note for note."""
    both = duckdb.merge(spark, on=KEYS, how="outer", suffixes=("", "_spark"), indicator=True)
    assert (both._merge == "both").all(), both[both._merge != "both"][KEYS]
    assert len(both) == len(duckdb) > 0
    assert (both.note == both.note_spark).all()
    assert (both.n_obs == both.n_obs_spark).all()
    for column, rtol, atol in [
        ("estimate", ESTIMATE_RTOL, ESTIMATE_ATOL),
        ("se", SE_RTOL, SE_ATOL),
    ]:
        assert (both[column].isna() == both[f"{column}_spark"].isna()).all(), column
        defined = both[both[column].notna()]
        np.testing.assert_allclose(
            defined[f"{column}_spark"], defined[column], rtol=rtol, atol=atol, err_msg=column
        )
    np.testing.assert_allclose(both.pop_spark, both["pop"], rtol=ESTIMATE_RTOL)


def written_estimates(path: Path) -> pd.DataFrame:
    """The estimates ``lindung survey estimate --out`` wrote as CSV, typed as the engine's."""
    found = pd.read_csv(path, dtype={"level": str, "program": str, "poverty_line": str})
    text = ["program", "poverty_line", "note"]
    found[text] = found[text].fillna("")
    return found


def _synthetic(folder: Path, households: int) -> tuple[Path, Path]:
    data, spec = folder / "survey.csv", folder / "survey.yaml"
    write_survey(synthetic_survey(households, 11), data)
    spec.write_text(yaml.safe_dump(synthetic_spec(data.name)), encoding="utf-8")
    return data, spec


@pytest.fixture(scope="module", params=SYNTHETIC_HOUSEHOLDS, ids=lambda n: f"{n}-households")
def synthetic(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    """A synthetic national survey (every program and area, four domains) and its spec."""
    households: int = request.param
    return _synthetic(tmp_path_factory.mktemp("synthetic"), households)


@pytest.mark.spark
def test_spark_gives_duckdb_numbers_on_the_synthetic_survey(
    spark: Any, synthetic: tuple[Path, Path]
) -> None:
    data, spec_file = synthetic
    spec = load_spec(spec_file)
    on_duckdb = estimate(spec, [data])
    on_spark = estimate(spec, [data], engine="spark")
    assert on_spark.poverty_lines == pytest.approx(on_duckdb.poverty_lines, rel=1e-12)
    assert on_spark.design == on_duckdb.design
    assert on_spark.report.rows_used == on_duckdb.report.rows_used
    assert_same_numbers(on_duckdb.estimates, on_spark.estimates)


@pytest.mark.spark
def test_a_survey_of_many_blocks_gives_duckdb_numbers_on_spark_local_mode(
    spark: Any, synthetic: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # With blocks of 2 PSUs every survey is "large": DuckDB sums it a block of strata at a
    # time, reading its PSUs in order; Spark local mode, whose views come back in any order,
    # takes it whole, with the same numbers.
    monkeypatch.setenv("LINDUNG_SURVEY_BLOCK_PSUS", "2")
    data, spec_file = synthetic
    spec = load_spec(spec_file)
    assert_same_numbers(
        estimate(spec, [data]).estimates, estimate(spec, [data], engine="spark").estimates
    )


@pytest.mark.spark
def test_spark_gives_duckdb_and_r_numbers_on_the_r_oracle_survey(spark: Any) -> None:
    """Every indicator of the oracle spec (quintiles, relative lines, the Gini and its reduction
    by domain) against DuckDB and against R survey's fixture."""
    spec = load_spec(ORACLES / "synthetic_spec.yaml")
    on_spark = estimate(spec, [DATA], engine="spark").estimates
    assert_same_numbers(estimate(spec, [DATA]).estimates, on_spark)
    rows = _joined(on_spark, "r_survey_indicators.csv")
    defined = rows[rows.estimate_r.notna()]
    assert (rows.estimate.isna() == rows.estimate_r.isna()).all()
    np.testing.assert_allclose(defined.estimate, defined.estimate_r, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(defined.se, defined.se_r, rtol=1e-6, atol=1e-7)


@pytest.mark.spark
@pytest.mark.parametrize("group_by", ["", "g"])
def test_running_sums_on_spark_are_the_running_sums(spark: Any, group_by: str) -> None:
    """The two-pass, range-partitioned form against a running sum written here with pandas:
    skewed and negative values, a zero, several levels, and enough rows for many ranges."""
    rng = np.random.default_rng(3)
    size = 600
    y = np.concatenate([rng.lognormal(8, 1.5, size - 101), -rng.lognormal(1, 1, 100), [0.0]])
    frame = pd.DataFrame(
        {"y": rng.permutation(y), "w": rng.random(size), "g": rng.integers(0, 3, size)}
    )
    frame["wy"] = frame.w * frame.y
    backend = open_backend("spark")
    table = backend.materialise("_sums", ibis.memtable(frame))
    found = running_sums(table, "y", {"bw": "w", "bwy": "wy"}, group_by=group_by).execute()
    backend.drop("_sums")
    expected = frame.sort_values("y")
    grouped = expected.groupby("g") if group_by else expected.assign(g=0).groupby("g")
    expected = expected.assign(bw=grouped.w.cumsum(), bwy=grouped.wy.cumsum())
    both = expected.merge(found, on=["y", "g"], suffixes=("", "_spark"), validate="one_to_one")
    assert len(both) == size
    np.testing.assert_allclose(both.bw_spark, both.bw, rtol=1e-12)
    np.testing.assert_allclose(both.bwy_spark, both.bwy, rtol=1e-12, atol=1e-6)


@pytest.mark.spark
@pytest.mark.parametrize("case", ["fpc", "lonely_adjust"])
def test_design_estimates_on_spark_match_r_survey(spark: Any, case: str) -> None:
    """R survey svymean/svytotal/svyratio and svyby by a domain, read by Spark's CSV reader."""
    expected = _fixture("r_survey_estimators.csv")
    expected = expected[(expected.case == case) & (expected.by == "age_group")]
    data = open_backend("spark").read(DATA, "csv")
    found = design_estimates(
        data,
        weight="wt",
        by="age_group",
        means=["welfare_pc"],
        totals=["pkh_amt"],
        ratios=[("pkh_amt", "welfare_pc")],
        **DESIGNS[case],
    )
    both = expected.merge(found, on=["statistic", "variable", "level"], suffixes=("_r", ""))
    assert len(both) == len(expected) > 0
    np.testing.assert_allclose(both.estimate, both.estimate_r, rtol=1e-9)
    np.testing.assert_allclose(both.se, both.se_r, rtol=1e-6)


@pytest.mark.spark
def test_every_row_its_own_psu_gives_the_same_ses_on_spark(spark: Any) -> None:
    """Without a PSU column each row is a PSU (R's ids = ~1): Spark's row ids are not DuckDB's
    numbers, but each is one row's, so the SEs agree."""
    found = {}
    for engine in ("duckdb", "spark"):
        data = open_backend(engine).read(DATA, "csv")  # type: ignore[arg-type]
        found[engine] = design_estimates(
            data, weight="wt", strata="stratum", means=["welfare_pc"], by="urban"
        )
    both = found["duckdb"].merge(found["spark"], on=["statistic", "variable", "level"])
    assert len(both) == 2
    np.testing.assert_allclose(both.estimate_y, both.estimate_x, rtol=1e-9)
    np.testing.assert_allclose(both.se_y, both.se_x, rtol=1e-7)


def test_without_pyspark_the_spark_engine_says_what_to_install(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pyspark", None)
    monkeypatch.setitem(sys.modules, "pyspark.sql", None)
    with pytest.raises(UsageError) as raised:
        open_backend("spark")
    assert str(raised.value) == SPARK_INSTALL
    assert "pip install 'lindung[spark]'" in SPARK_INSTALL
    spec = parse_spec(yaml.safe_load((ORACLES / "synthetic_spec.yaml").read_text("utf-8")))
    with pytest.raises(UsageError, match=r"lindung\[spark\]"):
        estimate(spec, [DATA], engine="spark")


def test_a_spark_master_without_the_spark_engine_is_refused(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    done = cli(
        "survey",
        "estimate",
        str(ORACLES / "synthetic_spec.yaml"),
        "--data",
        str(DATA),
        "--out",
        str(tmp_path / "out.csv"),
        "--spark-master",
        "spark://127.0.0.1:7077",
    )
    assert done.exit_code == 2
    assert "--spark-master is for --engine spark" in done.stderr
    assert not (tmp_path / "out.csv").exists()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _wait_for_port(port: int, process: subprocess.Popen[bytes], seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "the Spark master stopped"
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.5)
    raise AssertionError(f"nothing listens on 127.0.0.1:{port} after {seconds} s")


def _scala_version(home: Path) -> str:
    """The Scala version of the pyspark package's jars (spark-core_2.13-4.0.5.jar: 2.13)."""
    core = next((home / "jars").glob("spark-core_*.jar"))
    return core.name.split("_", 1)[1].split("-", 1)[0]


@pytest.fixture
def cluster(tmp_path: Path, short_run_java: None) -> Iterator[str]:
    """A standalone Spark cluster on 127.0.0.1: a master and two workers of one core each,
    started from the pyspark package's jars, stopped after the test."""
    pyspark = pytest.importorskip("pyspark")
    home = Path(pyspark.__file__).parent
    classpath = str(home / "jars" / "*")
    environment = {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOCAL_IP": "127.0.0.1",
        # What spark-class would set: without it the launcher looks for build folders.
        "SPARK_SCALA_VERSION": _scala_version(home),
        "SPARK_LOG_DIR": str(tmp_path / "logs"),
        "SPARK_WORKER_DIR": str(tmp_path / "work"),
    }
    port = _free_port()
    java = ["java", "-Xmx256m", "-cp", classpath]
    started: list[subprocess.Popen[bytes]] = []
    logs = (tmp_path / "cluster.log").open("wb")
    try:
        master = subprocess.Popen(
            [
                *java,
                "org.apache.spark.deploy.master.Master",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--webui-port",
                str(_free_port()),
            ],
            env=environment,
            stdout=logs,
            stderr=subprocess.STDOUT,
        )
        started.append(master)
        _wait_for_port(port, master, 120)
        url = f"spark://127.0.0.1:{port}"
        for number in range(2):
            started.append(
                subprocess.Popen(
                    [
                        *java,
                        "org.apache.spark.deploy.worker.Worker",
                        "--host",
                        "127.0.0.1",
                        "--cores",
                        "1",
                        "--memory",
                        "1g",
                        "--webui-port",
                        str(_free_port()),
                        "--work-dir",
                        str(tmp_path / f"work{number}"),
                        url,
                    ],
                    env=environment,
                    stdout=logs,
                    stderr=subprocess.STDOUT,
                )
            )
        yield url
    finally:
        for process in reversed(started):
            process.terminate()
        for process in reversed(started):
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        logs.close()


@pytest.mark.spark
def test_the_cli_on_a_standalone_cluster_gives_duckdb_numbers(cluster: str, tmp_path: Path) -> None:
    """``lindung survey estimate --engine spark --spark-master spark://127.0.0.1:PORT`` in a
    process of its own (its driver on loopback, executors on the two workers). Off local mode
    the engine takes its totals from Spark queries, not from the household rows in NumPy: the
    plain and poverty totals, and the Gini's sorted sums (range-partitioned running sums, run
    beside the totals), so coverage, the poverty headcount and the Gini are asked for. Each
    welfare variable of the Gini costs two large Spark jobs (the wide query and the stacked
    one), so the spec keeps one program, one domain beside the quintiles and no Gini
    reduction (a welfare variable more per program and area, the same queries): the
    local-mode tests cover every indicator, program and domain.

    The cluster has no spark-defaults.conf, so the session's shuffle partitions are Lindung's
    rule: two per core of the executors once both have registered, 4 (with Spark's 200 every
    cached table kept 200 partitions, as adaptive execution does not coalesce a cached plan,
    and the test ran 985 tasks where it runs about 110 with 4)."""
    data, full = _synthetic(tmp_path, 300)
    spec = tmp_path / "cluster.yaml"
    raw = yaml.safe_load(full.read_text(encoding="utf-8"))
    raw["indicators"] = ["coverage", "poverty_headcount", "gini"]
    raw["programs"] = [p for p in raw["programs"] if p["code"] == "pkh"]
    raw["domains"] = [d for d in raw["domains"] if d["column"] == "urban"]
    spec.write_text(yaml.safe_dump(raw), encoding="utf-8")
    out = tmp_path / "spark.csv"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "lindung",
            "-v",
            "survey",
            "estimate",
            str(spec),
            "--data",
            str(data),
            "--out",
            str(out),
            "--engine",
            "spark",
            "--spark-master",
            cluster,
        ],
        capture_output=True,
        text=True,
        timeout=1500,
        env={**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)},
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "wrote " in done.stdout
    assert "Spark: 2 executors registered" in done.stderr
    assert "Spark: spark.sql.shuffle.partitions 4\n" in done.stderr
    on_duckdb = estimate(load_spec(spec), [data]).estimates
    assert {"coverage", "poverty_headcount", "gini"} == set(on_duckdb.indicator)
    assert_same_numbers(on_duckdb, written_estimates(out))
