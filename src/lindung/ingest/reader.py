"""Reading a filled template (xlsx or long CSV) into rows of cells, within size limits.

Nothing here judges the values: the reader only turns bytes into cells, each with its
location, and reports what made a file unreadable (too large, a zip bomb, not a workbook,
not UTF-8, merged cells, sheets the template does not have) as findings.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from lindung import settings
from lindung.ingest import findings as F
from lindung.ingest.findings import Finding, Location
from lindung.ingest.layout import INSTRUCTIONS_SHEETS, LISTS_SHEET, METADATA_KEYS, METADATA_SHEET

MERGE_CELL = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*\bref=\"([A-Z0-9:$]+)\"")


#: Findings after which no row is read; every other finding leaves the rest to be checked.
UNREADABLE: frozenset[str] = frozenset(
    kind.code
    for kind in (
        F.FileEmpty,
        F.FileTooLarge,
        F.UnsupportedFormat,
        F.NotAWorkbook,
        F.UnzippedTooLarge,
        F.TooManyRows,
        F.EncodingError,
        F.MalformedCsv,
    )
)


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile or mistaken file from exhausting memory or time; each
    defaults to its setting (``lindung settings``), read when the Limits are made."""

    max_file_bytes: int = field(default_factory=settings.IMPORT_MAX_FILE_BYTES.value)
    max_unzipped_bytes: int = field(default_factory=settings.IMPORT_MAX_UNZIPPED_BYTES.value)
    max_zip_members: int = field(default_factory=settings.IMPORT_MAX_ZIP_MEMBERS.value)
    max_rows: int = field(default_factory=settings.IMPORT_MAX_ROWS.value)
    max_columns: int = field(default_factory=settings.IMPORT_MAX_COLUMNS.value)


@dataclass
class Cell:
    """One cell's content as read, where it is, and whether it held a formula."""

    value: Any
    location: Location
    formula: bool = False


@dataclass
class RawRow:
    """One data row: its cells by column name, and where the row is."""

    location: Location
    cells: dict[str, Cell]


@dataclass
class RawTable:
    """A file read into rows; ``metadata`` is the workbook's hidden sheet (empty for CSV)."""

    file_format: str
    file_name: str
    header: list[tuple[Location, list[str]]] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    has_metadata: bool = False
    findings: list[Finding] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        """Return whether the file could be read into rows at all."""
        return not any(f.code in UNREADABLE for f in self.findings)


def read_file(path: Path, limits: Limits | None = None) -> RawTable:
    """Return the file's rows of cells, with findings for whatever made it unreadable."""
    limits = limits or Limits()
    where = Location(file=path.name)
    suffix = path.suffix.lower()
    table = RawTable(file_format=suffix.lstrip("."), file_name=path.name)
    size = path.stat().st_size
    if size == 0:
        table.findings.append(F.FileEmpty(where))
    elif size > limits.max_file_bytes:
        table.findings.append(F.FileTooLarge(where, size=size, limit=limits.max_file_bytes))
    elif suffix == ".xlsx":
        _read_workbook(path, table, limits)
    elif suffix == ".csv":
        _read_csv(path, table, limits)
    else:
        table.findings.append(F.UnsupportedFormat(where, name=path.name))
    return table


def _zip_problem(path: Path, limits: Limits) -> Finding | None:
    where = Location(file=path.name)
    try:
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            unzipped = sum(member.file_size for member in members)
            names = {member.filename for member in members}
    except Exception as error:  # zipfile raises BadZipFile, NotImplementedError, ValueError...
        return F.NotAWorkbook(where, reason=str(error) or type(error).__name__)
    if len(members) > limits.max_zip_members or unzipped > limits.max_unzipped_bytes:
        return F.UnzippedTooLarge(where, size=unzipped, limit=limits.max_unzipped_bytes)
    if "xl/workbook.xml" not in names:
        return F.NotAWorkbook(where, reason="a zip file without xl/workbook.xml")
    return None


def _read_workbook(path: Path, table: RawTable, limits: Limits) -> None:
    problem = _zip_problem(path, limits)
    if problem is not None:
        table.findings.append(problem)
        return
    # Read-only mode streams each sheet when it is read, so the instructions and code lists
    # are never parsed and memory stays flat; merged ranges are then read from the sheet XML.
    workbook = None
    try:
        workbook = load_workbook(path, read_only=True, data_only=False, rich_text=False)
        with zipfile.ZipFile(path) as archive:
            _read_sheets(workbook, archive, path.name, table, limits)
    except Exception as error:  # openpyxl raises many types; each means "not a usable workbook"
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        table.rows.clear()
        table.findings.append(F.NotAWorkbook(Location(file=path.name), reason=reason[:200]))
    finally:
        if workbook is not None:
            workbook.close()


def _read_sheets(
    workbook: Any, archive: zipfile.ZipFile, file_name: str, table: RawTable, limits: Limits
) -> None:
    if METADATA_SHEET in workbook.sheetnames:
        table.has_metadata = True
        for row in workbook[METADATA_SHEET].iter_rows(
            max_row=len(METADATA_KEYS) + 5, max_col=2, values_only=True
        ):
            key, value = (*row, None, None)[:2]
            if isinstance(key, str) and key in METADATA_KEYS and value is not None:
                table.metadata[key] = str(value)
    else:
        table.findings.append(F.MetadataMissing(Location(file=file_name), sheet=METADATA_SHEET))
    expected = [s for s in table.metadata.get("sheets", "").split("|") if s]
    for name in expected:
        if name not in workbook.sheetnames:
            table.findings.append(F.SheetMissing(Location(file=file_name, sheet=name), sheet=name))
    budget = [limits.max_rows]
    for sheet in workbook.worksheets:
        if sheet.title in (METADATA_SHEET, LISTS_SHEET, *INSTRUCTIONS_SHEETS.values()):
            continue
        header = [_text(value) for value in next(sheet.iter_rows(max_row=1, values_only=True), ())]
        if expected and sheet.title not in expected and "value" not in header:
            table.findings.append(
                F.SheetIgnored(Location(file=file_name, sheet=sheet.title), sheet=sheet.title)
            )
            continue
        if len(header) > limits.max_columns or not _read_sheet(
            sheet, file_name, header, table, budget
        ):
            table.findings.append(F.TooManyRows(Location(file=file_name), limit=limits.max_rows))
            return
        _merged_cells(archive, sheet, file_name, table)


def _merged_cells(archive: zipfile.ZipFile, sheet: Any, file_name: str, table: RawTable) -> None:
    """Report each merged range of the sheet, read from its XML (read-only mode skips them)."""
    xml = archive.read(sheet._worksheet_path)
    for reference in MERGE_CELL.findall(xml):
        coord = reference.decode("ascii", "replace")
        first_row = int("".join(ch for ch in coord.split(":")[0] if ch.isdigit()) or 0)
        table.findings.append(
            F.MergedCells(
                Location(file=file_name, sheet=sheet.title, cell=coord, row=first_row),
                range=coord,
            )
        )


def _read_sheet(
    sheet: Any, file_name: str, header: list[str], table: RawTable, budget: list[int]
) -> bool:
    """Read the sheet's data rows; return False when the row budget runs out."""
    title = sheet.title
    table.header.append((Location(file=file_name, sheet=title, row=1), header))
    for number, values in enumerate(sheet.iter_rows(min_row=2), start=2):
        budget[0] -= 1
        if budget[0] < 0:
            return False
        cells: dict[str, Cell] = {}
        for index, cell in enumerate(values[: len(header)]):
            name = header[index]
            if not name or cell.value is None:
                continue
            column = get_column_letter(index + 1)
            location = Location(
                file=file_name, sheet=title, cell=f"{column}{number}", row=number, column=name
            )
            cells[name] = Cell(cell.value, location, formula=cell.data_type == "f")
        if cells:
            table.rows.append(RawRow(Location(file=file_name, sheet=title, row=number), cells))
    return True


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))


def _read_csv(path: Path, table: RawTable, limits: Limits) -> None:
    where = Location(file=path.name)
    try:
        text = path.read_bytes().decode("utf-8-sig")
    except UnicodeDecodeError as error:
        table.findings.append(F.EncodingError(where, reason=f"byte {error.start}: {error.reason}"))
        return
    try:
        records = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = [name.strip() for name in next(records, [])]
        table.header.append((Location(file=path.name, row=1), header))
        for number, record in enumerate(records, start=2):
            if number > limits.max_rows + 1 or len(record) > limits.max_columns:
                table.findings.append(F.TooManyRows(where, limit=limits.max_rows))
                return
            cells = {
                name: Cell(value, Location(file=path.name, row=number, column=name))
                for name, value in zip(header, record, strict=False)
                if name and value.strip()
            }
            if cells:
                table.rows.append(RawRow(Location(file=path.name, row=number), cells))
    except csv.Error as error:
        table.findings.append(F.MalformedCsv(where, reason=str(error)))
