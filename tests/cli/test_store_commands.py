"""`lindung db`, `lindung data` and `lindung demo` on a fresh store of each engine."""

from __future__ import annotations

import csv
import json
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., Any]  # the `lindung` fixture of tests/cli/conftest.py


def _published_unsd(series: str) -> dict[tuple[str, int], float]:
    """The member states' totals of a series, read straight from the shipped UNSD extract."""
    path = resources.files("lindung.data.reference").joinpath(
        "asean_sdg_1_3_1_and_poverty_unsd_2020.csv"
    )
    with path.open(encoding="utf-8") as handle:
        return {
            (row["iso3"], int(row["year"])): float(row["value"])
            for row in csv.DictReader(handle)
            if row["series"] == series and row["iso3"] != "WLD" and row["sex"] in ("", "bothsex")
        }


def test_query_returns_the_real_published_values_for_the_member_states(lindung: Run) -> None:
    assert lindung("db", "init").exit_code == 0
    assert lindung("data", "load-reference").exit_code == 0
    result = lindung("data", "query", "--series", "SI_COV_BENFTS", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    members = {
        (r["ref_area"], r["time_period"]): r["value"] for r in rows if r["ref_area"] != "WLD"
    }
    assert members == _published_unsd("SI_COV_BENFTS")
    assert members[("IDN", 2019)] == 54.0
    # The 2020 snapshot has a value for every member state but Brunei Darussalam.
    assert {area for area, _ in members} == {
        "KHM",
        "IDN",
        "LAO",
        "MYS",
        "MMR",
        "PHL",
        "SGP",
        "THA",
        "TLS",
        "VNM",
    }
    for row in rows:
        assert {
            "series",
            "ref_area",
            "time_period",
            "value",
            "unit",
            "sex",
            "age",
            "urbanisation",
            "income_wealth_quantile",
            "nature",
            "source",
        } <= row.keys()
        assert row["unit"] == "percent" and row["nature"] == "E" and "ILO" in row["source"]


def test_loading_the_reference_data_twice_adds_nothing(lindung: Run) -> None:
    lindung("db", "init")
    first = lindung("data", "load-reference")
    second = lindung("data", "load-reference")
    assert (
        "observations added" in first.stdout
        and " 0 submissions and 0 observations" not in first.stdout
    )
    assert " 0 submissions and 0 observations added" in second.stdout
    rows = json.loads(
        lindung(
            "data", "query", "--series", "SI_COV_BENFTS", "--history", "--format", "json"
        ).stdout
    )
    assert len(rows) == 13


def test_population_is_stored_in_persons_with_totals(lindung: Run) -> None:
    lindung("db", "init")
    lindung("data", "load-reference")
    rows = json.loads(
        lindung(
            "data",
            "query",
            "--series",
            "ASP_POP",
            "--area",
            "BRN",
            "--from",
            "1990",
            "--to",
            "1990",
            "--format",
            "json",
        ).stdout
    )
    by_key = {(r["sex"], r["age"]): r["value"] for r in rows}
    # UN WPP 2019: Brunei, males aged 0-4 in 1990 = 17.473 thousand
    assert by_key[("M", "Y0T4")] == pytest.approx(17473.0)
    assert by_key[("_T", "_T")] == pytest.approx(
        sum(v for (s, a), v in by_key.items() if s != "_T" and a != "_T")
    )


@pytest.mark.slow
def test_the_demo_shows_latest_coverage_per_member_state(lindung: Run) -> None:
    result = lindung("demo", "--no-serve")
    assert result.exit_code == 0, result.stderr
    # The demo's published sample for 2022 (cli/demo.py), and the UN SDG database's 2019.
    assert "Indonesia" in result.stdout and "55.2 (2022)" in result.stdout
    assert "Viet Nam" in result.stdout and "38.0 (2019)" in result.stdout
    assert "Timor-Leste" in result.stdout


def test_a_command_on_an_uninitialised_store_says_to_run_db_init(lindung: Run) -> None:
    result = lindung("data", "query", "--series", "SI_COV_BENFTS")
    assert result.exit_code == 6
    assert "lindung db init" in result.stderr and "Traceback" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_series_is_named_with_a_suggestion(lindung: Run) -> None:
    lindung("db", "init")
    result = lindung("data", "query", "--series", "SI_COV_BENFT")
    assert result.exit_code == 4
    assert "SI_COV_BENFT" in result.stderr and "SI_COV_BENFTS" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_country_is_named(lindung: Run) -> None:
    lindung("db", "init")
    result = lindung("data", "query", "--series", "SI_COV_BENFTS", "--area", "XYZ")
    assert result.exit_code == 4 and "XYZ" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(
    "url",
    [
        "postgresql+psycopg://nobody:secret@127.0.0.1:1/nothing",
        "not a database url",
        "mysql+nodriver://x/y",
    ],
)
def test_an_unusable_database_url_gives_one_line_and_hides_the_password(
    lindung: Run, monkeypatch: pytest.MonkeyPatch, url: str
) -> None:
    monkeypatch.setenv("LINDUNG_DATABASE_URL", url)
    result = lindung("db", "init")
    assert result.exit_code == 6
    assert result.stderr.startswith("Error: ") and len(result.stderr.strip().splitlines()) == 1
    assert "secret" not in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "command",
    [("data", "query", "--series", "SI_COV_BENFTS"), ("submission", "list"), ("assess", "matrix")],
)
def test_a_command_on_a_store_file_that_does_not_exist_refuses_and_creates_nothing(
    cli: Callable[..., Any],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    command: tuple[str, ...],
) -> None:
    missing = tmp_path / "typo.db"
    monkeypatch.setenv("LINDUNG_DATABASE_URL", f"sqlite:///{missing}")
    done = cli(*command)
    assert done.exit_code == 6
    assert done.stderr == f"Error: no store at {missing}; run `lindung db init`\n"
    assert not missing.exists()
