"""What every chart spec shares: the schema, the reader's number locale, title and description."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from lindung.jsontypes import JSONObject

#: Vega-Lite 6 (the version vendored for the browser and bundled by vl-convert).
SCHEMA = "https://vega.github.io/schema/vega-lite/v6.json"

#: The d3-format locale of English, for callers that have no other (keys of d3-format's
#: ``formatLocale``: decimal mark, thousands separator, grouping, currency).
ENGLISH_NUMBERS: Mapping[str, Any] = {
    "decimal": ".",
    "thousands": ",",
    "grouping": [3],
    "currency": ["", ""],
}


def spec(
    *,
    title: str,
    description: str,
    number_locale: Mapping[str, Any],
    width: int | str,
    height: int,
) -> JSONObject:
    """Return the top of a spec: schema, title, the description screen readers announce
    (Vega puts it in the SVG's ``aria-label``), size and the number locale of the axes and
    tooltips."""
    top: JSONObject = {
        "$schema": SCHEMA,
        "description": description,
        "width": width,
        "height": height,
        "config": {
            "locale": {"number": dict(number_locale)},
            "font": "system-ui, sans-serif",
            "view": {"stroke": None},
        },
    }
    if title:
        top["title"] = title
    return top
