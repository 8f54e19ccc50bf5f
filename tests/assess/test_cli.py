"""`lindung assess ...` on a store loaded with `lindung data load-reference`, on each engine.

The reference load takes several seconds, so one test walks through every command on one
store; the expected numbers are recomputed here from the shipped CSVs with the csv module.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import MEMBERS, benfts_2019_by_hand, store_national_value

SPI_EXAMPLE = Path(__file__).parent / "data" / "spi_example.csv"
KEYS = ("series", "ref_area", "sex", "age", "urbanisation", "income_wealth_quantile")


def _json(result: Any) -> list[dict[str, Any]]:
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return rows


def _benfts_2019_by_hand() -> tuple[float, float]:
    values, people = benfts_2019_by_hand()
    weighted = sum(values[c] * people[c] for c in values) / sum(people[c] for c in values)
    return weighted, sum(values.values()) / len(values)


def test_every_assess_command_runs_on_the_reference_store(lindung: Any) -> None:
    assert lindung("db", "init").exit_code == 0
    assert lindung("data", "load-reference").exit_code == 0

    # progress: rows carry the key, status and reason; Philippines' 1.3.1 fell 47.1 -> 44.1
    rows = _json(lindung("assess", "progress", "--series", "SI_COV_BENFTS", "--format", "json"))
    assert all(set(KEYS) | {"status", "reason"} <= row.keys() for row in rows)
    phl = next(r for r in rows if r["ref_area"] == "PHL" and r["sex"] == "_T")
    assert phl["status"] == "deterioration"
    assert phl["progress_value"] == pytest.approx((44.1 / 47.1) ** (1 / 3) - 1)
    escap = _json(
        lindung(
            "assess", "progress", "--series", "SI_POV_DAY1", "--method", "escap", "--format", "json"
        )
    )
    # Worked by hand from the shipped UN file (SI_POV_DAY1, target 0 by 2030, base 2015):
    # IDN 7, 7, 6, 5 (2015-18): weights 1-4, mean year 2017, mean 5.9, slope -8/10 = -0.8,
    # 2030: 5.9 - 0.8 x 13 = -4.5, held at 0 -> API (0-7)/(0-7) = 1: maintain progress.
    # MMR 6 (2015), 2 (2017): the line gives 2 - 2 x 13 = -24, held at 0 -> API 1.
    # VNM 2 (2016), 2 (2018): flat, API 0: reverse the trend. THA and MYS are at 0: achieved.
    # PHL has one value since 2015 (2012 comes before the base year); LAO's and TLS's latest
    # values are from before 2015.
    by_area = {r["ref_area"]: r for r in escap}
    assert {area: r["status"] for area, r in by_area.items()} == {
        "IDN": "maintain_progress",
        "MMR": "maintain_progress",
        "VNM": "reverse_trend",
        "THA": "target_achieved",
        "MYS": "target_achieved",
        "PHL": "insufficient_data",
        "LAO": "insufficient_data",
        "TLS": "insufficient_data",
    }
    assert by_area["IDN"]["anticipated_value"] == 0.0
    assert by_area["MMR"]["anticipated_value"] == 0.0
    assert by_area["MMR"]["progress_value"] == pytest.approx(4 / 6)
    table = lindung("assess", "progress", "--series", "SI_COV_PENSN", "--regional")
    assert table.exit_code == 0 and "population_weighted" in table.stdout

    # aggregate: the ASEAN figure for 2019 equals the hand computation, and is stored once,
    # by a secretariat user
    weighted, simple = _benfts_2019_by_hand()
    reviewer = "secretariat@example.org"
    added = lindung("user", "add", reviewer, "--role", "admin", stdin="a-long-password\n")
    assert added.exit_code == 0, added.stderr
    unnamed = lindung("assess", "aggregate", "--series", "SI_COV_BENFTS", "--region", "ASEAN")
    assert unnamed.exit_code == 0 and "not stored: storing publishes" in unnamed.stdout
    assert lindung("login", reviewer, stdin="a-long-password\n").exit_code == 0
    rows = _json(
        lindung(
            "assess",
            "aggregate",
            "--series",
            "SI_COV_BENFTS",
            "--year",
            "2019",
            "--region",
            "ASEAN",
            "--as",
            reviewer,
            "--format",
            "json",
        )
    )
    by_method = {r["method"]: r for r in rows}
    assert by_method["population_weighted"]["value"] == pytest.approx(weighted, rel=1e-12)
    assert by_method["simple_mean"]["value"] == pytest.approx(simple, rel=1e-12)
    assert by_method["simple_mean"]["population_share"] > 0.999
    assert len(by_method["simple_mean"]["countries"]) == 10
    again = lindung(
        "assess",
        "aggregate",
        "--series",
        "SI_COV_BENFTS",
        "--year",
        "2019",
        "--region",
        "ASEAN",
        "--as",
        reviewer,
    )
    assert "stored 0" in again.stdout
    stored = _json(
        lindung(
            "data",
            "query",
            "--series",
            "SI_COV_BENFTS",
            "--area",
            "ASEAN",
            "--history",
            "--format",
            "json",
        )
    )
    assert len(stored) == 1
    assert stored[0]["value"] == pytest.approx(weighted, rel=1e-12)
    assert "population_weighted over" in stored[0]["comment"]

    # availability and tiers
    rows = _json(lindung("assess", "availability", "--series", "SI_COV_PENSN", "--format", "json"))
    khm = next(r for r in rows if r["ref_area"] == "KHM")
    assert khm["latest_year"] == 2019 and khm["points"] == 4 and khm["disaggregations"] == ["sex"]
    tiers = {r["series"]: r for r in _json(lindung("assess", "tiers", "--format", "json"))}
    assert tiers["SI_COV_PENSN"]["asean_tier"] == "I"
    assert tiers["SI_COV_BENFTS"]["global_tier"] == "I"
    assert tiers["SI_COV_BENFTS"]["asean_tier"] == "II"

    # matrix, consistency, index, spi
    matrix = _json(lindung("assess", "matrix", "--area", "PHL", "--format", "json"))
    cell = next(
        r for r in matrix if r["group"] == "OLDER" and r["life_dimension"] == "income_security"
    )
    assert any("SI_COV_PENSN 64" in entry for entry in cell["indicators"])
    assert {"NONPOOR", "WORK_INJURY"} <= {r["group"] for r in matrix}
    assert _json(lindung("assess", "consistency", "--format", "json")) == []
    # One indicator: the ranks are those of the 2019 values (read from the shipped CSV with
    # the csv module), the min-max score is (x - min) / (max - min), and every draw ranks
    # the same way (each normalisation is increasing), so each interval is one rank wide.
    index = _json(
        lindung(
            "assess", "index", "--series", "SI_COV_BENFTS", "--year", "2019", "--draws", "20",
            "--format", "json",
        )
    )  # fmt: skip
    values, _ = benfts_2019_by_hand()
    order = sorted(values, key=lambda c: -values[c])
    low, high = min(values.values()), max(values.values())
    ranked = [r for r in index if r["rank"] is not None]
    assert [(r["ref_area"], r["rank"]) for r in ranked] == [
        (c, n) for n, c in enumerate(order, start=1)
    ]
    for row in ranked:
        expected = (values[row["ref_area"]] - low) / (high - low)
        assert row["score"] == pytest.approx(expected, rel=1e-12)
        assert row["rank_low"] == row["rank_high"] == row["rank"]
    assert [r["ref_area"] for r in index if r["rank"] is None] == ["BRN"]
    assert "normalisation minmax" in index[0]["choices"]
    spi = _json(lindung("assess", "spi", "--csv", str(SPI_EXAMPLE), "--format", "json"))
    assert next(r for r in spi if r["breakdown"] == "total")["spi"] == pytest.approx(40.0)
    no_data = lindung("assess", "spi")
    assert no_data.exit_code == 1 and no_data.stderr.startswith("Error: no expenditure")


def test_consistency_compares_a_published_national_value_with_the_un_figure(
    lindung: Any, database_url: str
) -> None:
    assert lindung("db", "init").exit_code == 0
    assert lindung("data", "load-reference").exit_code == 0
    # national 60.0 vs the UN SDG database 54.0 (ILO estimate): difference 6 > 5 points
    store_national_value(
        database_url,
        area="IDN",
        year=2019,
        value=60.0,
        source="test: a national template",
        published=True,
    )
    rows = _json(lindung("assess", "consistency", "--format", "json"))
    un = next(r for r in rows if r["international_series"] == "SI_COV_BENFTS")
    assert (un["national"], un["international"], un["difference"], un["flag"]) == (
        60.0,
        54.0,
        6.0,
        True,
    )
    relaxed = _json(
        lindung("assess", "consistency", "--tolerance", "SI_COV_BENFTS=7", "--format", "json")
    )
    assert not any(r["flag"] for r in relaxed if r["international_series"] == "SI_COV_BENFTS")
    per_country = _json(lindung("assess", "consistency", "--summary", "--format", "json"))
    assert per_country[0]["ref_area"] == "IDN" and per_country[0]["flagged"] >= 1


def test_unknown_method_is_one_line_error(lindung: Any) -> None:
    assert lindung("db", "init").exit_code == 0
    result = lindung("assess", "progress", "--method", "fast")
    assert result.exit_code == 2
    assert result.stderr.splitlines() == [
        "Error: unknown method 'fast'; use --method escap or opensdg",
        "Try 'lindung assess progress --help' for help.",
    ]


def test_aggregates_of_unpublished_values_are_printed_but_never_stored(
    lindung: Any, sign_up: Any, database_url: str
) -> None:
    assert lindung("db", "init").exit_code == 0
    assert lindung("data", "load-reference").exit_code == 0
    # Thailand's draft says 10 % where the published UN figure is 76 %.
    store_national_value(
        database_url,
        area="THA",
        year=2019,
        value=10.0,
        source="test: a draft Thailand has not submitted",
    )
    reviewer = "secretariat@example.org"
    sign_up({reviewer: ("secretariat", None)})
    args = ("assess", "aggregate", "--series", "SI_COV_BENFTS", "--year", "2019")
    preview = lindung(*args, "--region", "ASEAN", "--include-unpublished", "--as", reviewer)
    assert preview.exit_code == 0
    assert "not stored: these aggregates include unpublished values" in preview.stdout
    query = ("data", "query", "--series", "SI_COV_BENFTS", "--area", "ASEAN", "--format", "json")
    assert _json(lindung(*query, "--history")) == []
    weighted, _ = _benfts_2019_by_hand()
    assert lindung(*args, "--region", "ASEAN", "--as", reviewer).exit_code == 0
    stored = _json(lindung(*query))
    assert [r["value"] for r in stored] == [pytest.approx(weighted, rel=1e-12)]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("AAA,2015,SI,_T,_T,abc,200,1000,2000", "row 3, column expenditure: 'abc' is not a number"),
        ("AAA,2015,SI,_T,_T,600000,200,,2000", "row 3, column intended_beneficiaries: empty"),
        ("AAA,2015.5,SI,_T,_T,1,2,1000,2000", "row 3, column time_period: '2015.5' is not a year"),
        ("AAA,2015,SI,_T,_T,600000,200,1000,2000", "row 3 repeats AAA, 2015, SI, _T, _T"),
    ],
)
def test_an_spi_csv_with_a_bad_row_is_refused_naming_the_row_and_column(
    lindung: Any, tmp_path: Path, row: str, message: str
) -> None:
    header, first = SPI_EXAMPLE.read_text().splitlines()[:2]
    bad = tmp_path / "spi.csv"
    bad.write_text(f"{header}\n{first}\n{row}\n")
    result = lindung("assess", "spi", "--csv", str(bad))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {bad}: {message}")
    assert "Traceback" not in result.stderr


def test_the_index_lists_members_without_a_value_in_its_window_and_states_the_years(
    lindung: Any, database_url: str
) -> None:
    assert lindung("db", "init").exit_code == 0
    assert lindung("data", "load-reference").exit_code == 0
    store_national_value(
        database_url,
        area="PHL",
        year=2024,
        value=49.8,
        source="test: the Philippines reports 2024 before the others",
        published=True,
    )
    # Without --year the window ends in 2024, the latest year in the store: 2020-2024 holds
    # only the Philippines' value, and the other ten members are listed, not dropped.
    args = ("assess", "index", "--series", "SI_COV_BENFTS", "--draws", "5")
    result = lindung(*args)
    assert result.exit_code == 0 and "latest value in 2020-2024" in " ".join(result.stdout.split())
    rows = {r["ref_area"]: r for r in _json(lindung(*args, "--format", "json"))}
    assert set(rows) == set(MEMBERS)
    assert rows["IDN"]["score"] is None and rows["IDN"]["indicators_used"] == 0
    assert "no value of these indicators in 2020-2024" in rows["IDN"]["choices"]
    assert rows["PHL"]["indicators_used"] == 1
    # --year 2019 brings the 2015-2019 values back.
    earlier = _json(lindung(*args, "--year", "2019", "--format", "json"))
    assert sum(1 for r in earlier if r["score"] is not None) == 10


def test_aggregate_for_a_member_state_says_which_regions_there_are(lindung: Any) -> None:
    result = lindung("assess", "aggregate", "--region", "PHL", "--no-store")
    assert result.exit_code == 4
    assert result.stderr.strip() == "Error: unknown region 'PHL'; use ASEAN or ASEAN10"


def test_consistency_summary_with_nothing_to_compare_says_so_in_a_table(lindung: Any) -> None:
    assert lindung("db", "init").exit_code == 0
    result = lindung("assess", "consistency", "--summary")
    assert result.exit_code == 0
    assert "by country: 0 pairs" in result.stdout and "mean_abs_difference" in result.stdout
