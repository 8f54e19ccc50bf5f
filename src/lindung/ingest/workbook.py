"""Writing the submission workbook: instructions, one sheet per pillar, drop-downs, protection.

The structure (key columns, sheets, header) is locked; only the value, nature, source and note
cells are open. A very hidden sheet holds the template version, framework version, country
and year, which the reader checks against the file.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from lindung.framework import Catalogue, Indicator
from lindung.ingest.layout import (
    COLUMN_HELP,
    INPUT_COLUMNS,
    INSTRUCTIONS_SHEETS,
    LISTS_SHEET,
    METADATA_SHEET,
    TEMPLATE_VERSION,
    WORKBOOK_COLUMNS,
    TemplateRow,
    sheet_title,
    template_rows,
)
from lindung.store import DIMENSIONS
from lindung.text import neutralise_sheet

HEADER_FILL = PatternFill("solid", fgColor="1F4E79")
INPUT_FILL = PatternFill("solid", fgColor="FFF2CC")
KEY_FILL = PatternFill("solid", fgColor="EDEDED")
WIDTHS = {"series": 16, "indicator": 48, "disaggregation": 30, "value": 14, "source": 30}

INSTRUCTIONS: dict[str, list[str]] = {
    "en": [
        "Lindung submission template",
        "1. Fill the yellow cells: 'value' (the number), 'nature' (how it was obtained), "
        "'source' and 'note'. Grey cells are the indicator and its breakdown; do not change them.",
        "2. Leave 'value' empty when a figure is not available: an empty value is not reported "
        "and is not an error.",
        "3. Type numbers, not formulas, with a dot for decimals. Percentages are 0 to 100.",
        "4. Check the file: lindung submission check FILE (every finding says where and how to "
        "fix it). Then import it: lindung submission import FILE --as YOUR_EMAIL.",
        "5. A corrected file is imported as a new version; earlier versions are kept.",
    ],
    "id": [
        "Templat penyampaian data Lindung",
        "1. Isi sel kuning: 'value' (angka), 'nature' (cara memperoleh), 'source' dan 'note'. "
        "Sel abu-abu berisi indikator dan rinciannya; jangan diubah.",
        "2. Kosongkan 'value' bila angka tidak tersedia: nilai kosong berarti tidak dilaporkan "
        "dan bukan kesalahan.",
        "3. Ketik angka, bukan rumus, dengan titik desimal. Persentase bernilai 0 sampai 100.",
        "4. Periksa berkas: lindung submission check FILE (setiap temuan menyebut letak dan cara "
        "memperbaikinya). Lalu impor: lindung submission import FILE --as EMAIL_ANDA.",
        "5. Berkas perbaikan diimpor sebagai versi baru; versi sebelumnya tetap disimpan.",
    ],
}
LABELS = {
    "country": {"en": "Country", "id": "Negara"},
    "year": {"en": "Year", "id": "Tahun"},
    "framework": {"en": "Framework version", "id": "Versi kerangka"},
    "template": {"en": "Template version", "id": "Versi templat"},
    "columns": {"en": "Columns", "id": "Kolom"},
    "nature": {"en": "NATURE codes", "id": "Kode NATURE"},
}


def write_workbook(
    catalogue: Catalogue,
    indicators: Sequence[Indicator],
    *,
    country: str,
    year: int,
    language: str,
    path: Path,
) -> list[str]:
    """Write the template workbook to ``path``; return the names of its pillar sheets."""
    workbook = Workbook()
    instructions = workbook.active
    instructions.title = INSTRUCTIONS_SHEETS[language]
    lists = workbook.create_sheet(LISTS_SHEET)
    ranges = _write_lists(catalogue, lists)
    sheets: list[str] = []
    by_pillar: dict[str, list[TemplateRow]] = {}
    for row in template_rows(catalogue, indicators):
        by_pillar.setdefault(row.indicator.pillar, []).append(row)
    for pillar, rows in by_pillar.items():
        title = sheet_title(catalogue, pillar, language)
        _write_pillar(workbook.create_sheet(title), catalogue, rows, language, ranges)
        sheets.append(title)
    _write_instructions(instructions, catalogue, country, year, language)
    metadata = workbook.create_sheet(METADATA_SHEET)
    values = {
        "template_version": TEMPLATE_VERSION,
        "framework_version": catalogue.version,
        "country": country,
        "year": str(year),
        "language": language,
        "sheets": "|".join(sheets),
    }
    for key, value in values.items():
        metadata.append([key, value])
    metadata.protection.sheet = True
    metadata.sheet_state = "veryHidden"
    lists.protection.sheet = True
    lists.sheet_state = "veryHidden"
    workbook.move_sheet(LISTS_SHEET, offset=len(workbook.sheetnames))
    workbook.security = WorkbookProtection(lockStructure=True)
    for sheet in workbook.worksheets:
        neutralise_sheet(sheet)
    workbook.save(path)
    return sheets


def _write_lists(catalogue: Catalogue, sheet: Any) -> dict[str, str]:
    """Write each codelist into a column of the hidden lists sheet; return the ranges."""
    ranges: dict[str, str] = {}
    for index, name in enumerate((*DIMENSIONS, "nature"), start=1):
        if name not in catalogue.codelists:
            continue
        codes = sorted(catalogue.codes(name), key=lambda code: (code != "_T", code))
        if name == "nature":
            codes.remove("_T")
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index, value=name)
        for offset, code in enumerate(codes, start=2):
            sheet.cell(row=offset, column=index, value=code)
        ranges[name] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${len(codes) + 1}"
    return ranges


def _write_pillar(
    sheet: Any,
    catalogue: Catalogue,
    rows: list[TemplateRow],
    language: str,
    ranges: dict[str, str],
) -> None:
    ws = sheet
    for column, name in enumerate(WORKBOOK_COLUMNS, start=1):
        cell = ws.cell(row=1, column=column, value=name)
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = HEADER_FILL
        cell.comment = Comment(COLUMN_HELP[name][language], "Lindung")
        ws.column_dimensions[get_column_letter(column)].width = WIDTHS.get(name, 12)
    for number, row in enumerate(rows, start=2):
        values = {
            "series": row.indicator.code,
            "indicator": row.indicator.name.get(language),
            "disaggregation": row.label(catalogue, language),
            "unit": row.indicator.unit,
            **row.codes(),
        }
        for column, name in enumerate(WORKBOOK_COLUMNS, start=1):
            cell = ws.cell(row=number, column=column, value=values.get(name))
            if name in INPUT_COLUMNS:
                cell.protection = Protection(locked=False)
                cell.fill = INPUT_FILL
            else:
                cell.fill = KEY_FILL
            if name in ("indicator", "disaggregation", "source", "note"):
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    last = len(rows) + 1
    letters = {name: get_column_letter(i) for i, name in enumerate(WORKBOOK_COLUMNS, start=1)}
    for name, target in ranges.items():
        if name not in letters:
            continue
        validation = DataValidation(type="list", formula1=target, allow_blank=True)
        validation.error = f"Choose a {name} code from the list"
        validation.showErrorMessage = True
        validation.add(f"{letters[name]}2:{letters[name]}{last}")
        ws.add_data_validation(validation)
    number_check = DataValidation(
        type="decimal", operator="between", formula1="-1E+15", formula2="1E+15", allow_blank=True
    )
    number_check.error = "Type a number (dot for decimals), or leave the cell empty"
    number_check.showErrorMessage = True
    number_check.add(f"{letters['value']}2:{letters['value']}{last}")
    ws.add_data_validation(number_check)
    ws.freeze_panes = "D2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.auto_filter.ref = f"A1:{letters['note']}{last}"


def _write_instructions(
    sheet: Any, catalogue: Catalogue, country: str, year: int, language: str
) -> None:
    ws = sheet
    state = catalogue.member_state(country)
    lines = INSTRUCTIONS[language]
    ws.append([lines[0]])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append([])
    ws.append([LABELS["country"][language], f"{country} - {state.name.get(language)}"])
    ws.append([LABELS["year"][language], year])
    ws.append([LABELS["framework"][language], catalogue.version])
    ws.append([LABELS["template"][language], TEMPLATE_VERSION])
    ws.append([])
    for line in lines[1:]:
        ws.append([line])
    ws.append([])
    ws.append([LABELS["columns"][language]])
    for name in WORKBOOK_COLUMNS:
        ws.append([name, COLUMN_HELP[name][language]])
    ws.append([])
    ws.append([LABELS["nature"][language]])
    for entry in catalogue.codelists["nature"].codes:
        ws.append([entry.code, entry.name.get(language)])
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 100
    ws.protection.sheet = True
