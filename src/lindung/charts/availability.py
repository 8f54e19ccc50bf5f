"""The availability heat map: indicators by member state, shaded by how many years have data."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lindung.charts.common import spec
from lindung.jsontypes import JSONObject


def availability_heatmap(
    cells: Sequence[Mapping[str, Any]],
    *,
    title: str,
    description: str,
    series_title: str,
    area_title: str,
    points_title: str,
    latest_title: str,
    number_locale: Mapping[str, Any],
    width: int | str = "container",
    row_height: int = 18,
) -> JSONObject:
    """Return a Vega-Lite heat map of ``cells`` (``series``, ``area`` name, ``points``: years
    with a value since the baseline, ``latest``: the latest year or None), one row per series,
    one column per area; a cell without any value is left empty."""
    rows = [
        {
            "series": c["series"],
            "area": c["area"],
            "points": int(c["points"]),
            "latest": c.get("latest"),
        }
        for c in cells
    ]
    series = list(dict.fromkeys(row["series"] for row in rows))
    areas = list(dict.fromkeys(row["area"] for row in rows))
    chart = spec(
        title=title,
        description=description,
        number_locale=number_locale,
        width=width,
        height=max(row_height * len(series), row_height),
    )
    chart.update(
        {
            "data": {"values": rows},
            "transform": [{"filter": "isValid(datum.latest)"}],
            "mark": {"type": "rect", "stroke": "#ffffff"},
            "encoding": {
                "x": {
                    "field": "area",
                    "type": "nominal",
                    "title": area_title,
                    "sort": areas,
                    "axis": {"labelAngle": -40},
                },
                "y": {"field": "series", "type": "nominal", "title": series_title, "sort": series},
                "color": {
                    "field": "points",
                    "type": "quantitative",
                    "title": points_title,
                    "scale": {"scheme": "greens", "domainMin": 0},
                    "legend": {"format": "d"},
                },
                "tooltip": [
                    {"field": "series", "type": "nominal", "title": series_title},
                    {"field": "area", "type": "nominal", "title": area_title},
                    {"field": "latest", "type": "ordinal", "title": latest_title},
                    {"field": "points", "type": "quantitative", "title": points_title},
                ],
            },
        }
    )
    return chart
