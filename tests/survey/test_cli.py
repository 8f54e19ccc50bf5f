"""``lindung survey synth``, ``describe`` and ``estimate`` end to end, as the README runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from sqlalchemy import select

from lindung.store import make_engine, upgrade
from lindung.store.schema import observations
from lindung.survey.engine import REPEAT_ATOL, REPEAT_RTOL


@pytest.fixture
def synthetic(tmp_path: Path, cli: Callable[..., Any]) -> tuple[Path, Path]:
    data, spec = tmp_path / "survey.csv", tmp_path / "survey.yaml"
    done = cli(
        "survey",
        "synth",
        "--households",
        "400",
        "--seed",
        "5",
        "--out",
        str(data),
        "--spec-out",
        str(spec),
    )
    assert done.exit_code == 0, done.stderr
    return data, spec


def test_synth_then_estimate_writes_the_tidy_table(
    synthetic: tuple[Path, Path], tmp_path: Path, cli: Callable[..., Any]
) -> None:
    data, spec = synthetic
    out = tmp_path / "estimates.csv"
    done = cli("survey", "estimate", str(spec), "--data", str(data), "--out", str(out))
    assert done.exit_code == 0, done.stderr
    table = pd.read_csv(out, keep_default_na=False)
    assert list(table.columns) == [
        "indicator",
        "program",
        "poverty_line",
        "poverty_line_value",
        "by",
        "level",
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "n_obs",
        "pop",
        "note",
    ]
    assert {"all", "quintile_pre", "quintile_post", "urban", "sex"} <= set(table["by"])
    assert "wrote" in done.stdout


def test_estimate_writes_json_and_parquet(
    synthetic: tuple[Path, Path], tmp_path: Path, cli: Callable[..., Any]
) -> None:
    data, spec = synthetic
    for fmt in ("json", "parquet"):
        out = tmp_path / f"estimates.{fmt}"
        done = cli(
            "survey", "estimate", str(spec), "--data", str(data), "--out", str(out), "--format", fmt
        )
        assert done.exit_code == 0, done.stderr
        table = pd.read_json(out) if fmt == "json" else pd.read_parquet(out)
        assert len(table) > 1000


def test_estimate_on_one_thread_writes_the_same_table(
    synthetic: tuple[Path, Path], tmp_path: Path, cli: Callable[..., Any]
) -> None:
    data, spec = synthetic
    tables = []
    for threads in ([], ["--threads", "1"]):
        out = tmp_path / f"estimates{len(threads)}.csv"
        done = cli(
            "survey", "estimate", str(spec), "--data", str(data), "--out", str(out), *threads
        )
        assert done.exit_code == 0, done.stderr
        tables.append(pd.read_csv(out))
    pd.testing.assert_frame_equal(tables[0], tables[1], rtol=REPEAT_RTOL, atol=REPEAT_ATOL)


def test_describe_counts_persons_strata_and_psus(
    synthetic: tuple[Path, Path], cli: Callable[..., Any]
) -> None:
    data, spec = synthetic
    done = cli("survey", "describe", str(spec), "--data", str(data), "--format", "json")
    assert done.exit_code == 0, done.stderr
    measures = {row["measure"]: row["value"] for row in json.loads(done.stdout)}
    assert measures["households"] == 400
    assert measures["strata"] == 20
    assert measures["missing in welfare_pc"] == 0


def test_a_bad_spec_is_a_one_line_error(tmp_path: Path, cli: Callable[..., Any]) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text("survey: {country: XXX, year: 2024}\n", encoding="utf-8")
    data = tmp_path / "d.csv"
    data.write_text("a\n1\n", encoding="utf-8")
    done = cli(
        "survey", "estimate", str(spec), "--data", str(data), "--out", str(tmp_path / "o.csv")
    )
    assert done.exit_code == 5
    assert done.stderr.startswith("Error: ") and done.stderr.count("\n") == 1


def test_store_saves_the_run_once_with_ses_in_the_series_units(
    synthetic: tuple[Path, Path],
    tmp_path: Path,
    cli: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("LINDUNG_DATABASE_URL", url)
    upgrade(make_engine(url))
    for command in (
        ("user", "add", "admin@example.org", "--role", "admin"),
        ("login", "admin@example.org"),
    ):
        assert cli(*command, stdin="a-long-password\n").exit_code == 0
    data, spec = synthetic
    out = tmp_path / "e.csv"
    args = (
        "survey",
        "estimate",
        str(spec),
        "--data",
        str(data),
        "--out",
        str(out),
        "--store",
        "--as",
        "admin@example.org",
        "--force",  # the second run replaces the first run's estimates
    )
    first = cli(*args)
    assert first.exit_code == 0, first.stderr
    assert "stored as survey run 1" in first.stdout
    again = cli(*args)
    assert "already stored as survey run 1" in again.stdout

    estimates = pd.read_csv(out, keep_default_na=False, dtype={"level": str})
    coverage = estimates[
        (estimates.indicator == "coverage")
        & (estimates.program == "pkh")
        & (estimates.by == "quintile_pre")
        & (estimates.level == "1")
    ].iloc[0]
    with make_engine(url).connect() as connection:
        stored = (
            connection.execute(
                select(observations).where(
                    observations.c.series == "ASP_COV",
                    observations.c.program == "PKH",
                    observations.c.income_wealth_quantile == "Q1",
                )
            )
            .mappings()
            .one()
        )
    assert stored["value"] == pytest.approx(100 * float(coverage.estimate))
    assert stored["se"] == pytest.approx(100 * float(coverage.se))
    assert stored["ref_area"] == "IDN" and stored["poverty_line"] == "_T"


def test_store_not_initialised_is_refused_before_any_computing(
    synthetic: tuple[Path, Path],
    tmp_path: Path,
    cli: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LINDUNG_DATABASE_URL", f"sqlite:///{tmp_path / 'empty.sqlite'}")
    data, spec = synthetic
    out = tmp_path / "e.csv"
    done = cli("survey", "estimate", str(spec), "--data", str(data), "--out", str(out), "--store")
    assert done.exit_code == 6
    assert done.stderr.startswith(
        f"Error: no store at {tmp_path / 'empty.sqlite'}; run `lindung db init`"
    )
    assert "wrote" not in done.stdout and not out.exists()
    assert not (tmp_path / "empty.sqlite").exists()


def test_estimate_prints_each_relative_line_and_coded_warnings(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    data = tmp_path / "d.csv"
    pd.DataFrame(
        {
            "hh": [1, 2, 3, 4, 5],
            "wt": [1.0, 1.0, 1.0, 1.0, 1.0],
            "y": [10.0, 20.0, 30.0, 40.0, None],
            "cash": [0.0, 2.0, 0.0, 0.0, 0.0],
        }
    ).to_csv(data, index=False)
    spec = tmp_path / "s.yaml"
    spec.write_text(
        "survey: {country: IDN, year: 2024}\ndesign: {weight: wt}\nhousehold: hh\nwelfare: y\n"
        "poverty_lines: [{code: p50, relative_quantile: 0.5}]\n"
        "programs: [{code: cash, area: social_assistance, amount: cash}]\n",
        encoding="utf-8",
    )
    out = tmp_path / "e.csv"
    done = cli("survey", "estimate", str(spec), "--data", str(data), "--out", str(out))
    assert done.exit_code == 0, done.stderr
    assert "poverty line p50 = 18 (the 0.5 quantile of pre-transfer welfare)" in done.stdout
    assert "warning (welfare_missing): column 'y': welfare is missing in 1 row;" in done.stderr
    table = pd.read_csv(out)
    assert set(table.loc[table.poverty_line == "p50", "poverty_line_value"]) == {18.0}
