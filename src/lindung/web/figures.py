"""Numbers and charts as a reader of the page's language expects them.

Numbers are formatted by ``lindung.i18n`` (``1.234,5`` in Indonesian, ``1,234.5`` in
English); charts get its d3-format locale (``d3_format_locale``), so a table and its chart
agree to the last separator. The ASEAN map is the TopoJSON vendored under ``static/map``.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

from lindung.i18n.formatting import format_rounded

#: The map of the eleven member states: world-atlas countries-50m (Natural Earth), filtered.
MAP_FILE = ("map", "asean-countries-50m.json")
MAP_FEATURE = "countries"


#: Figures with their decimals as the page's language writes them (``lindung.i18n``'s one
#: formatter, shared with the reports).
number = format_rounded


@cache
def asean_topology() -> dict[str, Any] | None:
    """Return the ASEAN map's TopoJSON, or None when the file is not installed."""
    path = files("lindung.web").joinpath("static", *MAP_FILE)
    if not path.is_file():
        return None
    found: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return found


def m49_id(m49: int) -> str:
    """Return an M49 code as the map's features name it: three digits, leading zeros."""
    return f"{m49:03d}"
