"""Reading a filled template (xlsx or long CSV) into rows of cells, within size limits.

Nothing here judges the values: the reader only turns bytes into cells, each with its
location, and reports what made a file unreadable (not a regular file, too large, a zip bomb,
not a workbook, not UTF-8, too many columns) as findings. The file is opened once, without
blocking and without following it if it is not a regular file; its size is checked before a
byte is read, and the bytes read are the ones hashed and parsed.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lindung import settings
from lindung.errors import ValidationFailed
from lindung.ingest import findings as F
from lindung.ingest.dialect import Dialect, detect_dialect, first_line
from lindung.ingest.findings import Finding, Location
from lindung.ingest.layout import CSV_COLUMNS

#: Findings after which no row is read; every other finding leaves the rest to be checked.
UNREADABLE: frozenset[str] = frozenset(
    kind.code
    for kind in (
        F.FileEmpty,
        F.FileTooLarge,
        F.FileUnreadable,
        F.NotARegularFile,
        F.UnsupportedFormat,
        F.NotAWorkbook,
        F.DuplicatePart,
        F.UnzippedTooLarge,
        F.TooManyParts,
        F.TooManyCells,
        F.TooManyRows,
        F.TooManyColumns,
        F.EncodingError,
        F.MalformedCsv,
    )
)
#: What a path that is not a regular file is, in the words of the finding.
FILE_KINDS = {
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a block device",
    stat.S_IFIFO: "a pipe (FIFO)",
    stat.S_IFSOCK: "a socket",
    stat.S_IFDIR: "a folder",
}


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile or mistaken file from exhausting memory or time, and a report
    from listing without end; each defaults to its setting (``lindung settings``), read when
    the Limits are made."""

    max_file_bytes: int = field(default_factory=settings.IMPORT_MAX_FILE_BYTES.value)
    max_unzipped_bytes: int = field(default_factory=settings.IMPORT_MAX_UNZIPPED_BYTES.value)
    max_zip_members: int = field(default_factory=settings.IMPORT_MAX_ZIP_MEMBERS.value)
    max_rows: int = field(default_factory=settings.IMPORT_MAX_ROWS.value)
    max_columns: int = field(default_factory=settings.IMPORT_MAX_COLUMNS.value)
    max_cells: int = field(default_factory=settings.IMPORT_MAX_CELLS.value)
    #: Findings listed in a report (the counts cover them all).
    max_findings: int = field(default_factory=settings.IMPORT_MAX_FINDINGS.value)


class Cell:
    """One cell's content as read, where it is, whether it held a formula, and its format.

    The cell's location (its row's, with its column's name, and in a workbook its address) is
    made when first asked for: most cells of a file at the row limit never are.
    """

    __slots__ = ("_location", "column", "formula", "index", "number_format", "row", "value")

    def __init__(
        self,
        value: Any,
        row: Location,
        column: str,
        index: int | None = None,
        *,
        formula: bool = False,
        number_format: str = "General",
    ) -> None:
        self.value = value
        #: The location of the cell's row, the column's name, and (in a workbook) its number.
        self.row, self.column, self.index = row, column, index
        self.formula = formula
        self.number_format = number_format
        self._location: Location | None = None

    @property
    def location(self) -> Location:
        """Return where the cell is: ``Sheet!M12`` in a workbook, row and column in a CSV."""
        if self._location is None:
            row = self.row
            reference = None if self.index is None else f"{_letter(self.index)}{row.row}"
            self._location = Location(
                file=row.file, sheet=row.sheet, cell=reference, row=row.row, column=self.column
            )
        return self._location


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(index))


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
    file_hash: str = ""
    header: list[tuple[Location, list[str]]] = field(default_factory=list)
    rows: list[RawRow] = field(default_factory=list)
    metadata: dict[str, str] = field(default_factory=dict)
    has_metadata: bool = False
    #: Sheets of the template that are missing from the workbook.
    missing_sheets: list[str] = field(default_factory=list)
    dialect: Dialect = field(default_factory=Dialect)
    findings: list[Finding] = field(default_factory=list)

    @property
    def readable(self) -> bool:
        """Return whether the file could be read into rows at all."""
        return not any(f.code in UNREADABLE for f in self.findings)


def read_bytes(path: Path, limits: Limits | None = None) -> tuple[bytes | None, Finding | None]:
    """Return the file's bytes, or None and the finding that says why they were not read.

    A FIFO, a device or a folder is refused before reading; so is a file over the size limit
    (a sparse file of 10 GB is never read through).
    """
    limits = limits or Limits()
    where = Location(file=path.name)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_BINARY", 0))
    except OSError as error:
        return None, F.FileUnreadable(where, reason=error.strerror or type(error).__name__)
    try:
        info = os.fstat(descriptor)
        kind = stat.S_IFMT(info.st_mode)
        if kind != stat.S_IFREG:
            what = FILE_KINDS.get(kind, "not a regular file")
            return None, F.NotARegularFile(where, name=path.name, kind=what)
        if info.st_size > limits.max_file_bytes:
            return None, F.FileTooLarge(where, size=info.st_size, limit=limits.max_file_bytes)
        with os.fdopen(descriptor, "rb", closefd=False) as handle:
            data = handle.read(limits.max_file_bytes + 1)
    except OSError as error:
        return None, F.FileUnreadable(where, reason=error.strerror or type(error).__name__)
    finally:
        os.close(descriptor)
    if len(data) > limits.max_file_bytes:
        return None, F.FileTooLarge(where, size=len(data), limit=limits.max_file_bytes)
    if not data:
        return None, F.FileEmpty(where)
    return data, None


def read_or_refuse(path: Path, limits: Limits | None = None, *, empty_ok: bool = False) -> bytes:
    """Return the file's bytes, read as :func:`read_bytes` reads them.

    Raise ValidationFailed, naming the file and how to fix it, for whatever kept them from
    being read (a FIFO, a device, a file over the size limit; an empty file unless ``empty_ok``).
    """
    data, problem = read_bytes(path, limits)
    if problem is not None and not (empty_ok and problem.code == F.FileEmpty.code):
        raise ValidationFailed(
            f"{path.name}: {problem.message()}; {problem.fix()}; nothing was stored", [problem]
        )
    return data or b""


def read_file(path: Path, limits: Limits | None = None) -> RawTable:
    """Return the file's rows of cells, with findings for whatever made it unreadable."""
    from lindung.ingest.sheets import read_workbook

    limits = limits or Limits()
    where = Location(file=path.name)
    suffix = path.suffix.lower()
    table = RawTable(file_format=suffix.lstrip("."), file_name=path.name)
    data, problem = read_bytes(path, limits)
    if problem is not None or data is None:
        table.findings.append(problem or F.FileEmpty(where))
        return table
    table.file_hash = hashlib.sha256(data).hexdigest()
    if suffix == ".xlsx":
        read_workbook(data, table, limits)
    elif suffix == ".csv":
        _read_csv(data, table, limits)
    else:
        table.findings.append(F.UnsupportedFormat(where, name=path.name))
    return table


def _read_csv(data: bytes, table: RawTable, limits: Limits) -> None:
    where = Location(file=table.file_name)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        table.findings.append(F.EncodingError(where, reason=f"byte {error.start}: {error.reason}"))
        return
    header_line = first_line(text)
    table.dialect = detect_dialect(header_line, CSV_COLUMNS)
    # Counting separators first keeps a header of a million names from being split at all.
    if header_line.count(table.dialect.delimiter) >= limits.max_columns:
        count = header_line.count(table.dialect.delimiter) + 1
        table.findings.append(F.TooManyColumns(where, count=count, limit=limits.max_columns))
        return
    _csv_rows(text, table, limits)
    # The values say which decimal mark a ';' file uses (``Dialect.told_by``).
    values = (row.cells["value"].value for row in table.rows if "value" in row.cells)
    table.dialect = table.dialect.told_by(values)
    if not table.dialect.usual:
        dialect = table.dialect
        table.findings.append(
            F.CsvDialect(where, delimiter=repr(dialect.delimiter), decimal=repr(dialect.decimal))
        )


def _csv_rows(text: str, table: RawTable, limits: Limits) -> None:
    """Read the CSV's records into ``table``, stopping at the first limit or malformed line."""
    where = Location(file=table.file_name)
    # Where the record being read starts: its row, and its line (a quoted cell may span
    # lines), for a cell too large to read.
    started = (1, 1)
    try:
        records = csv.reader(
            io.StringIO(text, newline=""), delimiter=table.dialect.delimiter, strict=True
        )
        header = [name.strip() for name in next(records, [])]
        table.header.append((Location(file=table.file_name, row=1), header))
        started = (2, records.line_num + 1)
        for number, record in enumerate(records, start=2):
            started = (number + 1, records.line_num + 1)
            if number > limits.max_rows + 1:
                table.findings.append(F.TooManyRows(where, limit=limits.max_rows))
                return
            if len(record) > limits.max_columns:
                table.findings.append(
                    F.TooManyColumns(
                        Location(file=table.file_name, row=number),
                        count=len(record),
                        limit=limits.max_columns,
                    )
                )
                return
            place = Location(file=table.file_name, row=number)
            cells = {
                name: Cell(value, place, name)
                for name, value in zip(header, record, strict=False)
                if name and value.strip()
            }
            if cells:
                table.rows.append(RawRow(place, cells))
    except csv.Error as error:
        if "field limit" in str(error):
            # The csv module stops at a cell of more than its field limit: say where it starts.
            row, line = started
            start = Location(file=table.file_name, row=row)
            table.findings.append(F.CellTooLarge(start, line=line, limit=csv.field_size_limit()))
            return
        table.findings.append(F.MalformedCsv(where, reason=str(error)))
