"""How a CSV file was written: its column separator and decimal mark, told from its header.

Excel saves "CSV" in the computer's locale: in Indonesia (and much of the world) columns are
separated by ``;`` and decimals written with ``,``. The header of a file whose column names are
known says which separator was used, without guessing from the values. The decimal mark is
told from the numbers themselves: a ``;`` file whose numbers are written ``12.5`` (and none
``12,5``) uses dots, one written ``12,5`` commas; with no number saying either way (or both),
a ``;`` file is read with decimal commas, where a dot can only separate thousands. The first
line ends at a carriage return as well as a line feed (old Mac files end lines with CR only).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

DELIMITERS: tuple[str, ...] = (",", ";", "\t")
DOT_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
COMMA_NUMBER = re.compile(r"^[+-]?\d+(,\d+)?([eE][+-]?\d+)?$")
#: Thousands grouped by dots; one group alone ("1.500") could as well be a decimal.
GROUPED = re.compile(r"^[+-]?\d{1,3}(\.\d{3})+(,\d+)?$")
#: A number with a decimal comma ("12,5", ",5"): the comma cannot separate columns here.
COMMA_DECIMAL = re.compile(r"^[+-]?\d*,\d+([eE][+-]?\d+)?$")
#: One dot before three digits ("1.500"): a decimal, or thousands in a comma locale.
ONE_GROUP = re.compile(r"^[+-]?\d{1,3}\.\d{3}$")
#: The end of a line: a line feed, or a carriage return alone (old Mac files).
LINE_END = re.compile(r"[\r\n]")


@dataclass(frozen=True)
class Dialect:
    """A CSV file's column separator and decimal mark."""

    delimiter: str = ","
    decimal: str = "."

    def told_by(self, cells: Iterable[str]) -> Dialect:
        """Return the dialect with the decimal mark that the numbers among ``cells`` are
        written with (``decimal_mark``); a comma-separated file keeps its dot."""
        if self.delimiter == ",":
            return self
        return Dialect(self.delimiter, decimal_mark(cells, self.decimal))

    @property
    def usual(self) -> bool:
        """Return whether this is the comma-and-dot CSV that the template asks for."""
        return self == Dialect()

    def number(self, text: str) -> float | None:
        """Return the number ``text`` writes, or None when it is not one (or is ambiguous)."""
        raw = text.strip()
        if self.decimal == ".":
            return float(raw) if DOT_NUMBER.match(raw) else None
        if COMMA_NUMBER.match(raw):
            return float(raw.replace(",", "."))
        if GROUPED.match(raw) and (raw.count(".") > 1 or "," in raw):
            return float(raw.replace(".", "").replace(",", "."))
        return None

    def ambiguous(self, text: str) -> bool:
        """Return whether ``text`` is a number only if its dot is read one way or the other
        (``1.500`` or ``56.3`` in a file that writes decimals with a comma)."""
        raw = text.strip()
        return (
            self.decimal == ","
            and "." in raw
            and self.number(raw) is None
            and bool(DOT_NUMBER.match(raw.replace(",", "")))
        )


def first_line(text: str) -> str:
    """Return the text up to its first line end (a line feed or a carriage return)."""
    end = LINE_END.search(text)
    return text if end is None else text[: end.start()]


def decimal_mark(cells: Iterable[str], default: str) -> str:
    """Return the decimal mark the numbers among ``cells`` are written with: a dot when some
    write one (``12.5``) and none a decimal comma (``12,5``, ``1.234,5``), a comma the other
    way round, else ``default``. ``1.500`` says neither: it is 1.5 or 1500."""
    comma = dot = False
    for text in cells:
        raw = text.strip()
        if COMMA_DECIMAL.match(raw) or (GROUPED.match(raw) and (raw.count(".") > 1 or "," in raw)):
            comma = True
        elif "." in raw and DOT_NUMBER.match(raw) and not ONE_GROUP.match(raw):
            dot = True
        if comma and dot:
            return default
    return "." if dot else "," if comma else default


def detect_dialect(header_line: str, columns: Iterable[str]) -> Dialect:
    """Return the dialect whose separator splits the header into the most known column names.

    A tie (or no known name at all) keeps the comma; ``;`` comes with decimal commas until
    the numbers say otherwise (``Dialect.told_by``).
    """
    known = {name.strip().lower() for name in columns}
    best, best_score = ",", 0
    # The first few thousand characters name enough columns; a longer header is not split.
    sample = header_line[:4096]
    for delimiter in DELIMITERS:
        try:
            fields = next(csv.reader([sample], delimiter=delimiter), [])
        except csv.Error:
            fields = []
        score = sum(field.strip().lower() in known for field in fields)
        if score > best_score:
            best, best_score = delimiter, score
    return Dialect(best, "," if best == ";" else ".")


def csv_dialect(path: Path, columns: Iterable[str], max_bytes: int = 1 << 16) -> Dialect:
    """Return the dialect of the CSV file at ``path``: the separator from its first line, the
    decimal mark from the numbers in its first 64 KiB."""
    with path.open("rb") as handle:
        head = handle.read(max_bytes).decode("utf-8-sig", errors="replace")
    dialect = detect_dialect(first_line(head), columns)
    # The head's last line may be cut short: its numbers are not read.
    lines = head.splitlines()[1:-1] if len(head) >= max_bytes else head.splitlines()[1:]
    records = csv.reader(lines, delimiter=dialect.delimiter)
    try:
        cells = [cell for record in records for cell in record]
    except csv.Error:
        cells = []
    return dialect.told_by(cells)
