"""What a spreadsheet number format does to a number: whether it shows it times 100.

A format is up to four sections separated by ``;`` (positive, negative, zero, text), each
optionally led by a condition (``[>100]``) that picks it instead; a ``%`` multiplies the number
by 100 only where it is a format code: not inside a quoted literal (``"%"``), not escaped
(``\\%``), not the character after ``_`` (a space as wide as it) or ``*`` (a fill), and not in
brackets (colours, conditions, locales and currencies such as ``[$-421]``). ECMA-376 Part 1,
18.8.31 (numFmt); the built-in formats 9 and 10 are ``0%`` and ``0.00%``.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable

#: A section's condition: ``[>100]``, ``[<=-5.5]``, ``[=0]``, ``[<>1]``.
CONDITION = re.compile(r"^\[(<=|>=|<>|<|>|=)\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\]")
COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "<": operator.lt,
    "<=": operator.le,
    ">": operator.gt,
    ">=": operator.ge,
    "=": operator.eq,
    "<>": operator.ne,
}


class _Section:
    """One section of a format: its condition, whether it has a format-code ``%``, and
    whether it is the text section (``@``)."""

    def __init__(self) -> None:
        self.condition: tuple[str, float] | None = None
        self.percent = False
        self.text = False

    def applies(self, value: float) -> bool:
        """Return whether the section's condition holds for ``value`` (no condition: False)."""
        if self.condition is None:
            return False
        comparison, bound = self.condition
        return COMPARISONS[comparison](value, bound)


def _sections(number_format: str) -> list[_Section]:
    """Return the format's sections, each with its condition and what its codes say."""
    sections = [_Section()]
    text = number_format
    index = 0
    while index < len(text):
        char = text[index]
        section = sections[-1]
        if char == '"':
            end = text.find('"', index + 1)
            index = len(text) if end < 0 else end + 1
            continue
        if char in "\\_*":
            index += 2
            continue
        if char == "[":
            end = text.find("]", index)
            end = len(text) - 1 if end < 0 else end
            condition = CONDITION.match(text[index : end + 1])
            if condition is not None:
                section.condition = (condition.group(1), float(condition.group(2)))
            index = end + 1
            continue
        if char == ";":
            sections.append(_Section())
        elif char == "%":
            section.percent = True
        elif char == "@":
            section.text = True
        index += 1
    return sections


def shows_percent(number_format: str, value: float) -> bool:
    """Return whether a cell of ``value`` in ``number_format`` is shown times 100 with a
    percent sign, judged on the section of the format that applies to the value."""
    if "%" not in number_format:
        return False
    numeric = [s for s in _sections(number_format)[:4] if not s.text][:3]
    if not numeric:
        return False
    if any(section.condition is not None for section in numeric):
        # Conditions are tried in order; a section without one takes what no condition took.
        for section in numeric:
            if section.condition is None or section.applies(value):
                return section.percent
        return False
    if len(numeric) == 1 or (value > 0 or (value == 0 and len(numeric) == 2)):
        return numeric[0].percent
    if value < 0:
        return numeric[1].percent
    return numeric[2].percent
