"""`lindung framework list|show|validate` and `lindung countries`, run as a user would."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lindung.framework.loader import DEFAULT_CATALOGUE

LIST_KEYS = {
    "code",
    "name",
    "unit",
    "polarity",
    "pillar",
    "computation",
    "sdg_indicator",
    "sdg_series",
    "tier",
    "custodian",
    "crosswalk",
    "disaggregations",
    "groups",
}


def test_list_json_has_every_indicator_with_the_promised_keys(cli: Callable[..., Any]) -> None:
    result = cli("framework", "list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert len(rows) >= 40
    assert all(row.keys() >= LIST_KEYS for row in rows)
    assert all(set(row["name"]) == {"en", "id"} for row in rows)
    coverage = {row["sdg_series"]: row for row in rows if row["sdg_indicator"] == "1.3.1"}
    assert len(coverage) == 12
    assert all(row["tier"] == "I" and row["custodian"] for row in coverage.values())


def test_list_table_shows_codes_and_can_keep_one_pillar(cli: Callable[..., Any]) -> None:
    table = cli("framework", "list")
    assert table.exit_code == 0 and "SI_COV_BENFTS" in table.stdout
    result = cli("framework", "list", "--pillar", "expenditure", "--format", "json")
    assert {row["pillar"] for row in json.loads(result.stdout)} == {"expenditure"}


def test_list_of_an_unknown_pillar_is_a_one_line_error(cli: Callable[..., Any]) -> None:
    result = cli("framework", "list", "--pillar", "coverag")
    assert result.exit_code == 4
    assert result.stderr == "Error: unknown pillar 'coverag'; did you mean coverage?\n"


def test_show_prints_both_languages_and_the_formula(cli: Callable[..., Any]) -> None:
    result = cli("framework", "show", "si_cov_pensn")
    assert result.exit_code == 0, result.stderr
    assert "Persons above statutory pensionable age receiving a pension" in result.stdout
    assert "Penduduk di atas usia pensiun" in result.stdout
    assert "100 × ASP_PENSN_BENEF / ASP_POP_PENSAGE" in result.stdout
    as_json = json.loads(cli("framework", "show", "ASP_COV", "--format", "json").stdout)
    assert as_json["computation"] == {
        "method": "survey",
        "numerator": None,
        "denominator": None,
        "multiplier": None,
        "estimator": "coverage",
    }


def test_show_of_an_unknown_series_suggests_a_close_code(cli: Callable[..., Any]) -> None:
    result = cli("framework", "show", "SI_COV_BENFT")
    assert result.exit_code == 4
    assert result.stdout == ""
    assert result.stderr.startswith(
        "Error: unknown series 'SI_COV_BENFT'; did you mean SI_COV_BENFTS"
    )
    assert result.stderr.count("\n") == 1


def test_validate_accepts_the_shipped_catalogue(cli: Callable[..., Any]) -> None:
    result = cli("framework", "validate", str(DEFAULT_CATALOGUE))
    assert result.exit_code == 0
    assert result.stdout.strip() == "valid: 57 indicators, version 1.0.0"


def test_validate_lists_each_problem_by_file_entry_and_field(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    root = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_CATALOGUE, root)
    coverage = root / "indicators" / "1_coverage.yaml"
    coverage.write_text(
        coverage.read_text(encoding="utf-8").replace("tier: I}", "tier: 1}", 1), encoding="utf-8"
    )
    result = cli("framework", "validate", str(root))
    assert result.exit_code == 5
    assert "1 problem in" in result.stdout
    for part in ("indicators/1_coverage.yaml", "SI_COV_BENFTS", "sdg.tier", "'I', 'II' or 'III'"):
        assert part in result.stdout


def test_countries_json_lists_the_eleven_members(cli: Callable[..., Any]) -> None:
    result = cli("countries", "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    assert [row["iso3"] for row in rows][-1] == "TLS"
    assert len(rows) == 11
    assert all(set(row) == {"iso3", "m49", "name", "member_since"} for row in rows)
    timor_leste = rows[-1]
    assert timor_leste == {
        "iso3": "TLS",
        "m49": 626,
        "name": {"en": "Timor-Leste", "id": "Timor-Leste"},
        "member_since": 2025,
    }


def test_errors_in_a_real_process_are_one_line_without_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("indicators: [\n", encoding="utf-8")
    entry = "from lindung.cli.main import main; main()"
    done = subprocess.run(
        [sys.executable, "-c", entry, "framework", "show", "NOPE"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 4
    assert done.stderr.startswith("Error: unknown series 'NOPE'") and done.stderr.count("\n") == 1
    assert "Traceback" not in done.stderr
    validated = subprocess.run(
        [sys.executable, "-c", entry, "framework", "validate", str(broken)],
        capture_output=True,
        text=True,
        check=False,
        env={"COLUMNS": "200", "PATH": ""},
    )
    assert validated.returncode == 5
    assert "yaml" in validated.stdout and "Traceback" not in validated.stderr
