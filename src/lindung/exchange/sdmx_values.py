"""An SDMX observation's number and free text as Lindung stores them, whichever structure the
message is keyed to (the SDG DSD, Lindung's, an agency's own)."""

from __future__ import annotations

import math
from collections.abc import Mapping

from lindung.text import formula_like


def free_text(value: str) -> str | None:
    """Free text as sent: empty is none; a spreadsheet guard Lindung's CSV added is dropped."""
    if value.startswith("'") and formula_like(value[1:]):
        return value[1:]
    return value or None


def number(value: str) -> float | None:
    """The number a cell holds, or None when it is empty."""
    return float(value) if value.strip() else None


def observed_value(record: Mapping[str, str], missing: list[tuple[str, str]]) -> float | None:
    """Return OBS_VALUE times 10 to the power UNIT_MULT; note an empty, non-finite or unreadable
    value or multiplier in ``missing`` (column, code) and return None."""
    raw = record.get("OBS_VALUE", "")
    try:
        value = number(raw)
    except ValueError:
        value = None
    if value is None or not math.isfinite(value):
        missing.append(("OBS_VALUE", raw or "empty"))
        return None
    power = record.get("UNIT_MULT") or "0"
    if not power.lstrip("-").isdigit():
        missing.append(("UNIT_MULT", power))
        return None
    multiplier = int(power)
    return value * 10**multiplier if multiplier else value
