"""Free text (a value's source and note): what a spreadsheet would run, characters that cannot
be seen, and length, judged on the text as it is stored."""

from __future__ import annotations

import unicodedata

from lindung.ingest import findings as F
from lindung.ingest.findings import Finding, Location
from lindung.ingest.reader import Cell
from lindung.ingest.tableschema import MAX_TEXT
from lindung.text import formula_like, invisible, normalise

#: Bidirectional marks, embeddings, overrides and isolates, which make text read differently
#: than it is stored; an error, as control characters are.
BIDI_CONTROLS = frozenset(
    "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
)
#: Tag characters (U+E0000..U+E007F) spell hidden text after a visible one.
TAGS = range(0xE0000, 0xE0080)


def _invisible(char: str) -> bool:
    """Return whether a character is a control, a lone surrogate, a bidi control or a tag."""
    if char == "\n":
        return False
    return unicodedata.category(char) in ("Cc", "Cs") or char in BIDI_CONTROLS or ord(char) in TAGS


def _zero_width(char: str) -> bool:
    """Return whether a character is another one drawn as nothing or as a blank that is not
    a space (``lindung.text.invisible``): zero-width space, joiners, word joiner, a byte order
    mark inside text, a soft hyphen, the combining grapheme joiner, variation selectors, the
    Hangul fillers, the Braille blank. Some scripts of the region use zero-width spaces and
    joiners between words (Thai, Khmer, Burmese), so these are a warning, not an error."""
    return invisible(char) and not _invisible(char)


def free_text(cell: Cell | None, findings: list[Finding]) -> str | None:
    """Return a source or note as it is stored (NFC, trimmed), or None when empty; add a
    finding for text a spreadsheet would run, invisible characters and text too long."""
    if cell is None:
        return None
    return judge_text(str(cell.value), cell.location, findings)


def judge_text(raw: str, where: Location, findings: list[Finding]) -> str | None:
    """Return ``raw`` as it is stored (NFC, trimmed), or None when empty; add a finding at
    ``where`` for text a spreadsheet would run, invisible characters and text too long (the
    rule of every import, ``value_rules``)."""
    # Judged as it will be stored: " =cmd" is kept as "=cmd".
    text = normalise(raw)
    if formula_like(text):
        findings.append(F.FormulaInjection(where, text=text[:40], first=text[:1]))
    controls = sorted({f"U+{ord(c):04X}" for c in raw if _invisible(c)})
    if controls:
        findings.append(F.ControlCharacters(where, found=", ".join(controls[:5])))
    zero_width = sorted({f"U+{ord(c):04X}" for c in raw if _zero_width(c)})
    if zero_width:
        found = ", ".join(zero_width[:5])
        findings.append(F.InvisibleCharacters(where, found=found))
    if len(raw) > MAX_TEXT:
        findings.append(F.TextTooLong(where, length=len(raw), limit=MAX_TEXT))
    return text or None
