"""What a new user's file holds and how the check reads it: percent formats, Excel's CSV in an
Indonesian locale, invisible characters, future years, partial quintiles, codes in any case."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from lindung.ingest import check_file, make_template
from lindung.ingest.check import Report
from lindung.ingest.dialect import Dialect, detect_dialect
from lindung.ingest.layout import CSV_COLUMNS

from .conftest import CLEAN, Fill


def _found(report: Report) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in report.findings:
        found.setdefault(finding.as_dict()["code"], []).append(finding.location.describe())
    return found


def _percent_format(path: Path, cell: str, value: float) -> None:
    sheet, reference = cell.split("!")
    workbook = load_workbook(path)
    workbook[sheet][reference].value = value
    workbook[sheet][reference].number_format = "0.0%"
    workbook.save(path)


def test_a_cell_shown_as_56_3_percent_is_read_as_56_3_with_a_warning(
    fill: Fill, tmp_path: Path
) -> None:
    places = fill(CLEAN)
    path = tmp_path / "filled.xlsx"
    _percent_format(path, places[0], 0.563)
    report = check_file(path)
    (finding,) = report.findings
    assert (finding.code, finding.location.describe()) == ("percent-format-read", places[0])
    assert finding.severity == "warning" and "56.3%" in finding.message()
    values = {(o["series"], o["sex"]): o["value"] for o in report.observations}
    assert values[("SI_COV_BENFTS", "_T")] == 56.3


def test_a_percent_format_on_a_count_of_persons_is_an_error(fill: Fill, tmp_path: Path) -> None:
    places = fill(CLEAN)
    path = tmp_path / "filled.xlsx"
    _percent_format(path, places[3], 0.15)
    report = check_file(path)
    assert _found(report) == {"percent-format-unit": [places[3]]}
    assert "persons" in report.findings[0].message() and not report.ok


def _csv(tmp_path: Path, values: dict[tuple[str, str], str], **edits: str) -> Path:
    """Write a filled CSV template of SI_COV_BENFTS and ASP_PENSN_BENEF, as Excel saves it."""
    path = tmp_path / "IDN_2019.csv"
    make_template(
        path,
        country="IDN",
        year=2019,
        indicators=["SI_COV_BENFTS", "ASP_PENSN_BENEF"],
        file_format="csv",
    )
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row in rows:
        row["value"] = values.get((row["series"], row["sex"]), "")
        for name, text in edits.items():
            row[name] = text
    delimiter = ";" if any("," in v for v in values.values()) or edits.get("_semicolon") else ","
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(
            handle, fieldnames=list(CSV_COLUMNS), delimiter=delimiter, extrasaction="ignore"
        )
        writer.writeheader()
        writer.writerows(rows)
    return path


def test_a_csv_saved_by_excel_in_an_indonesian_locale_is_read_with_decimal_commas(
    tmp_path: Path,
) -> None:
    # Semicolons between columns, 56,4 for 56.4 and 1.500.000 for one and a half million.
    path = _csv(
        tmp_path,
        {
            ("SI_COV_BENFTS", "_T"): "56,4",
            ("SI_COV_BENFTS", "F"): "52",
            ("SI_COV_BENFTS", "M"): "60,25",
            ("ASP_PENSN_BENEF", "_T"): "1.500.000",
        },
    )
    assert ";" in path.read_text(encoding="utf-8").splitlines()[0]
    report = check_file(path)
    assert _found(report) == {"csv-dialect": ["IDN_2019.csv"]}
    assert "';'" in report.findings[0].message()
    values = {(o["series"], o["sex"]): o["value"] for o in report.observations}
    assert values == {
        ("SI_COV_BENFTS", "_T"): 56.4,
        ("SI_COV_BENFTS", "F"): 52.0,
        ("SI_COV_BENFTS", "M"): 60.25,
        ("ASP_PENSN_BENEF", "_T"): 1_500_000.0,
    }


def test_a_dot_in_a_decimal_comma_csv_that_could_mean_thousands_is_refused(
    tmp_path: Path,
) -> None:
    path = _csv(tmp_path, {("SI_COV_BENFTS", "_T"): "56,4", ("ASP_PENSN_BENEF", "_T"): "1.500"})
    report = check_file(path)
    assert _found(report)["ambiguous-number"] == ["row 5, value"]
    assert "1500" in report.findings[-1].fix() and not report.ok


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("series,ref_area,time_period,value", Dialect(",", ".")),
        ("series;ref_area;time_period;value", Dialect(";", ",")),
        ("series\tref_area\ttime_period\tvalue", Dialect("\t", ".")),
        ("a;b;c", Dialect(",", ".")),
    ],
)
def test_the_dialect_is_told_by_the_separator_that_splits_the_known_column_names(
    header: str, expected: Dialect
) -> None:
    assert detect_dialect(header, CSV_COLUMNS) == expected


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("SUSENAS\u200b2019", "invisible-characters"),  # zero-width space
        ("SUSENAS\u20602019", "invisible-characters"),  # word joiner
        ("SUSENAS \ufeff2019", "invisible-characters"),  # byte order mark inside the text
        ("SUSENAS\u200f 2019", "control-characters"),  # right-to-left mark
        ("SUSENAS 2019\U000e0041", "control-characters"),  # tag character
        ("SUSENAS _x202E_9102", "control-characters"),  # U+202E as Excel escapes it
    ],
)
def test_zero_width_and_bidi_characters_are_flagged_where_they_are(
    fill: Fill, tmp_path: Path, text: str, code: str
) -> None:
    places = fill([*CLEAN[:1], {"series": "SI_COV_SOCAST", "value": 20.0, "source": text}])
    report = check_file(tmp_path / "filled.xlsx")
    assert _found(report) == {code: [places[1].replace("!M", "!O")]}


def test_a_year_that_has_not_ended_is_a_warning(fill: Fill, tmp_path: Path) -> None:
    year = datetime.now(UTC).year
    fill(CLEAN, year=str(year))
    report = check_file(tmp_path / "filled.xlsx")
    assert _found(report) == {"year-in-future": ["_lindung"]}
    assert str(year) in report.findings[0].message() and report.ok


def test_four_quintile_shares_of_five_do_not_pass_as_complete(fill: Fill, tmp_path: Path) -> None:
    shares = {"Q1": 30.0, "Q2": 25.0, "Q4": 15.0, "Q5": 10.0}  # Q3 left empty: 80 in all
    places = fill(
        [
            {"series": "ASP_BENINC", "income_wealth_quantile": code, "value": value}
            for code, value in shares.items()
        ]
    )
    report = check_file(tmp_path / "filled.xlsx")
    assert _found(report) == {"incidence-shares-not-100": [places[0]]}
    assert "80" in report.findings[0].message()


def test_codes_are_read_whatever_their_case_and_stored_as_the_framework_spells_them(
    tmp_path: Path,
) -> None:
    path = _csv(
        tmp_path,
        {("SI_COV_BENFTS", "_T"): "56", ("SI_COV_BENFTS", "F"): "52"},
        ref_area="idn",
        nature="c",
        unit="Percent",
    )
    text = path.read_text(encoding="utf-8").replace("SI_COV_BENFTS", "si_cov_benfts")
    path.write_text(text.replace(",_T,", ",_t,").replace(",F,", ",f,"), encoding="utf-8")
    report = check_file(path)
    # ASP_PENSN_BENEF has no value and its unit column says "Percent": not a reported row.
    assert report.ok, [f.message() for f in report.errors]
    assert report.country == "IDN"
    assert sorted((o["series"], o["sex"], o["nature"]) for o in report.observations) == [
        ("SI_COV_BENFTS", "F", "C"),
        ("SI_COV_BENFTS", "_T", "C"),
    ]


def test_the_summary_says_1_error_and_2_warnings(fill: Fill, tmp_path: Path) -> None:
    places = fill(CLEAN)
    path = tmp_path / "filled.xlsx"
    _percent_format(path, places[3], 0.15)
    assert check_file(path).summary() == "filled.xlsx: 5 values, 1 error, 0 warnings"
