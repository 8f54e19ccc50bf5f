"""Reading one sheet's XML as a spreadsheet shows it: every row and cell it lists, in order,
and which of its rows and columns are hidden.

The XML is streamed by lxml (libxml2, in C), which hands Python only the finished ``<row>``,
``<col>`` and ``<mergeCell>`` elements, each freed once read; a cell's value is typed as
openpyxl's sheet parser types it (numbers, shared and inline strings, booleans, dates by their
number format, formulas), without building openpyxl's objects for every cell, which made a
sheet at the row limit take seconds. Entities are never expanded (no spreadsheet declares them,
and ``zip_problem`` refuses a part that does) and nothing is fetched from the network.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import IO, Any

from lxml import etree
from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE
from openpyxl.utils import coordinate_to_tuple
from openpyxl.utils.datetime import from_excel, from_ISO8601

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
ROW, CELL, VALUE, FORMULA = f"{MAIN}row", f"{MAIN}c", f"{MAIN}v", f"{MAIN}f"
INLINE, TEXT, RUN = f"{MAIN}is", f"{MAIN}t", f"{MAIN}r"
COLUMN, MERGED = f"{MAIN}col", f"{MAIN}mergeCell"
#: Excel's last column (XFD): a ``<col>`` range is cut there, however wide it claims to be.
MAX_COLUMN = 16_384
TRUE = frozenset({"1", "true"})


class UnreadableSheet(Exception):
    """The sheet's XML says something no spreadsheet writes (the reader makes it the
    not-a-workbook finding, as it does any other error from reading the workbook)."""


@dataclass(slots=True)
class SheetCell:
    """One cell as the sheet's XML holds it: its typed value, whether it is a formula, and
    the number format its style gives it."""

    value: Any
    formula: bool
    number_format: str


@dataclass(slots=True)
class SheetRow:
    """One ``<row>`` of the sheet: its number, its cells by column (the last of a cell listed
    twice), whether it is hidden, the columns of the cells it lists twice, and whether it lists
    a cell whose address is in another row."""

    number: int
    cells: dict[int, SheetCell]
    hidden: bool
    duplicates: list[int]
    misplaced: bool


class SheetXml:
    """Streams one sheet's XML; after ``rows`` is exhausted, ``hidden_columns`` and ``merged``
    say which columns are hidden and which ranges merged."""

    def __init__(self, workbook: Any, sheet: Any) -> None:
        # A read-only workbook's own ``shared_strings`` is an empty list: the texts it read
        # are handed to each sheet. Reading the workbook's (empty) list refused every
        # workbook saved by Excel or LibreOffice, which share their texts ("list index out of
        # range"); only openpyxl, which writes texts inline, was read.
        self.shared_strings = getattr(sheet, "_shared_strings", None) or workbook.shared_strings
        self.epoch = workbook.epoch
        self.date_formats: set[int] = workbook._date_formats
        self.timedelta_formats: set[int] = workbook._timedelta_formats
        self.styles = workbook._cell_styles
        self.custom_formats = workbook._number_formats
        self.formats: dict[int, str] = {}
        self.shared_formulas: dict[str | None, Any] = {}
        self.hidden_columns: set[int] = set()
        self.merged: list[str] = []

    def rows(self, source: IO[bytes]) -> Iterator[SheetRow]:
        """Yield every ``<row>`` the XML lists, in the order it lists them."""
        events = etree.iterparse(
            source,
            events=("end",),
            tag=(ROW, COLUMN, MERGED),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
        )
        counter = 0
        for _, element in events:
            tag = element.tag
            if tag == ROW:
                row = self._row(element, counter)
                counter = row.number
            elif tag == COLUMN:
                self._column(element)
            else:
                self.merged.append(str(element.get("ref", "")))
            # Free what was read: the element's children, and the elements before it.
            element.clear()
            parent = element.getparent()
            while parent is not None and element.getprevious() is not None:
                del parent[0]
            if tag == ROW:
                yield row

    def _row(self, element: Any, counter: int) -> SheetRow:
        raw = element.get("r")
        if raw is None:
            number = counter + 1
        else:
            try:
                number = int(raw)
            except ValueError:
                real = float(raw)
                if not real.is_integer():
                    raise UnreadableSheet(f"{raw} is not a valid row number") from None
                number = int(real)
        hidden = element.get("hidden") in TRUE or _zero(element.get("ht"))
        cells: dict[int, SheetCell] = {}
        column = 0
        duplicates: list[int] = []
        misplaced = False
        for child in element:
            if child.tag != CELL:
                continue
            coordinate = child.get("r")
            if coordinate:
                row, column = coordinate_to_tuple(coordinate)
                misplaced = misplaced or row != number
            else:
                column += 1
            if column in cells:
                duplicates.append(column)
            cells[column] = self._cell(child, coordinate)
        return SheetRow(number, cells, hidden, duplicates, misplaced)

    def _cell(self, element: Any, coordinate: str | None) -> SheetCell:
        """Return the cell typed as openpyxl's ``WorkSheetParser.parse_cell`` types it."""
        data_type = element.get("t", "n")
        style = element.get("s")
        style_id = int(style) if style else 0
        text: str | None = None
        seen_value = False
        formula = inline = None
        # The first <v>, <f> and <is> count, as in openpyxl (most cells have one child).
        for child in element:
            tag = child.tag
            if tag == VALUE:
                if not seen_value:
                    seen_value, text = True, child.text or None
            elif tag == FORMULA:
                formula = child if formula is None else formula
            elif tag == INLINE:
                inline = child if inline is None else inline
        value: Any = None
        is_formula = formula is not None
        if formula is not None:
            value = self._formula(formula, coordinate)
        elif data_type == "inlineStr":
            if inline is None:
                value = None
            elif len(inline) == 1 and inline[0].tag == TEXT:
                value = inline[0].text or ""
            else:
                value = _inline_text(inline)
        elif text is not None:
            if data_type == "n":
                value = float(text) if ("." in text or "e" in text or "E" in text) else int(text)
                if style_id in self.date_formats:
                    try:
                        timedelta = style_id in self.timedelta_formats
                        value = from_excel(value, self.epoch, timedelta=timedelta)
                    except (OverflowError, ValueError):
                        value = "#VALUE!"
            elif data_type == "s":
                value = self.shared_strings[int(text)]
            elif data_type == "b":
                value = bool(int(text))
            elif data_type == "d":
                value = from_ISO8601(text)
            else:
                value = text
        return SheetCell(value, is_formula, self._number_format(style_id))

    def _formula(self, element: Any, coordinate: str | None) -> Any:
        """Return the formula's text (``=...``), a shared formula translated to its cell."""
        value = "=" + (element.text or "")
        if element.get("t") == "shared":
            from openpyxl.formula.translate import Translator

            index = element.get("si")
            if index in self.shared_formulas:
                return self.shared_formulas[index].translate_formula(coordinate)
            if value != "=":
                self.shared_formulas[index] = Translator(value, coordinate)
        return value

    def _column(self, element: Any) -> None:
        if element.get("hidden") not in TRUE and not _zero(element.get("width")):
            return
        try:
            first, last = int(element.get("min", "0")), int(element.get("max", "0"))
        except ValueError:
            return
        self.hidden_columns.update(range(max(first, 1), min(last, MAX_COLUMN) + 1))

    def _number_format(self, style_id: int) -> str:
        known = self.formats.get(style_id)
        if known is None:
            known = self.formats[style_id] = self._format_of(style_id)
        return known

    def _format_of(self, style_id: int) -> str:
        try:
            format_id = self.styles[style_id].numFmtId
            if format_id < BUILTIN_FORMATS_MAX_SIZE:
                return str(BUILTIN_FORMATS.get(format_id, "General"))
            return str(self.custom_formats[format_id - BUILTIN_FORMATS_MAX_SIZE])
        except (IndexError, ValueError, TypeError):
            # A style the workbook does not define: Excel shows such a cell as General.
            return "General"


def _inline_text(element: Any) -> str:
    """Return an inline string's text: its plain ``<t>`` and the text of each rich-text run."""
    plain: str | None = None
    runs: list[str] = []
    for child in element:
        if child.tag == TEXT:
            plain = child.text
        elif child.tag == RUN:
            runs.extend(t.text for t in child if t.tag == TEXT and t.text is not None)
    return "".join([plain, *runs] if plain is not None else runs)


def _zero(size: str | None) -> bool:
    """Return whether a row height or column width is zero (the row or column is not seen)."""
    if size is None:
        return False
    try:
        return float(size) == 0
    except ValueError:
        return False
