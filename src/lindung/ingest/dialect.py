"""How a CSV file was written: its column separator and decimal mark, told from its header.

Excel saves "CSV" in the computer's locale: in Indonesia (and much of the world) columns are
separated by ``;`` and decimals written with ``,``. The header of a file whose column names are
known says which separator was used, without guessing from the values; a ``;`` file is read
with decimal commas, where a dot can only separate thousands.
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


@dataclass(frozen=True)
class Dialect:
    """A CSV file's column separator and decimal mark."""

    delimiter: str = ","
    decimal: str = "."

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


def detect_dialect(header_line: str, columns: Iterable[str]) -> Dialect:
    """Return the dialect whose separator splits the header into the most known column names.

    A tie (or no known name at all) keeps the comma; ``;`` comes with decimal commas.
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
    """Return the dialect of the CSV file at ``path``, from its first line (at most 64 KiB)."""
    with path.open("rb") as handle:
        head = handle.read(max_bytes)
    first = head.decode("utf-8-sig", errors="replace").splitlines()[:1]
    return detect_dialect(first[0] if first else "", columns)
