"""Reading a workbook's sheets into rows of cells, every cell the sheet's XML holds.

openpyxl's read-only mode trusts the sheet's ``<dimension>`` and the order of its rows, so
rows beyond a stale dimension or listed out of order were dropped, and a cell listed twice was
read once, whichever came last. Here each sheet's XML is streamed (``sheet_xml``) and every
row it lists is read; a row listed out of order, a cell listed twice, a part of the zip stored
twice, and values on a hidden sheet or in hidden rows or columns are findings. The zip's size,
its member count and the number of cells are checked before any XML is parsed, and a part that
declares a DTD (entities, which no spreadsheet writes) is refused.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from lindung.ingest import findings as F
from lindung.ingest.findings import Finding, Location
from lindung.ingest.layout import (
    INSTRUCTIONS_SHEETS,
    LABEL_COLUMNS,
    LISTS_SHEET,
    METADATA_KEYS,
    METADATA_SHEET,
    WORKBOOK_COLUMNS,
)
from lindung.ingest.reader import Cell, Limits, RawRow, RawTable
from lindung.ingest.sheet_xml import SheetCell, SheetRow, SheetXml
from lindung.ingest.stated import Stated, disagreements, read_stated

#: The start of a cell element, with or without a namespace prefix.
CELL_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s/>]")
#: The start of any element (not a closing tag, comment or declaration).
ELEMENT_TAG = re.compile(rb"<[A-Za-z_]")
#: The start of an element of a sheet's data: a row, a cell, its value, formula or text
#: (capped by the cell limit); every other element of a sheet (data validations, conditional
#: formats, merged ranges, hyperlinks, column widths, rich-text runs...) is an entry.
DATA_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(?:row|c|v|f|is|t)[\s/>]")
#: Entries (XML elements) of a part other than a sheet: a filled template's largest, its
#: styles, has a few hundred, and its texts repeat codes; Excel itself allows 64,000 styles.
MAX_PART_ENTRIES = 100_000
#: Excel's escape of a character in text (``_x202E_`` is U+202E), which Excel shows decoded.
OOXML_ESCAPE = re.compile(r"_x([0-9A-Fa-f]{4})_")
#: The columns of a pillar sheet whose cells are imported.
IMPORTED_COLUMNS = frozenset(WORKBOOK_COLUMNS) - LABEL_COLUMNS
SKIPPED_SHEETS = frozenset({METADATA_SHEET, LISTS_SHEET, *INSTRUCTIONS_SHEETS.values()})


def zip_problem(data: bytes, limits: Limits, file_name: str) -> Finding | None:
    """Return the finding that makes the zip unsafe or unusable as a workbook, or None.

    Sizes and member names come from the zip's directory; cells, and the entries of every
    other XML part (shared strings, styles, comments), are counted by streaming the XML
    through a byte pattern, so nothing is parsed before the limits hold.
    """
    where = Location(file=file_name)
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            members = archive.infolist()
            names = [member.filename for member in members]
            if len(members) > limits.max_zip_members:
                return F.TooManyParts(where, count=len(members), limit=limits.max_zip_members)
            unzipped = sum(member.file_size for member in members)
            if unzipped > limits.max_unzipped_bytes:
                return F.UnzippedTooLarge(where, size=unzipped, limit=limits.max_unzipped_bytes)
            repeated = sorted({name for name in names if names.count(name) > 1})
            if repeated:
                return F.DuplicatePart(where, part=repeated[0])
            if "xl/workbook.xml" not in names:
                return F.NotAWorkbook(where, reason="a zip file without xl/workbook.xml")
            cells = 0
            for member in members:
                name = member.filename
                cap = limits.max_unzipped_bytes
                if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                    sheet_cells, data_elements, elements = _count(
                        (CELL_TAG, DATA_TAG, ELEMENT_TAG), archive, member, cap
                    )
                    cells += sheet_cells
                    if cells > limits.max_cells:
                        return F.TooManyCells(where, limit=limits.max_cells)
                    # A sheet's other elements are built into objects by openpyxl (data
                    # validations, conditional formats) or read one by one (merged ranges):
                    # 250,000 validations in a 700 KB file took half a minute.
                    if elements - data_elements > MAX_PART_ENTRIES:
                        return F.TooManyEntries(where, part=name, limit=MAX_PART_ENTRIES)
                elif name.endswith((".xml", ".rels", ".vml")):
                    # Shared strings, styles, comments: parsed whole when the workbook is
                    # opened, so a small file of a million tiny entries is refused first.
                    (entries,) = _count((ELEMENT_TAG,), archive, member, cap)
                    if entries > MAX_PART_ENTRIES:
                        return F.TooManyEntries(where, part=name, limit=MAX_PART_ENTRIES)
    except _Declared as declared:
        reason = f"the part '{declared}' declares a DTD, which no spreadsheet writes"
        return F.NotAWorkbook(where, reason=reason)
    except Exception as error:  # zipfile raises BadZipFile, NotImplementedError, ValueError...
        return F.NotAWorkbook(where, reason=(str(error) or type(error).__name__)[:200])
    return None


class _Declared(Exception):
    """A part of the zip declares a DTD (its name is the message)."""


def _count(
    tags: tuple[re.Pattern[bytes], ...],
    archive: zipfile.ZipFile,
    member: zipfile.ZipInfo,
    cap: int,
) -> list[int]:
    """Return how many times each of ``tags`` starts in the member, read in blocks, never
    parsed.

    Raise _Declared if the member declares a DTD: its entities could expand a small part
    into a huge one, or say something other than what the cells show.
    """
    counts = [0] * len(tags)
    tail = b""
    read = 0
    with archive.open(member) as stream:
        while block := stream.read(1 << 20):
            read += len(block)
            if read > cap:
                # The directory understated the size: count as over every limit.
                return [cap] + [0] * (len(tags) - 1)
            chunk = tail + block
            if b"<!DOCTYPE" in chunk or b"<!ENTITY" in chunk:
                raise _Declared(member.filename)
            # A tag split across blocks is counted once: keep the last bytes without a '<'.
            cut = chunk.rfind(b"<")
            tail = chunk[cut:] if cut >= len(chunk) - 40 else b""
            for index, tag in enumerate(tags):
                counts[index] += len(tag.findall(chunk)) - (len(tag.findall(tail)) if tail else 0)
    return counts


def read_workbook(data: bytes, table: RawTable, limits: Limits) -> None:
    """Read the workbook's pillar sheets into ``table``: rows, metadata and findings."""
    problem = zip_problem(data, limits, table.file_name)
    if problem is not None:
        table.findings.append(problem)
        return
    workbook = None
    try:
        # Read-only mode parses no sheet when loading; each sheet is parsed below, once.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            _read_sheets(workbook, archive, table, limits)
    except Exception as error:  # openpyxl raises many types; each means "not a usable workbook"
        reason = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        table.rows.clear()
        table.findings.append(F.NotAWorkbook(Location(file=table.file_name), reason=reason[:200]))
    finally:
        if workbook is not None:
            workbook.close()


def _cross_check(workbook: Any, archive: zipfile.ZipFile, table: RawTable) -> None:
    """Compare the hidden metadata with what each visible instructions sheet states."""
    stated: list[Stated] = []
    visible: list[str] = []
    for title in INSTRUCTIONS_SHEETS.values():
        if title not in workbook.sheetnames:
            continue
        sheet = workbook[title]
        if getattr(sheet, "sheet_state", "visible") != "visible":
            continue
        visible.append(title)
        rows = _parsed_rows(workbook, archive, sheet, table)
        stated.extend(read_stated(rows, table.file_name, title))
    where = ", ".join(f"'{title}'" for title in visible) or None
    table.findings.extend(disagreements(table.metadata, stated, table.file_name, where))


class _Budget:
    """Rows left to read across every sheet."""

    def __init__(self, rows: int) -> None:
        self.rows = rows


def _read_sheets(workbook: Any, archive: zipfile.ZipFile, table: RawTable, limits: Limits) -> None:
    file_name = table.file_name
    if METADATA_SHEET in workbook.sheetnames:
        table.has_metadata = True
        for row in _parsed_rows(workbook, archive, workbook[METADATA_SHEET], table):
            if row.number > len(METADATA_KEYS) + 5:
                break
            values = {column: cell.value for column, cell in row.cells.items()}
            key, value = values.get(1), values.get(2)
            if isinstance(key, str) and key in METADATA_KEYS and value is not None:
                table.metadata[key] = str(value)
        _cross_check(workbook, archive, table)
    else:
        table.findings.append(F.MetadataMissing(Location(file=file_name), sheet=METADATA_SHEET))
    expected = [s for s in table.metadata.get("sheets", "").split("|") if s]
    table.missing_sheets = [name for name in expected if name not in workbook.sheetnames]
    budget = _Budget(limits.max_rows)
    for sheet in workbook.worksheets:
        if sheet.title in SKIPPED_SHEETS:
            continue
        if not _read_sheet(workbook, archive, sheet, expected, table, limits, budget):
            return
    if not any(f.code == F.SheetRenamed.code for f in table.findings):
        # With no other sheet read in their place, the missing sheets' values are not reported.
        for name in table.missing_sheets:
            where = Location(file=file_name, sheet=name)
            table.findings.append(F.SheetMissing(where, sheet=name))


def _read_sheet(
    workbook: Any,
    archive: zipfile.ZipFile,
    sheet: Any,
    expected: list[str],
    table: RawTable,
    limits: Limits,
    budget: _Budget,
) -> bool:
    """Read one sheet's rows; return False when a limit stops the whole file."""
    title, file_name = sheet.title, table.file_name
    header: list[str] | None = None
    values_read = 0
    hidden = _Hidden()
    xml = SheetXml(workbook, sheet)
    for parsed in _parsed_rows(workbook, archive, sheet, table, xml):
        number, cells = parsed.number, parsed.cells
        if header is None:
            if number == 1 and max(cells, default=0) > limits.max_columns:
                count = max(cells)
                where = Location(file=file_name, sheet=title, row=1)
                table.findings.append(
                    F.TooManyColumns(where, count=count, limit=limits.max_columns)
                )
                return False
            header = [_text(cells[c].value) if c in cells else "" for c in _span(cells)]
            header = header if number == 1 else []
            if not _starts(title, header, expected, table):
                return True
            if number == 1:
                continue
        budget.rows -= 1
        if budget.rows < 0:
            table.findings.append(F.TooManyRows(Location(file=file_name), limit=limits.max_rows))
            return False
        row = _row(cells, number, header, title, file_name)
        if row.cells:
            values_read += 1
            table.rows.append(row)
            hidden.note(parsed, row, header, xml.hidden_columns)
    if header is None:
        _starts(title, [], expected, table)
    state = getattr(sheet, "sheet_state", "visible")
    if state != "visible" and values_read:
        table.findings.append(
            F.HiddenSheet(Location(file=file_name, sheet=title), sheet=title, state=state)
        )
    elif values_read:
        hidden.report(title, header or [], table)
    return True


class _Hidden:
    """The rows and columns of a sheet that are hidden and hold values that are read."""

    def __init__(self) -> None:
        self.rows: list[int] = []
        self.columns: set[int] = set()

    def note(self, row: SheetRow, read: RawRow, header: list[str], columns: set[int]) -> None:
        """Note the row if it is hidden and reports a value, and its imported cells that are
        in hidden columns (a hidden label column, ``indicator``, hides nothing imported)."""
        if row.hidden and "value" in read.cells:
            self.rows.append(row.number)
        if columns:
            self.columns.update(
                cell.index
                for name, cell in read.cells.items()
                if cell.index in columns and name in IMPORTED_COLUMNS
            )

    def report(self, title: str, header: list[str], table: RawTable) -> None:
        """Add a finding for the hidden rows and one for the hidden columns, if any."""
        file_name = table.file_name
        if self.rows:
            where = Location(file=file_name, sheet=title, row=self.rows[0])
            table.findings.append(
                F.HiddenRows(where, sheet=title, rows=_ranges(self.rows), count=len(self.rows))
            )
        if self.columns:
            first = min(self.columns)
            where = Location(
                file=file_name,
                sheet=title,
                cell=f"{get_column_letter(first)}1",
                row=1,
                column=header[first - 1],
            )
            named = ", ".join(
                f"{get_column_letter(index)} ({header[index - 1]})"
                for index in sorted(self.columns)[:10]
            )
            more = len(self.columns) - 10
            shown = f"{named}, ..." if more > 0 else named
            table.findings.append(
                F.HiddenColumns(where, sheet=title, columns=shown, count=len(self.columns))
            )


def _ranges(numbers: list[int], shown: int = 10) -> str:
    """Return row numbers as ranges: ``5-9, 12``, the first ``shown`` ranges and '...'."""
    spans: list[list[int]] = []
    for number in sorted(set(numbers)):
        if spans and number == spans[-1][1] + 1:
            spans[-1][1] = number
        else:
            spans.append([number, number])
    text = [f"{a}-{b}" if b > a else str(a) for a, b in spans[:shown]]
    return ", ".join(text) + (", ..." if len(spans) > shown else "")


def _starts(title: str, header: list[str], expected: list[str], table: RawTable) -> bool:
    """Return whether the sheet's rows are read: a template sheet, or one with its columns.

    A sheet the template does not name is read only when its header has a ``value`` column,
    and then the finding says so, with the template's sheets that are missing.
    """
    where = Location(file=table.file_name, sheet=title)
    if expected and title not in expected:
        if "value" not in header:
            table.findings.append(F.SheetIgnored(where, sheet=title))
            return False
        missing = ", ".join(f"'{name}'" for name in table.missing_sheets) or "none"
        table.findings.append(F.SheetRenamed(where, sheet=title, missing=missing))
    table.header.append((Location(file=table.file_name, sheet=title, row=1), header))
    return True


def _span(cells: dict[int, SheetCell]) -> range:
    return range(1, max(cells, default=0) + 1)


def _row(
    cells: dict[int, SheetCell], number: int, header: list[str], title: str, file_name: str
) -> RawRow:
    read: dict[str, Cell] = {}
    width = len(header)
    place = Location(file=file_name, sheet=title, row=number)
    for column, cell in cells.items():
        name = header[column - 1] if column <= width else ""
        if not name or cell.value is None:
            continue
        read[name] = Cell(
            cell.value, place, name, column, formula=cell.formula, number_format=cell.number_format
        )
    return RawRow(place, read)


def _parsed_rows(
    workbook: Any,
    archive: zipfile.ZipFile,
    sheet: Any,
    table: RawTable,
    xml: SheetXml | None = None,
) -> Iterator[SheetRow]:
    """Yield every row the sheet's XML lists, in order, its text decoded as Excel shows it.

    A row listed after a later one, a cell whose address is not in its row, and a cell listed
    twice are findings (the file was not written by a spreadsheet); nothing is dropped.
    """
    file_name, title = table.file_name, sheet.title
    xml = xml or SheetXml(workbook, sheet)
    with archive.open(sheet._worksheet_path) as source:
        last = 0
        for row in xml.rows(source):
            number = row.number
            if number <= last or row.misplaced:
                table.findings.append(
                    F.RowsOutOfOrder(
                        Location(file=file_name, sheet=title, row=number), row=number, after=last
                    )
                )
            last = max(last, number)
            for column in row.duplicates:
                reference = f"{get_column_letter(column)}{number}"
                table.findings.append(
                    F.DuplicateCell(
                        Location(file=file_name, sheet=title, cell=reference, row=number),
                        cell=reference,
                    )
                )
            for cell in row.cells.values():
                if isinstance(cell.value, str) and "_x" in cell.value:
                    cell.value = _decoded(cell.value)
            yield row
    _merged_cells(xml.merged, title, table)


def _merged_cells(merged: list[str], title: str, table: RawTable) -> None:
    """Report each merged range of the sheet (read-only reading does not split them)."""
    for coord in merged:
        first_row = int("".join(ch for ch in coord.split(":")[0] if ch.isdigit()) or 0)
        table.findings.append(
            F.MergedCells(
                Location(file=table.file_name, sheet=title, cell=coord, row=first_row),
                range=coord,
            )
        )


def _decoded(value: str) -> str:
    """Return text as Excel shows it: ``_x202E_`` escapes decoded to the characters they are."""
    return OOXML_ESCAPE.sub(lambda match: chr(int(match.group(1), 16)), value)


def _text(value: Any) -> str:
    return value.strip() if isinstance(value, str) else ("" if value is None else str(value))
