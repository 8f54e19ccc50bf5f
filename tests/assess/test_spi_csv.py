"""`lindung assess spi --csv` reads the file Excel saves in an Indonesian locale (semicolons,
decimal commas, a byte-order mark) as it reads a plain CSV, and refuses what it cannot read
with one Error: line naming the row and column."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

HEADER = [
    "ref_area", "time_period", "program", "sex", "poverty", "expenditure", "beneficiaries",
    "intended_beneficiaries", "gdp_per_capita",
]  # fmt: skip
# GDP per capita 2000.5; 1000 intended beneficiaries; SI 600 000.5 on 200, SA 150 000 on 300,
# LM 50 000 on 100. SPI = 100 x 800 000.5 / 1000 / 2000.5 (percent of GDP per capita).
ROWS = [
    ["AAA", "2015", "SI", "_T", "_T", "600000,5", "200", "1000", "2000,5"],
    ["AAA", "2015", "SA", "_T", "_T", "150000", "300", "1000", "2000,5"],
    ["AAA", "2015", "LM", "", "", "50000", "100", "1000", "2000,5"],
]
SPI = 100 * 800_000.5 / 1000 / 2000.5


def _write(tmp_path: Path, separator: str, rows: list[list[str]], *, bom: bool = True) -> Path:
    path = tmp_path / "spi.csv"
    lines = [separator.join(HEADER), *(separator.join(row) for row in rows)]
    path.write_text(("\ufeff" if bom else "") + "\r\n".join(lines) + "\r\n", encoding="utf-8")
    return path


def _total(lindung: Any, path: Path) -> float:
    result = lindung("assess", "spi", "--csv", str(path), "--format", "json")
    assert result.exit_code == 0, result.stderr
    rows = json.loads(result.stdout)
    return float(next(r["spi"] for r in rows if r["breakdown"] == "total"))


def test_an_excel_csv_with_semicolons_and_decimal_commas_is_read(
    lindung: Any, tmp_path: Path
) -> None:
    assert _total(lindung, _write(tmp_path, ";", ROWS)) == pytest.approx(SPI, rel=1e-12)


@pytest.mark.parametrize("separator", [",", "\t"])
def test_comma_and_tab_separated_files_with_decimal_points_give_the_same_spi(
    lindung: Any, tmp_path: Path, separator: str
) -> None:
    dotted = [[cell.replace(",", ".") for cell in row] for row in ROWS]
    path = _write(tmp_path, separator, dotted, bom=False)
    assert _total(lindung, path) == pytest.approx(SPI, rel=1e-12)


@pytest.mark.parametrize(
    ("cell", "message"),
    [
        ("1.500", "row 2, column expenditure: '1.500' is not a number; write a plain number in "
         "every row, e.g. 2019 or 1234,5 (this file has semicolons between columns, so decimals "
         "take a comma and numbers no thousands separator)"),
        ("1e400", "row 2, column expenditure: '1e400' is not a number"),
        ("inf", "row 2, column expenditure: 'inf' is not a number"),
        ("1_000", "row 2, column expenditure: '1_000' is not a number"),
    ],
)  # fmt: skip
def test_a_number_that_could_be_misread_or_is_not_finite_is_refused_naming_its_cell(
    lindung: Any, tmp_path: Path, cell: str, message: str
) -> None:
    rows = [[*ROWS[0][:5], cell, *ROWS[0][6:]], *ROWS[1:]]
    path = _write(tmp_path, ";", rows)
    result = lindung("assess", "spi", "--csv", str(path))
    assert result.exit_code == 1
    assert result.stderr.startswith(f"Error: {path}: {message}")
    assert len(result.stderr.strip().splitlines()) == 1


def test_a_folder_given_as_the_csv_is_one_error_line(lindung: Any, tmp_path: Path) -> None:
    result = lindung("assess", "spi", "--csv", str(tmp_path))
    assert result.exit_code == 2  # a bad option value is a usage error
    assert result.stderr.splitlines() == [
        f"Error: --csv {tmp_path}: not a regular file; give a CSV file",
        "Try 'lindung assess spi --help' for help.",
    ]
