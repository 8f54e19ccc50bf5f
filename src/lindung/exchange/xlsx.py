"""Current published values as an Excel workbook: a README sheet, then one sheet per indicator.

Each indicator's sheet has a frozen header row, numbers with a number format (never text), and
every text cell a spreadsheet would run as a formula marked as text
(``lindung.text.neutralise_sheet``). The README sheet ends with each source present and its
licence, from the shipped licence table (``lindung.exchange.licences``).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Font

from lindung.exchange.licences import source_licences
from lindung.framework import Catalogue
from lindung.keys import DIMENSIONS
from lindung.store.observations import VALUE_FIELDS, StoredObservation
from lindung.text import neutralise_sheet

VALUE_FORMAT = "#,##0.0###"
VALUE_COLUMNS = ("value", "se", "ci_low", "ci_high")
README_COLUMNS = ("series", "name", "definition", "unit", "observations", "sources")
LICENCE_COLUMNS = ("source", "licence", "provenance", "observations")


def _columns(rows: Sequence[StoredObservation]) -> list[str]:
    """The key, only the dimensions some row breaks down, then the value and its description."""
    broken = [name for name in DIMENSIONS if any(row[name] != "_T" for row in rows)]  # type: ignore[literal-required]
    return [
        "ref_area",
        "time_period",
        *broken,
        *VALUE_FIELDS,
    ]


def write_workbook(
    rows: Sequence[StoredObservation], catalogue: Catalogue, path: Path, language: str = "en"
) -> int:
    """Write the workbook to ``path``; return how many sheets of indicators it has."""
    by_series: dict[str, list[StoredObservation]] = {}
    for row in rows:
        by_series.setdefault(row["series"], []).append(row)
    book = Workbook()
    readme = book.active
    readme.title = "README"
    readme.append(
        ["Lindung: ASEAN Social Protection Monitoring Framework, current published values"]
    )
    readme.append(["Framework version", catalogue.version])
    readme.append(["Exported", datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC")])
    readme.append(
        ["Licence", "each value's licence is its source's: see Sources and licences below"]
    )
    readme.append([])
    readme.append(list(README_COLUMNS))
    header_row = readme.max_row
    for series, series_rows in sorted(by_series.items()):
        indicator = catalogue.indicator(series)
        sources = sorted({row["source"] or "" for row in series_rows} - {""})
        readme.append(
            [
                series,
                getattr(indicator.name, language),
                getattr(indicator.definition, language),
                indicator.unit,
                len(series_rows),
                "; ".join(sources),
            ]
        )
        sheet = book.create_sheet(series[:31])
        columns = _columns(series_rows)
        sheet.append(columns)
        for row in series_rows:
            sheet.append([row[name] for name in columns])  # type: ignore[literal-required]
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
        for name in VALUE_COLUMNS:
            letter = sheet.cell(row=1, column=columns.index(name) + 1).column_letter
            for cell in sheet[letter][1:]:
                cell.number_format = VALUE_FORMAT
        neutralise_sheet(sheet)
    readme.append([])
    readme.append(["Sources and licences"])
    readme.append(list(LICENCE_COLUMNS))
    licence_row = readme.max_row
    for entry in source_licences(rows, catalogue):
        readme.append([entry.source, entry.licence, entry.provenance, entry.observations])
    for cell in (*readme[header_row], *readme[licence_row - 1], *readme[licence_row]):
        cell.font = Font(bold=True)
    neutralise_sheet(readme)
    book.save(path)
    return len(by_series)
