"""The choropleth of the ASEAN map: each member state shaded by its latest value."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lindung.charts.common import spec
from lindung.jsontypes import JSONObject


def choropleth(
    topology: Mapping[str, Any],
    areas: Sequence[Mapping[str, Any]],
    *,
    feature: str,
    title: str,
    description: str,
    value_title: str,
    year_title: str,
    name_title: str,
    number_locale: Mapping[str, Any],
    value_format: str = ",.1f",
    width: int | str = "container",
    height: int = 360,
) -> JSONObject:
    """Return a Vega-Lite choropleth of ``topology`` (TopoJSON, object ``feature``, features
    identified by their M49 code as a three-digit string) shaded by ``areas``.

    ``areas``: one mapping per member state with ``id`` (M49, three digits), ``name`` and, where
    a value exists, ``value`` and ``year``; a state without a value is drawn grey.
    """
    values = [
        {"id": a["id"], "name": a["name"], "value": a.get("value"), "year": a.get("year")}
        for a in areas
    ]
    shapes = {"values": dict(topology), "format": {"type": "topojson", "feature": feature}}
    lookup = {
        "lookup": "id",
        "from": {"data": {"values": values}, "key": "id", "fields": ["name", "value", "year"]},
    }
    tooltip = [
        {"field": "name", "type": "nominal", "title": name_title},
        {"field": "value", "type": "quantitative", "title": value_title, "format": value_format},
        {"field": "year", "type": "ordinal", "title": year_title},
    ]
    chart = spec(
        title=title,
        description=description,
        number_locale=number_locale,
        width=width,
        height=height,
    )
    chart.update(
        {
            "data": shapes,
            "projection": {"type": "mercator"},
            "layer": [
                {
                    "transform": [lookup],
                    # The grey base only frames the map: hidden from screen readers, which
                    # read the shaded layer and the table beside the chart.
                    "mark": {
                        "type": "geoshape",
                        "fill": "#e1e4e8",
                        "stroke": "#ffffff",
                        "aria": False,
                    },
                },
                {
                    "transform": [lookup, {"filter": "isValid(datum.value)"}],
                    "mark": {"type": "geoshape", "stroke": "#ffffff"},
                    "encoding": {
                        "color": {
                            "field": "value",
                            "type": "quantitative",
                            "title": value_title,
                            "scale": {"scheme": "blues"},
                            "legend": {"format": value_format},
                        },
                        "tooltip": tooltip,
                    },
                },
            ],
        }
    )
    return chart
