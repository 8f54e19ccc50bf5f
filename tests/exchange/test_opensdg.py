"""``lindung export open-sdg`` and ``lindung import open-sdg``: an Open SDG data folder that
follows sdg-build's CSV rules, its metadata from the framework, and back into a submission."""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from sqlalchemy import Engine
from tests.exchange.conftest import observation

from lindung.exchange.opensdg import folder_files
from lindung.exchange.opensdg_in import read_folder
from lindung.framework import load_catalogue
from lindung.framework.loader import DEFAULT_CATALOGUE
from lindung.keys import DIMENSIONS
from lindung.store import count, list_submissions, submission_observations, transaction

FOCAL = "focal@example.org"
OTHER_FOCAL = "focal-phl@example.org"
PARTNER = "partner@example.org"
HERE = Path(__file__).parent / "data" / "open_sdg_armstat"
KEY_AND_VALUE = ("series", "ref_area", "time_period", "sex", "age", "urbanisation",
                 "income_wealth_quantile", "disability_status", "group", "program",
                 "poverty_line", "value", "unit")  # fmt: skip

PUBLISHED = [
    observation(),  # SI_COV_BENFTS IDN 2019 total 27.8
    observation(sex="F", value=30.25),
    observation(sex="M", value=25.5),
    observation(time_period=2020, value=28.1),
    observation(series="SI_COV_LMKT", income_wealth_quantile="Q1", value=3.5),
    observation(series="SI_COV_LMKT", urbanisation="U", value=4.125),
    observation(series="ASP_COV", program="ALL_SP", value=61.2, source="Susenas"),
    observation(series="ASP_GINI_RED", program="ALL_SP", value=-0.75, source="Susenas"),
]


@pytest.fixture
def focal(sign_up: Callable[..., None]) -> str:
    sign_up({FOCAL: ("focal_point", "IDN")})
    return FOCAL


def sdg_build_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    """Read a data file as sdg-build does, asserting its CSV rules (open-sdg/sdg-build
    ``sdg/inputs/InputCsvData`` and the Open SDG data format): UTF-8; ``Year`` the first column
    and ``Value`` the last, ``GeoCode`` just before it when present; column names non-empty
    and distinct; every Year an integer and every Value a number; at most one row per
    combination of the other columns; a total written as a blank cell, never a code."""
    text = path.read_bytes().decode("utf-8-sig")
    header, *records = list(csv.reader(io.StringIO(text, newline="")))
    assert header[0] == "Year" and header[-1] == "Value", header
    assert "GeoCode" not in header or header.index("GeoCode") == len(header) - 2
    assert all(header) and len(set(header)) == len(header)
    rows = [dict(zip(header, record, strict=True)) for record in records]
    for row in rows:
        int(row["Year"])
        float(row["Value"])
        assert "_T" not in row.values()
    combinations = [tuple(v for k, v in row.items() if k != "Value") for row in rows]
    assert len(set(combinations)) == len(combinations)
    return header, rows


def _stored(engine: Engine, kind: str) -> list[dict[str, Any]]:
    with transaction(engine) as connection:
        rows = [
            {name: row[name] for name in KEY_AND_VALUE}  # type: ignore[literal-required]
            for submission in list_submissions(connection, kind=kind)
            for row in submission_observations(connection, submission["id"])
        ]
    return sorted(rows, key=lambda row: [str(row[name]) for name in KEY_AND_VALUE])


def test_each_indicator_is_a_data_file_following_sdg_builds_rules_with_the_stores_values(
    lindung: Callable[..., Any], publish: Callable[..., int], tmp_path: Path
) -> None:
    publish(PUBLISHED)
    out = tmp_path / "site"

    done = lindung("export", "open-sdg", "--out", str(out))

    assert done.exit_code == 0, done.stderr
    header, rows = sdg_build_rows(out / "data" / "indicator_1-3-1.csv")
    # 1.3.1 has twelve series, all in percent: a Series column, no Units column.
    assert header == ["Year", "Series", "Sex", "Degree of urbanisation",
                      "Income or wealth quantile", "Value"]  # fmt: skip
    assert [list(row.values()) for row in rows] == [
        ["2019", "SI_COV_BENFTS", "", "", "", "27.8"],
        ["2020", "SI_COV_BENFTS", "", "", "", "28.1"],
        ["2019", "SI_COV_BENFTS", "Female", "", "", "30.25"],
        ["2019", "SI_COV_BENFTS", "Male", "", "", "25.5"],
        ["2019", "SI_COV_LMKT", "", "", "Poorest quintile", "3.5"],
        ["2019", "SI_COV_LMKT", "", "Urban", "", "4.125"],
    ]
    header, rows = sdg_build_rows(out / "data" / "indicator_asp-gini-red.csv")
    # A negative number stays a number (the formula guard leaves numbers alone).
    assert header == ["Year", "Program area", "Value"]
    program = "All social protection and labour programs"
    assert rows == [{"Year": "2019", "Program area": program, "Value": "-0.75"}]
    assert not (out / "data" / "indicator_1-1-1.csv").exists()
    assert (out / "meta" / "1-1-1.yml").exists()


def test_the_metadata_says_the_indicators_number_goal_tier_custodian_and_how_to_show_it(
    lindung: Callable[..., Any], publish: Callable[..., int], tmp_path: Path
) -> None:
    publish(PUBLISHED)
    out = tmp_path / "site"
    assert lindung("export", "open-sdg", "--out", str(out)).exit_code == 0

    meta = yaml.safe_load((out / "meta" / "1-3-1.yml").read_text(encoding="utf-8"))
    own = yaml.safe_load((out / "meta" / "asp-cov.yml").read_text(encoding="utf-8"))
    empty = yaml.safe_load((out / "meta" / "1-1-1.yml").read_text(encoding="utf-8"))

    assert meta["indicator_number"] == "1.3.1" and meta["sdg_goal"] == "1"
    assert meta["indicator_sort_order"] == "01-03-01"
    assert meta["target_id"] == "1.3" and meta["un_designated_tier"] == "1"
    assert meta["indicator_name"] == "global_indicators.1-3-1-title" == meta["graph_title"]
    assert meta["un_custodian_agency"] == "ILO, World Bank"
    assert meta["reporting_status"] == "complete" and meta["graph_type"] == "line"
    assert meta["expected_disaggregations"] == [
        "Sex", "Degree of urbanisation", "Income or wealth quantile"
    ]  # fmt: skip
    assert meta["data_start_values"] == [{"field": "Series", "value": "SI_COV_BENFTS"}]
    # 30.25 has two decimals, 4.125 three.
    assert meta["precision"] == [
        {"series": "SI_COV_BENFTS", "unit": "Percent", "decimals": 2},
        {"series": "SI_COV_LMKT", "unit": "Percent", "decimals": 3},
    ]
    assert meta["source_organisation_1"] == "Susenas 2019" and meta["source_active_1"] is True
    assert own["indicator_number"] == "asp-cov" and "sdg_goal" not in own
    assert own["indicator_sort_order"] == "asp-cov"
    assert own["indicator_name"] == "Coverage of social protection programs (survey estimate)"
    assert own["precision"] == [{"unit": "Percent", "decimals": 1}]
    assert empty["reporting_status"] == "notstarted"


def test_in_indonesian_the_columns_and_codes_are_named_in_indonesian(
    lindung: Callable[..., Any], publish: Callable[..., int], tmp_path: Path
) -> None:
    publish(PUBLISHED)
    out = tmp_path / "situs"

    done = lindung("export", "open-sdg", "--out", str(out), "--lang", "id",
                   "--series", "SI_COV_BENFTS", "--area", "IDN")  # fmt: skip

    assert done.exit_code == 0, done.stderr
    header, rows = sdg_build_rows(out / "data" / "indicator_1-3-1.csv")
    assert header == ["Year", "Series", "Jenis kelamin", "Value"]
    assert {row["Jenis kelamin"] for row in rows} == {"", "Perempuan", "Laki-laki"}
    assert sorted(path.name for path in (out / "data").iterdir()) == ["indicator_1-3-1.csv"]
    meta = yaml.safe_load((out / "meta" / "1-3-1.yml").read_text(encoding="utf-8"))
    assert meta["expected_disaggregations"] == [
        "Jenis kelamin", "Tingkat urbanisasi", "Kuantil pendapatan atau kekayaan"
    ]  # fmt: skip


def test_several_areas_are_told_apart_by_geocode_and_existing_files_need_force(
    lindung: Callable[..., Any], publish: Callable[..., int], tmp_path: Path
) -> None:
    publish(PUBLISHED[:1])
    publish([observation(ref_area="PHL", value=36.7)], area="PHL")
    out = tmp_path / "site"
    assert lindung("export", "open-sdg", "--out", str(out)).exit_code == 0

    again = lindung("export", "open-sdg", "--out", str(out))
    forced = lindung("export", "open-sdg", "--out", str(out), "--force")

    header, rows = sdg_build_rows(out / "data" / "indicator_1-3-1.csv")
    assert header == ["Year", "Series", "GeoCode", "Value"]
    assert [(row["GeoCode"], row["Value"]) for row in rows] == [("IDN", "27.8"), ("PHL", "36.7")]
    assert again.exit_code == 2 and "--force" in again.stderr
    assert forced.exit_code == 0, forced.stderr


def test_export_then_import_reproduces_the_same_observations_as_a_draft_for_review(
    lindung: Callable[..., Any],
    publish: Callable[..., int],
    engine: Engine,
    sign_up: Callable[..., None],
    tmp_path: Path,
) -> None:
    sign_up({
        PARTNER: ("partner", None),
        OTHER_FOCAL: ("focal_point", "PHL"),
        FOCAL: ("focal_point", "IDN"),
    })  # fmt: skip
    focal = FOCAL
    publish(PUBLISHED)
    out = tmp_path / "site"
    assert lindung("export", "open-sdg", "--out", str(out), "--lang", "id").exit_code == 0
    # Only the country's focal point (or the secretariat) imports: not another country's, not
    # a development partner.
    other = lindung("import", "open-sdg", str(out), "--area", "IDN", "--as", OTHER_FOCAL)
    partner = lindung("import", "open-sdg", str(out), "--area", "IDN", "--as", PARTNER)
    assert other.exit_code == 3 and partner.exit_code == 3
    with transaction(engine) as connection:
        assert list_submissions(connection, kind="opensdg") == []

    done = lindung("import", "open-sdg", str(out), "--area", "IDN", "--as", focal)
    again = lindung("import", "open-sdg", str(out), "--area", "IDN", "--as", focal)

    assert done.exit_code == 0, done.stderr
    assert _stored(engine, "opensdg") == _stored(engine, "template")
    with transaction(engine) as connection:
        (submission,) = list_submissions(connection, kind="opensdg")
        total = count(connection)
    assert submission["status"] == "draft" and submission["ref_area"] == "IDN"
    assert submission["source"] == f"IDN Open SDG data ({FOCAL})"
    assert again.exit_code == 0 and "already imported as" in again.stdout
    with transaction(engine) as connection:
        assert count(connection) == total
    number = str(submission["id"])
    assert lindung("submission", "submit", number, "--as", focal).exit_code == 0


def _armstat_with_series(folder: Path, series: str) -> Path:
    """Armenia's indicator 1.3.1.d file as published (byte-order mark, every field quoted,
    blank totals, 'male'/'female', '%'), named as indicator 1-3-1 with a quoted Series
    column in front of Value: which Lindung series it stands for is the test's choice."""
    raw = (HERE / "armstat_indicator_1-3-1-d.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8").split("\n")
    head = lines[0].replace('"Value"', '"Series","Value"')
    body = [_series_before_value(line, series) for line in lines[1:]]
    (folder / "data").mkdir(parents=True)
    path = folder / "data" / "indicator_1-3-1.csv"
    path.write_bytes("\n".join([head, *body]).encode("utf-8"))
    return path


def _series_before_value(line: str, series: str) -> str:
    cells = line.split(",")
    return ",".join([*cells[:-1], f'"{series}"', cells[-1]])


def test_a_national_platforms_file_with_bom_quotes_and_blank_totals_is_read(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "armstat"
    _armstat_with_series(folder, "SI_COV_PENSN")

    read = read_folder(folder, "IDN", load_catalogue())

    assert read.findings == []
    rows = {(r["time_period"], r["sex"]): r["value"] for r in read.observations}
    # Read off the published file: "2015","%","","78.82"; "2015","%","male","72.82";
    # "2024","%","female","72.32"; ten years by three sexes.
    assert len(rows) == len(read.observations) == 30
    assert rows[(2015, "_T")] == 78.82 and rows[(2015, "M")] == 72.82
    assert rows[(2024, "F")] == 72.32
    assert {(r["series"], r["ref_area"], r["unit"]) for r in read.observations} == {
        ("SI_COV_PENSN", "IDN", "percent")
    }


def test_every_unmappable_column_or_value_is_a_finding_naming_file_row_column_and_fix(
    lindung: Callable[..., Any],
    engine: Engine,
    focal: str,
    shared_data: Path,
    tmp_path: Path,
) -> None:
    # Armenia's platform as published: a national indicator 1-3-1-d, and 1-3-1 with a free-text
    # Indicator column, Category and Age breakdowns the framework does not have for 1.3.1, no
    # Series column; then a file of 1-1-1 with one unmappable cell per row.
    folder = tmp_path / "sdg-data-armenia"
    (folder / "data").mkdir(parents=True)
    shutil.copy(HERE / "armstat_indicator_1-3-1-d.csv", folder / "data" / "indicator_1-3-1-d.csv")
    shutil.copy(
        shared_data / "open_sdg_examples" / "armstat_indicator_1-3-1.csv",
        folder / "data" / "indicator_1-3-1.csv",
    )
    (folder / "data" / "indicator_1-1-1.csv").write_text(
        "Year,Series,Sex,Age,Degree of urbanisation,GeoCode,Value\n"
        "2019,SI_POV_DAY1,,,,,2.7\n"
        "2019*,SI_POV_DAY1,female,,,IDN,3.1\n"
        "2020,SI_POV_NOPE,,,,,1\n"
        "2020,SI_POV_DAY1,other,,,,1\n"
        "2020,SI_POV_DAY1,,aged 51-55 years,,,1\n"
        "2020,SI_POV_EMP1,,,Urban,,1\n"
        "2020,SI_POV_DAY1,,,,PHL,1\n"
        "2020,SI_POV_DAY1,,,,ID-JK,1\n"
        "2020,SI_POV_DAY1,,,,,n/a\n"
        "2019,SI_POV_DAY1,,,,IDN,2.8\n"
        "2021,SI_POV_DAY1,,0 to 4 years,,,1.5\n",
        encoding="utf-8",
    )

    done = lindung("import", "open-sdg", str(folder), "--area", "IDN", "--as", focal)

    assert done.exit_code == 5
    assert "nothing was stored" in done.stderr
    out = " ".join(done.stdout.split())
    assert "indicator_1-3-1-d.csv: the file holds Open SDG indicator 1-3-1-d" in out
    assert "(opensdg-unknown-indicator)" in out
    armenia = "indicator_1-3-1.csv"
    assert f"{armenia} row 2, Indicator: the column 'Indicator' is neither" in out
    assert f"{armenia} row 20, Category: the column 'Category'" in out
    assert f"{armenia} row 161, Age: the column 'Age'" in out
    assert "(Sex, Degree of urbanisation, Income or wealth quantile)" in out
    assert "no 'Series' column" in out and "fix: add a 'Series' column" in out
    file = "indicator_1-1-1.csv"
    assert f"{file} row 3, Year: '2019*' is not a reference year" in out
    assert f"{file} row 4, Series: 'SI_POV_NOPE' in 'Series' is not a series of indicator" in out
    assert f"{file} row 5, Sex: 'other' in 'Sex' is not a code of Sex" in out
    assert "fix: write one of: Female, Male; leave the cell blank for the total" in out
    assert f"{file} row 6, Age: 'aged 51-55 years' in 'Age' is not a code of Age" in out
    assert (
        f"{file} row 7, Degree of urbanisation: 'Urban' in 'Degree of urbanisation' is not "
        "a breakdown of SI_POV_EMP1"
    ) in out
    assert f"{file} row 8, GeoCode: the row is for 'PHL' but the file is for 'IDN'" in out
    assert f"{file} row 9, GeoCode: 'ID-JK' in 'GeoCode' is not the code of IDN" in out
    assert f"{file} row 10, Value: 'n/a' in 'Value' is not a number" in out
    assert f"{file} row 11, Value: this row repeats the indicator and disaggregation of" in out
    assert f"warning: {file} row 12, Age: SI_POV_DAY1 is not broken down by Age 0 to 4 years" in out
    with transaction(engine) as connection:
        assert count(connection) == 0


def test_a_cell_a_spreadsheet_would_run_is_written_as_text_and_numbers_stay_numbers(
    tmp_path: Path,
) -> None:
    # The shipped catalogue's names start with letters; a catalogue whose name for F is
    # formula text (a custom catalogue, a hostile edit) must still give a harmless cell.
    root = tmp_path / "catalogue"
    shutil.copytree(DEFAULT_CATALOGUE, root)
    codelists = root / "codelists.yaml"
    text = codelists.read_text(encoding="utf-8")
    formula = '=HYPERLINK("http://evil.example","x")'
    old = '{code: F, name: {en: "Female"'
    assert old in text
    codelists.write_text(
        text.replace(old, "{code: F, name: {en: '" + formula + "'", 1), encoding="utf-8"
    )
    catalogue = load_catalogue(root)
    rows = [
        {**{name: "_T" for name in DIMENSIONS}, **observation(sex="F", value=-1.5)},
        {**{name: "_T" for name in DIMENSIONS}, **observation()},
    ]

    files = folder_files(rows, catalogue, "en", ["SI_COV_BENFTS"])  # type: ignore[arg-type]

    records = list(csv.reader(io.StringIO(files["data/indicator_1-3-1.csv"])))
    assert records[1:] == [
        ["2019", "SI_COV_BENFTS", "", "27.8"],
        ["2019", "SI_COV_BENFTS", "'" + formula, "-1.5"],
    ]


def test_a_file_saved_in_a_semicolon_locale_is_read_with_decimal_commas_and_says_so(
    tmp_path: Path,
) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "indicator_1-1-1.csv").write_text(
        "Year;Series;Sex;Value\n2019;SI_POV_DAY1;;2,7\n2019;SI_POV_DAY1;Perempuan;3,05\n",
        encoding="utf-8",
    )

    read = read_folder(tmp_path, "IDN", load_catalogue())

    assert [f.code for f in read.findings] == ["csv-dialect"]
    assert [(r["sex"], r["value"]) for r in read.observations] == [("_T", 2.7), ("F", 3.05)]
