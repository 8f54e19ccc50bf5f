"""`lindung submission check`: every finding has a code, a severity, a cell and a fix."""

from __future__ import annotations

import json
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from lindung.ingest import FINDING_TYPES, check_file, make_template
from lindung.ingest.annotate import SUMMARY_SHEET, annotate_workbook
from lindung.ingest.reader import Limits
from lindung.ingest.reference import load_reference
from lindung.store import transaction

from .conftest import CLEAN, Fill


def _codes(path: Path, **kwargs: Any) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in check_file(path, **kwargs).findings:
        found.setdefault(finding.as_dict()["code"], []).append(finding.location.describe())
    return found


def test_a_clean_file_has_no_finding_and_reads_every_filled_value(
    fill: Fill, tmp_path: Path
) -> None:
    fill(CLEAN)
    report = check_file(tmp_path / "filled.xlsx")
    assert report.findings == []
    assert report.ok and (report.country, report.year) == ("IDN", 2019)
    values = {(o["series"], o["sex"]): o["value"] for o in report.observations}
    assert values[("SI_COV_BENFTS", "F")] == 52.0
    assert values[("SI_COV_PENSN", "_T")] == 15.0
    assert len(report.observations) == len(CLEAN)


def test_empty_values_are_not_reported_and_not_errors(fill: Fill, tmp_path: Path) -> None:
    fill(CLEAN[:1])
    report = check_file(tmp_path / "filled.xlsx")
    assert report.ok and len(report.observations) == 1


def test_a_template_with_no_value_at_all_says_nothing_was_reported(
    template_idn_2019: Path,
) -> None:
    assert _codes(template_idn_2019) == {"nothing-reported": ["IDN_2019.xlsx"]}


def test_wrong_types_and_codes_are_located_by_sheet_and_cell(fill: Fill, tmp_path: Path) -> None:
    places = fill(
        [
            {"series": "SI_COV_BENFTS", "value": "about 50"},
            {"series": "SI_COV_BENFTS", "sex": "F", "value": "nan"},
            {"series": "SI_COV_BENFTS", "sex": "M", "value": 40, "nature": "X"},
            {"series": "SI_POV_GINI", "value": 38, "unit": "ratio"},
        ]
    )
    found = _codes(tmp_path / "filled.xlsx")
    assert found["not-a-number"] == [places[0]]
    assert found["not-finite"] == [places[1]]
    assert found["unknown-code"] == [places[2].replace("!M", "!N")]
    assert found["unit-mismatch"] == [places[3].replace("!M", "!L")]


def test_formulas_and_formula_injection_are_refused(fill: Fill, tmp_path: Path) -> None:
    places = fill(
        [
            {"series": "SI_COV_BENFTS", "value": "=52+4"},
            {"series": "SI_COV_BENFTS", "sex": "F", "value": 52, "source": "@SUM(A1)"},
            {"series": "SI_COV_BENFTS", "sex": "M", "value": 60, "note": '=HYPERLINK("x")'},
        ]
    )
    found = _codes(tmp_path / "filled.xlsx")
    assert found["formula-not-allowed"] == [places[0], places[2].replace("!M", "!P")]
    assert found["formula-injection"] == [places[1].replace("!M", "!O")]


def test_template_version_and_country_must_match_the_file(fill: Fill, tmp_path: Path) -> None:
    fill(CLEAN, template_version="0", country="XYZ", year="20x9")
    found = _codes(tmp_path / "filled.xlsx")
    assert set(found) == {"template-version-mismatch", "unknown-country", "invalid-year"}


def test_csv_findings_name_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "IDN.csv"
    make_template(path, country="IDN", year=2019, indicators=["SI_COV_BENFTS"], file_format="csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("percent,,", "percent,56,")  # row 2: total
    lines[2] = lines[2].replace("IDN,2019", "PHL,2019").replace("percent,,", "percent,52,")
    lines.append(lines[1])  # row 5 repeats row 2
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = check_file(path)
    by_code = {f.as_dict()["code"]: f.as_dict() for f in report.findings}
    assert by_code["country-mismatch"]["row"] == 3
    assert by_code["country-mismatch"]["column"] == "ref_area"
    assert by_code["duplicate-key"]["row"] == 5
    assert "row 2" in by_code["duplicate-key"]["message"]
    assert "sheet" not in by_code["duplicate-key"]


def test_a_stray_country_in_the_first_csv_row_is_the_row_flagged_not_all_the_others(
    tmp_path: Path,
) -> None:
    path = tmp_path / "IDN.csv"
    make_template(path, country="IDN", year=2019, indicators=["SI_COV_BENFTS"], file_format="csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    # rows 2-4: total, F, M; row 2 says PHL 2018 by mistake, rows 3 and 4 say IDN 2019.
    lines[1] = lines[1].replace("IDN,2019", "PHL,2018").replace("percent,,", "percent,56,")
    lines[2] = lines[2].replace("percent,,", "percent,52,")
    lines[3] = lines[3].replace("percent,,", "percent,60,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = check_file(path)
    assert (report.country, report.year) == ("IDN", 2019)
    mismatches = [f.as_dict() for f in report.findings]
    assert [(f["code"], f["row"], f["column"]) for f in mismatches] == [
        ("country-mismatch", 2, "ref_area"),
        ("year-mismatch", 2, "time_period"),
    ]


def test_csv_must_be_utf8_and_keep_its_columns(tmp_path: Path) -> None:
    latin = tmp_path / "latin.csv"
    latin.write_bytes("series,note\nSI_COV_BENFTS,caf\xe9\n".encode("latin-1"))
    assert list(_codes(latin)) == ["encoding-error"]
    short = tmp_path / "short.csv"
    short.write_text("series,value\nSI_COV_BENFTS,5\n", encoding="utf-8")
    assert "missing-column" in _codes(short)


def test_percent_sex_quintile_and_formula_rules_flag_inconsistent_values(
    fill: Fill, tmp_path: Path
) -> None:
    places = fill(
        [
            {"series": "SI_COV_BENFTS", "value": 45.0},  # outside F..M = 52..60
            {"series": "SI_COV_BENFTS", "sex": "F", "value": 52.0},
            {"series": "SI_COV_BENFTS", "sex": "M", "value": 160.0},  # not a percentage
            {"series": "ASP_PENSN_BENEF", "value": 30_000_000},
            {"series": "ASP_POP_PENSAGE", "value": 20_000_000},
            # 100 * 30e6 / 20e6 = 150, so 15 disagrees with its own formula.
            {"series": "SI_COV_PENSN", "value": 15.0},
            {"series": "ASP_BENINC", "income_wealth_quantile": "Q1", "value": 30.0},
            {"series": "ASP_BENINC", "income_wealth_quantile": "Q2", "value": 25.0},
            {"series": "ASP_BENINC", "income_wealth_quantile": "Q3", "value": 20.0},
            {"series": "ASP_BENINC", "income_wealth_quantile": "Q4", "value": 15.0},
            {"series": "ASP_BENINC", "income_wealth_quantile": "Q5", "value": 5.0},  # sum 95
            {"series": "SI_POV_GINI", "value": 0.38},
        ]
    )
    report = check_file(tmp_path / "filled.xlsx")
    found = {(f.as_dict()["code"], f.location.describe()): f for f in report.findings}
    assert ("percent-out-of-range", places[2]) in found
    assert ("sex-rate-outside-female-male", places[0]) in found
    assert ("numerator-exceeds-denominator", places[5]) in found
    formula = found[("formula-inconsistent", places[5])]
    assert formula.severity == "warning" and "150" in formula.message()
    incidence = found[("incidence-shares-not-100", places[6])]
    assert "95" in incidence.message() and "95" in incidence.message("id")
    assert {code for code, _ in found} == {
        "percent-out-of-range",
        "sex-rate-outside-female-male",
        "numerator-exceeds-denominator",
        "formula-inconsistent",
        "incidence-shares-not-100",
        "gini-on-fraction-scale",
    }
    assert ("gini-on-fraction-scale", places[11]) in found


def test_jump_and_international_warnings_read_the_store(
    engine: Engine,
    fill: Fill,
    tmp_path: Path,
    users: dict[str, Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from lindung.ingest import import_file, move

    # One secretariat user takes the earlier version through review, so four eyes is off here.
    monkeypatch.setenv("LINDUNG_FOUR_EYES", "0")

    load_reference(engine)
    # UNSD SDG database, 2020 snapshot: SI_COV_BENFTS, Indonesia, 2019 = 54.0 (total).
    places = fill([{"series": "SI_COV_BENFTS", "value": 80.0}], name="far.xlsx")
    with transaction(engine) as connection:
        report = check_file(tmp_path / "far.xlsx", connection=connection)
    (finding,) = report.findings
    assert finding.as_dict()["code"] == "far-from-international"
    assert finding.location.describe() == places[0]
    assert "54" in finding.message() and finding.severity == "warning"

    fill([{"series": "SI_COV_BENFTS", "value": 55.0}], name="first.xlsx")
    imported = import_file(engine, tmp_path / "first.xlsx", actor="fp.idn@example.org")
    number = imported.submission["id"]
    with transaction(engine) as connection:
        for action in ("submit", "validate", "publish"):
            move(connection, number, action, actor="secretariat@example.org")
    fill([{"series": "SI_COV_BENFTS", "value": 66.0}], name="jump.xlsx")
    with transaction(engine) as connection:
        report = check_file(tmp_path / "jump.xlsx", connection=connection)
    # 66 - 55 = 11 points > 10; 66 - 54 = 12 > 10 as well.
    assert sorted(f.as_dict()["code"] for f in report.findings) == [
        "far-from-international",
        "jump-from-previous",
    ]
    assert all(f.severity == "warning" for f in report.findings) and report.ok


def test_json_findings_carry_code_severity_message_fix_and_location(
    fill: Fill, tmp_path: Path, lindung: Callable[..., Any]
) -> None:
    places = fill([{"series": "SI_COV_BENFTS", "value": 145.0}])
    result = lindung("submission", "check", str(tmp_path / "filled.xlsx"), "--format", "json")
    assert result.exit_code == 5
    report = json.loads(result.stdout)
    (finding,) = report["findings"]
    sheet, cell = places[0].split("!")
    assert finding["code"] == "percent-out-of-range"
    assert finding["severity"] == "error"
    assert (finding["sheet"], finding["cell"], finding["column"]) == (sheet, cell, "value")
    assert "145" in finding["message"] and finding["fix"]
    assert "145" in finding["translations"]["id"]["message"]


def test_check_exits_zero_on_warnings_only_and_prints_a_table(
    fill: Fill, tmp_path: Path, lindung: Callable[..., Any]
) -> None:
    fill(CLEAN)
    result = lindung("submission", "check", str(tmp_path / "filled.xlsx"))
    assert result.exit_code == 0, result.stderr
    assert "0 errors" in result.stdout


def test_annotated_copy_colours_and_comments_each_finding_cell(fill: Fill, tmp_path: Path) -> None:
    places = fill([{"series": "SI_COV_BENFTS", "value": 145.0}])
    report = check_file(tmp_path / "filled.xlsx")
    out = tmp_path / "annotated.xlsx"
    assert annotate_workbook(tmp_path / "filled.xlsx", report.findings, out, language="id") == 1
    workbook = load_workbook(out)
    sheet, cell = places[0].split("!")
    marked = workbook[sheet][cell]
    assert marked.fill.fgColor.rgb.endswith("F4B6B6")
    assert "persentase" in marked.comment.text
    assert workbook.sheetnames[0] == SUMMARY_SHEET
    assert workbook[SUMMARY_SHEET]["B2"].value == "percent-out-of-range"


def test_every_finding_type_has_a_stable_code_and_both_languages() -> None:
    codes = [kind.code for kind in FINDING_TYPES]
    assert len(codes) == len(set(codes)) >= 30
    for kind in FINDING_TYPES:
        assert kind.template["en"] and kind.template["id"], kind.code
        assert kind.fix_template["en"] and kind.fix_template["id"], kind.code


def test_each_size_limit_gives_its_own_finding(fill: Fill, tmp_path: Path) -> None:
    fill(CLEAN)
    workbook = tmp_path / "filled.xlsx"
    size = workbook.stat().st_size
    assert _codes(workbook, limits=Limits(max_file_bytes=size - 1)) == {
        "file-too-large": ["filled.xlsx"]
    }
    assert list(_codes(workbook, limits=Limits(max_unzipped_bytes=10_000))) == [
        "unzipped-too-large"
    ]
    # The IDN 2019 template's Coverage sheet alone has 3 + 10 + 3 = 16 data rows.
    assert "too-many-rows" in _codes(workbook, limits=Limits(max_rows=10))
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/workbook.xml", b"\0" * 40_000_000)
    assert bomb.stat().st_size < 100_000
    assert list(_codes(bomb)) == ["unzipped-too-large"]
    rows = tmp_path / "rows.csv"
    make_template(rows, country="IDN", year=2019, indicators=["ASP_POP"], file_format="csv")
    assert "too-many-rows" in _codes(rows, limits=Limits(max_rows=20))


def test_a_row_with_a_source_but_no_value_is_not_reported_and_warns(
    fill: Fill, tmp_path: Path
) -> None:
    places = fill([*CLEAN, {"series": "SI_COV_SOCAST", "source": "PKH registry"}])
    report = check_file(tmp_path / "filled.xlsx")
    (finding,) = report.findings
    assert finding.as_dict()["code"] == "value-missing" and finding.severity == "warning"
    assert finding.location.describe() == places[len(CLEAN)].replace("!M", "!O")
    assert len(report.observations) == len(CLEAN)


def test_merged_cells_do_not_hide_the_other_findings(fill: Fill, tmp_path: Path) -> None:
    places = fill([*CLEAN, {"series": "SI_POV_GINI", "value": "38,2"}])
    path = tmp_path / "filled.xlsx"
    workbook = load_workbook(path)
    workbook["Coverage"].merge_cells("N5:O6")
    workbook.save(path)
    found = _codes(path)
    assert found["merged-cells"] == ["Coverage!N5:O6"]
    assert found["not-a-number"] == [places[len(CLEAN)]]
