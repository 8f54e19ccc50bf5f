"""The ASEAN map the choropleth draws, for the site's overview and the regional report alike:
world-atlas countries-50m (Natural Earth) reduced to the eleven member states, vendored under
``web/static/map`` (its README and PROVENANCE.json say how), features identified by M49 code."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import cache
from importlib.resources import files
from typing import Any

from lindung.framework.models import MemberState
from lindung.jsontypes import JSONObject

#: Where the TopoJSON is installed (``lindung.web``'s static files) and its object of countries.
MAP_FILE = ("static", "map", "asean-countries-50m.json")
MAP_FEATURE = "countries"


@cache
def asean_topology() -> JSONObject | None:
    """Return the ASEAN map's TopoJSON, or None when the file is not installed."""
    path = files("lindung.web").joinpath(*MAP_FILE)
    if not path.is_file():
        return None
    found: JSONObject = json.loads(path.read_text(encoding="utf-8"))
    return found


def m49_id(m49: int) -> str:
    """Return an M49 code as the map's features name it: three digits, leading zeros."""
    return f"{m49:03d}"


def map_areas(
    states: Iterable[MemberState], latest: Mapping[str, Mapping[str, Any]], language: str
) -> list[JSONObject]:
    """Return the ``areas`` of ``charts.choropleth``: each member state's map id and name in
    ``language`` and, where ``latest`` (rows by ISO3) has its row, the row's value and year."""
    areas = []
    for state in states:
        row = latest.get(state.iso3)
        area: JSONObject = {"id": m49_id(state.m49), "name": state.name.get(language)}
        if row:
            area.update(value=row["value"], year=row["time_period"])
        areas.append(area)
    return areas
