"""User text made safe for where it goes: the store, a spreadsheet, a terminal.

Text typed by users (notes, sources, e-mails, file names, codes in a hostile file) reaches
three places that each give some characters a meaning of their own:

- the store keeps text normalised: NFC, without the surrounding whitespace of any script
  (no-break and ideographic spaces included), so that what is checked is what is kept;
- a spreadsheet runs text that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
  return as a formula (OWASP "CSV injection"); every CSV and workbook Lindung writes marks
  such text as text, and a number stays a number;
- a terminal obeys escape sequences and carriage returns, bidi overrides reorder what is
  shown and zero-width characters hide in plain sight; text for the console shows them all
  as visible escapes instead.

``csv_text`` is the one CSV writer of every table Lindung hands out (the command line's
``--format csv`` and the web API's ``format=csv``).
"""

from __future__ import annotations

import csv
import io
import math
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, TypeVar

__all__ = [
    "FORMULA_STARTS",
    "cell_text",
    "counted",
    "csv_cell",
    "csv_text",
    "for_console",
    "formula_like",
    "in_number",
    "invisible",
    "json_for_console",
    "neutralise",
    "neutralise_sheet",
    "normalise",
    "shown_number",
    "timestamp",
]

#: First characters that make a spreadsheet read a cell as a formula, with the full-width
#: forms that East Asian input methods type and some spreadsheets accept the same way.
FORMULA_STARTS = frozenset("=+-@\t\r\uff1d\uff0b\uff0d\uff20")
#: A plain number ("-5", "+1.5e3") is safe: a spreadsheet reads it as the number it is.
_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
#: Unicode categories shown as escapes on the console: controls, format characters (bidi
#: marks, overrides and isolates, zero-width spaces and joiners, word joiners, byte order
#: marks, tag characters), lone surrogates (an undecodable file name), line and paragraph
#: separators. Each is invisible or moves what follows, so ``SI_COV_BENFTS`` followed by a
#: zero-width space would print exactly as the real code.
_SHOWN_ESCAPED = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
#: Unicode's Default_Ignorable_Code_Point property, which ``unicodedata`` lacks: characters a
#: renderer shows as nothing (soft hyphen, combining grapheme joiner, Hangul fillers, Khmer
#: inherent vowels, Mongolian and other variation selectors, zero-width spaces and joiners,
#: bidi controls, invisible operators, tags). Source: DerivedCoreProperties.txt of Unicode
#: 16.0.0 (4,174 code points, unchanged since 14.0.0 added U+180F), first and last of each range.
DEFAULT_IGNORABLE: tuple[tuple[int, int], ...] = (
    (0x00AD, 0x00AD),
    (0x034F, 0x034F),
    (0x061C, 0x061C),
    (0x115F, 0x1160),
    (0x17B4, 0x17B5),
    (0x180B, 0x180F),
    (0x200B, 0x200F),
    (0x202A, 0x202E),
    (0x2060, 0x206F),
    (0x3164, 0x3164),
    (0xFE00, 0xFE0F),
    (0xFEFF, 0xFEFF),
    (0xFFA0, 0xFFA0),
    (0xFFF0, 0xFFF8),
    (0x1BCA0, 0x1BCA3),
    (0x1D173, 0x1D17A),
    (0xE0000, 0xE0FFF),
)
#: Characters that are not default-ignorable but are drawn as a blank the width of a letter
#: (BRAILLE PATTERN BLANK; the Hangul fillers are in the set above), used to fake empty text.
BLANK_FILLERS = frozenset("\u2800\u115f\u1160\u3164\uffa0")

T = TypeVar("T")


def normalise(text: str) -> str:
    """Return ``text`` in NFC without leading or trailing whitespace of any script."""
    return unicodedata.normalize("NFC", text).strip()


def formula_like(text: str) -> bool:
    """Return whether a spreadsheet would run ``text`` as a formula.

    Leading whitespace and invisible format characters are skipped first, since they are
    lost when the text is normalised or trimmed by the spreadsheet; a plain number is not a
    formula.
    """
    start = 0
    while start < len(text) and _skipped(text[start]):
        start += 1
    rest = text[start:]
    return rest[:1] in FORMULA_STARTS and not _NUMBER.match(rest.rstrip())


def _skipped(char: str) -> bool:
    return (char.isspace() and char not in FORMULA_STARTS) or invisible(char)


def invisible(char: str) -> bool:
    """Return whether a character is drawn as nothing, or as a blank that is not a space:
    a format character (category Cf), a default-ignorable code point (Unicode's
    Default_Ignorable_Code_Point) or a blank-looking filler (U+2800, the Hangul fillers).
    Controls and whitespace are not included: they have rules of their own."""
    if unicodedata.category(char) == "Cf" or char in BLANK_FILLERS:
        return True
    code = ord(char)
    if code < 0xAD:
        return False
    return any(first <= code <= last for first, last in DEFAULT_IGNORABLE)


def neutralise(value: T) -> T | str:
    """Return text a spreadsheet would run with an apostrophe in front (the spreadsheets'
    own mark for "this is text"); numbers and any other text unchanged. For CSV cells."""
    if isinstance(value, str) and formula_like(value):
        return "'" + value
    return value


def neutralise_sheet(sheet: Any) -> int:
    """Mark every formula-like text cell of an openpyxl worksheet as text; return how many.

    The cell keeps its text exactly and is stored as a string with Excel's quote prefix, so
    neither opening the workbook nor editing the cell runs it. Numbers are left alone.
    """
    marked = 0
    for row in sheet.iter_rows():
        for cell in row:
            if isinstance(cell.value, str) and formula_like(cell.value):
                cell.data_type = "s"
                cell.quotePrefix = True
                marked += 1
    return marked


def for_console(text: str, *, one_line: bool = False) -> str:
    """Return ``text`` with control characters, format characters (bidi overrides and marks,
    zero-width spaces and joiners, tags), lone surrogates and line separators shown as escapes
    (``\\r``, ``\\x1b``, ``\\u202e``, ``\\u200b``), so that it cannot move the cursor,
    recolour the terminal or hide part of itself; tabs are kept, and so are newlines unless
    ``one_line`` (an error or log line), which shows them as ``\\n``."""
    kept = "\t" if one_line else "\n\t"
    if not any(_escaped(char, kept) for char in text):
        return text
    return "".join(_escape(char) if _escaped(char, kept) else char for char in text)


def json_for_console(text: str) -> str:
    """Return JSON text with each character that ``for_console`` escapes written as a JSON
    ``\\u`` escape (a surrogate pair beyond the first plane): the same data when parsed,
    nothing invisible or obeyed when printed."""
    if not any(_escaped(char, "\n\t") for char in text):
        return text
    return "".join(_json_escape(char) if _escaped(char, "\n\t") else char for char in text)


def _json_escape(char: str) -> str:
    code = ord(char)
    if code <= 0xFFFF:
        return f"\\u{code:04x}"
    code -= 0x10000
    return f"\\u{0xD800 + (code >> 10):04x}\\u{0xDC00 + (code & 0x3FF):04x}"


def _escaped(char: str, kept: str) -> bool:
    if char in kept:
        return False
    return unicodedata.category(char) in _SHOWN_ESCAPED or invisible(char)


def _escape(char: str) -> str:
    if char == "\r":
        return "\\r"
    if char == "\n":
        return "\\n"
    code = ord(char)
    if code <= 0xFF:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


#: Significant digits of a number Lindung prints (a table cell, a message).
SHOWN_DIGITS = 6


def shown_number(number: float) -> str:
    """Return a number as every message and table prints it: thousands grouped ("1,920",
    "5,712,470"), at most six significant digits, no float noise (0.1 + 0.2 is "0.3"), and no
    scientific notation from 1e-6 to 1e15; beyond, "1.7 × 10^308"."""
    if isinstance(number, bool) or not math.isfinite(number):
        return str(number)
    if isinstance(number, int) or (number.is_integer() and abs(number) < 1e15):
        return f"{int(number):,}"
    magnitude = abs(number)
    if not 1e-6 <= magnitude < 1e15:
        mantissa, _, exponent = f"{number:.{SHOWN_DIGITS}g}".partition("e")
        return f"{mantissa} × 10^{int(exponent)}"
    decimals = max(SHOWN_DIGITS - 1 - math.floor(math.log10(magnitude)), 0)
    text = f"{round(number, decimals):,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def counted(number: float, noun: str, plural: str | None = None) -> str:
    """Return ``number`` with its noun in the right number: "1 error", "2 errors", "1,500 rows",
    "2.5 points"; every count Lindung prints goes through here."""
    return f"{shown_number(number)} {in_number(number, noun, plural)}"


def in_number(number: float, noun: str, plural: str | None = None) -> str:
    """Return ``noun`` in the number that ``number`` asks for: "column" for 1, else the plural
    (``noun`` and an "s" unless given), for a list named before its items."""
    return noun if number == 1 else (plural or noun + "s")


def timestamp(moment: datetime, *, seconds: bool = False) -> str:
    """Return a moment in ISO 8601 in UTC with its offset; the store keeps UTC, and SQLite
    hands it back without a zone."""
    aware = moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
    return aware.isoformat(timespec="seconds" if seconds else "auto")


def cell_text(value: Any, *, number: Callable[[float], str] = str, seconds: bool = False) -> str:
    """Return the text of one table cell: nothing for None, ``number`` for a float, a moment
    in ISO 8601 UTC, a translated text in English, a list joined with commas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return number(value)
    if isinstance(value, datetime):
        return timestamp(value, seconds=seconds)
    if isinstance(value, Mapping):
        if not value:
            return ""
        return cell_text(
            value.get("en", next(iter(value.values()))), number=number, seconds=seconds
        )
    if isinstance(value, list | tuple):
        return ", ".join(cell_text(v, number=number, seconds=seconds) for v in value)
    return str(value)


def csv_cell(value: Any) -> Any:
    """A CSV cell: numbers as they are, text that a spreadsheet would run neutralised."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return neutralise(cell_text(value))


def csv_text(
    rows: Iterable[Mapping[str, Any]], columns: Sequence[str], *, header: bool = True
) -> str:
    """Return rows as CSV with ``columns`` (a header line first unless ``header`` is False),
    every cell through ``csv_cell``."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    if header:
        writer.writeheader()
    for row in rows:
        writer.writerow({c: csv_cell(row.get(c)) for c in columns})
    return buffer.getvalue()
