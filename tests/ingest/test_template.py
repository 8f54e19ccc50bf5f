"""`lindung template make`: a workbook and a long CSV, one row per indicator and breakdown."""

from __future__ import annotations

import csv
import json
from pathlib import Path

from openpyxl import load_workbook

from lindung.framework import Catalogue
from lindung.ingest import make_template
from lindung.ingest.layout import (
    CSV_COLUMNS,
    LISTS_SHEET,
    METADATA_SHEET,
    TEMPLATE_VERSION,
    WORKBOOK_COLUMNS,
)

from .conftest import INDICATORS


def _rows(path: Path, sheet: str) -> list[dict[str, object]]:
    ws = load_workbook(path)[sheet]
    return [
        dict(zip(WORKBOOK_COLUMNS, values, strict=False))
        for values in ws.iter_rows(min_row=2, values_only=True)
    ]


def test_workbook_has_instructions_one_sheet_per_pillar_and_hidden_metadata(
    template_idn_2019: Path,
) -> None:
    workbook = load_workbook(template_idn_2019)
    assert workbook.sheetnames[0] == "Instructions"
    # The small set spans four pillars, in catalogue order.
    assert [s for s in workbook.sheetnames if not s.startswith("_")][1:] == [
        "Coverage",
        "Adequacy and performance",
        "Outcomes",
        "Context",
    ]
    meta = {row[0]: row[1] for row in workbook[METADATA_SHEET].iter_rows(values_only=True)}
    assert meta["template_version"] == TEMPLATE_VERSION
    assert meta["country"] == "IDN" and meta["year"] == "2019"
    assert meta["framework_version"] == "1.0.0"
    assert workbook[METADATA_SHEET].sheet_state == "veryHidden"
    assert workbook[LISTS_SHEET].sheet_state == "veryHidden"
    assert workbook.security.lockStructure


def test_each_indicator_has_a_total_row_then_one_row_per_code_of_each_breakdown(
    template_idn_2019: Path,
) -> None:
    coverage = _rows(template_idn_2019, "Coverage")
    benfts = [r for r in coverage if r["series"] == "SI_COV_BENFTS"]
    # SI_COV_BENFTS is disaggregated by SEX only: total, female, male (hand count).
    assert [(r["sex"], r["disaggregation"]) for r in benfts] == [
        ("_T", "Total"),
        ("F", "Sex: Female"),
        ("M", "Sex: Male"),
    ]
    socast = [r for r in coverage if r["series"] == "SI_COV_SOCAST"]
    # By INCOME_WEALTH_QUANTILE (Q1..Q5, B40, B50) and URBANISATION (U, R): 1 + 7 + 2 rows.
    assert len(socast) == 10
    assert {r["unit"] for r in coverage} == {"percent"}
    assert all(r["value"] is None for r in coverage)


def test_only_value_nature_source_and_note_cells_are_open_and_coded_cells_have_dropdowns(
    template_idn_2019: Path,
) -> None:
    ws = load_workbook(template_idn_2019)["Coverage"]
    assert ws.protection.sheet
    header = [cell.value for cell in ws[1]]
    open_columns = {
        header[cell.column - 1]
        for row in ws.iter_rows(min_row=2)
        for cell in row
        if not cell.protection.locked
    }
    assert open_columns == {"value", "nature", "source", "note"}
    validated = {str(dv.sqref).split(":")[0][0] for dv in ws.data_validations.dataValidation}
    letters = {header[i]: chr(ord("A") + i) for i in range(len(header))}
    for name in ("sex", "income_wealth_quantile", "nature", "value"):
        assert letters[name] in validated, name


def test_indonesian_template_labels_rows_and_pillars_in_bahasa_indonesia(
    tmp_path: Path,
) -> None:
    path = tmp_path / "IDN_id.xlsx"
    make_template(path, country="IDN", year=2024, indicators=["SI_COV_BENFTS"], language="id")
    workbook = load_workbook(path)
    assert "Cakupan" in workbook.sheetnames
    rows = _rows(path, "Cakupan")
    assert rows[1]["disaggregation"] == "Jenis kelamin: Perempuan"
    assert "Isi sel kuning" in str(workbook["Petunjuk"]["A8"].value)


def test_the_instructions_sheet_is_named_in_the_template_language(tmp_path: Path) -> None:
    names = {}
    for language in ("en", "id"):
        path = tmp_path / f"IDN_{language}.xlsx"
        make_template(
            path, country="IDN", year=2024, indicators=["SI_COV_BENFTS"], language=language
        )
        names[language] = load_workbook(path).sheetnames[0]
    assert names == {"en": "Instructions", "id": "Petunjuk"}


def test_csv_template_has_the_workbook_rows_and_a_table_schema_from_the_codelists(
    tmp_path: Path, template_idn_2019: Path, catalogue: Catalogue
) -> None:
    path = tmp_path / "IDN_2019.csv"
    written = make_template(
        path, country="IDN", year=2019, indicators=list(INDICATORS), file_format="csv"
    )
    assert written == [path, tmp_path / "schema.json"]
    with path.open(encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        assert tuple(reader.fieldnames or ()) == CSV_COLUMNS
        rows = list(reader)
    workbook = load_workbook(template_idn_2019)
    sheet_rows = [
        row
        for sheet in workbook.worksheets
        if not sheet.title.startswith("_") and sheet.title != "Instructions"
        for row in _rows(template_idn_2019, sheet.title)
    ]
    keys = ("series", "sex", "age", "income_wealth_quantile", "urbanisation", "program")
    assert sorted(tuple(r[k] for k in keys) for r in rows) == sorted(
        tuple(r[k] for k in keys) for r in sheet_rows
    )
    assert {(r["ref_area"], r["time_period"], r["value"]) for r in rows} == {("IDN", "2019", "")}
    schema = json.loads((tmp_path / "schema.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f for f in schema["fields"]}
    assert [f["name"] for f in schema["fields"]] == list(CSV_COLUMNS)
    assert set(fields["sex"]["constraints"]["enum"]) == catalogue.codes("sex")
    assert fields["program"]["constraints"]["pattern"]  # an open codelist
    assert fields["value"]["type"] == "number" and "required" not in fields["value"].get(
        "constraints", {}
    )
    assert "IDN" in fields["ref_area"]["constraints"]["enum"]
    assert schema["primaryKey"][:3] == ["series", "ref_area", "time_period"]
    assert schema["lindung:templateVersion"] == TEMPLATE_VERSION


def test_the_template_lists_only_the_age_bands_that_make_sense_for_each_series(
    tmp_path: Path,
) -> None:
    from lindung.framework import load_catalogue
    from lindung.ingest.layout import template_rows

    catalogue = load_catalogue()
    unemployment = catalogue.indicator("SL_TLF_UEM")
    ages = [
        r.dimensions["age"]
        for r in template_rows(catalogue, [unemployment])
        if "age" in r.dimensions
    ]
    # ILO's SDG 8.5.2 age groups: youth and adults; nobody under 15 is unemployed.
    assert ages == ["Y15T24", "Y_GE15", "Y_GE25"]
    population = catalogue.indicator("ASP_POP")
    bands = [
        r.dimensions["age"] for r in template_rows(catalogue, [population]) if "age" in r.dimensions
    ]
    assert "Y0T4" in bands and "Y_GE100" in bands


def test_a_code_the_series_does_not_list_is_a_warning_where_it_is(tmp_path: Path) -> None:
    from lindung.ingest import check_file

    path = tmp_path / "IDN.csv"
    make_template(path, country="IDN", year=2019, indicators=["SL_TLF_UEM"], file_format="csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("age")] = "Y0T4"
    row[header.index("value")] = "3.1"
    path.write_text("\n".join([lines[0], ",".join(row)]) + "\n", encoding="utf-8")
    report = check_file(path)
    assert [(f.code, f.location.describe()) for f in report.findings] == [
        ("code-not-applicable", "row 2, age")
    ]
    assert "Y15T24" in report.findings[0].message()
