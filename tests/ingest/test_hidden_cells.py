"""Values a reviewer cannot see in Excel: hidden rows (also in a collapsed outline, or of zero
height) and hidden columns are read, and a warning names them, as a hidden sheet's are."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook

from lindung.ingest import check_file

from . import corruptions as C
from .conftest import CLEAN, Fill


def _changed(path: Path, change: Callable[[Any], None]) -> Path:
    """Return a copy of the workbook with ``change`` made to its Coverage sheet."""
    workbook = load_workbook(path)
    change(workbook["Coverage"])
    out = path.with_name(f"changed_{path.name}")
    workbook.save(out)
    return out


def _row_of(place: str) -> int:
    return int("".join(char for char in place.split("!")[1] if char.isdigit()))


def _hidden(report: Any) -> list[tuple[str, str, str]]:
    return [
        (f.code, f.severity, f.location.describe())
        for f in report.findings
        if f.code.startswith("hidden-")
    ]


def test_a_clean_workbook_has_no_hidden_values(fill: Fill, tmp_path: Path) -> None:
    fill(CLEAN)
    assert _hidden(check_file(tmp_path / "filled.xlsx")) == []


def test_values_in_hidden_rows_are_read_and_named_in_a_warning(fill: Fill, tmp_path: Path) -> None:
    places = fill(CLEAN)
    female, male = _row_of(places[1]), _row_of(places[2])
    clean = check_file(tmp_path / "filled.xlsx")

    def hide(sheet: Any) -> None:
        sheet.row_dimensions[female].hidden = True
        sheet.row_dimensions[male].hidden = True

    report = check_file(_changed(tmp_path / "filled.xlsx", hide))
    assert _hidden(report) == [("hidden-rows", "warning", f"Coverage, row {female}")]
    (finding,) = [f for f in report.findings if f.code == "hidden-rows"]
    assert f"rows {female}-{male} of sheet 'Coverage'" in finding.message()
    assert "2 rows" in finding.message() and "Unhide" in finding.fix()
    # The values are read as they are: a warning, nothing dropped, nothing blocked.
    assert report.ok and report.observations == clean.observations


def test_rows_in_a_collapsed_outline_or_of_zero_height_are_hidden(
    fill: Fill, tmp_path: Path
) -> None:
    places = fill(CLEAN)
    first, last = _row_of(places[0]), _row_of(places[2])

    def collapse(sheet: Any) -> None:
        sheet.row_dimensions.group(first, last, outline_level=1, hidden=True)

    report = check_file(_changed(tmp_path / "filled.xlsx", collapse))
    assert _hidden(report) == [("hidden-rows", "warning", f"Coverage, row {first}")]
    assert f"rows {first}-{last}" in report.findings[0].message()

    # openpyxl writes no zero height; Excel does, for a row dragged shut.
    flat = C.edit_member(
        tmp_path / "filled.xlsx",
        tmp_path / "flat.xlsx",
        C.COVERAGE,
        lambda xml: xml.replace(
            b'<row r="%d"' % last, b'<row r="%d" ht="0" customHeight="1"' % last
        ),
    )
    report = check_file(flat)
    assert _hidden(report) == [("hidden-rows", "warning", f"Coverage, row {last}")]


def test_a_hidden_row_that_reports_nothing_is_not_a_finding(fill: Fill, tmp_path: Path) -> None:
    places = fill(CLEAN[:1])
    empty = _row_of(places[0]) + 1  # the sex F row of the same indicator, its value empty

    def hide(sheet: Any) -> None:
        sheet.row_dimensions[empty].hidden = True

    assert _hidden(check_file(_changed(tmp_path / "filled.xlsx", hide))) == []


def test_values_in_hidden_columns_are_read_and_named_in_a_warning(
    fill: Fill, tmp_path: Path
) -> None:
    fill(CLEAN)
    clean = check_file(tmp_path / "filled.xlsx")

    def hide(sheet: Any) -> None:
        sheet.column_dimensions["M"].hidden = True  # value
        sheet.column_dimensions["O"].hidden = True  # source
        sheet.column_dimensions["B"].hidden = True  # the indicator's name: a label, not read

    report = check_file(_changed(tmp_path / "filled.xlsx", hide))
    assert _hidden(report) == [("hidden-columns", "warning", "Coverage!M1")]
    message = report.findings[0].message()
    assert "columns M (value), O (source) of sheet 'Coverage'" in message
    assert "2 columns" in message
    assert report.ok and report.observations == clean.observations


def test_a_column_of_zero_width_is_hidden(fill: Fill, tmp_path: Path) -> None:
    fill(CLEAN)

    narrow = C.edit_member(
        tmp_path / "filled.xlsx",
        tmp_path / "narrow.xlsx",
        C.COVERAGE,
        lambda xml: xml.replace(
            b'<col width="14" customWidth="1" min="13" max="13"/>',
            b'<col width="0" customWidth="1" min="13" max="13"/>',
        ),
    )
    report = check_file(narrow)
    assert _hidden(report) == [("hidden-columns", "warning", "Coverage!M1")]
