"""Values over the years: the time series across member states and the sparkline.

Where a value has a confidence interval the band is drawn from it; where it has only a
standard error the band is the normal-approximation 95 % interval, value +/- 1.96 SE. A regional
aggregate (a point marked ``aggregate``) is drawn as its own dashed line, and a second
legend says which dash is a member state and which the aggregate.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from lindung.charts.common import spec
from lindung.jsontypes import JSONObject

#: The standard normal quantile of a two-sided 95 % interval.
Z95 = 1.959963984540054


def band(row: Mapping[str, Any]) -> tuple[float | None, float | None]:
    """Return the (low, high) of a value's 95 % interval: its CI, else value +/- 1.96 SE."""
    low, high = row.get("ci_low"), row.get("ci_high")
    if low is not None and high is not None:
        return float(low), float(high)
    se = row.get("se")
    if se is not None and row.get("value") is not None:
        return float(row["value"]) - Z95 * float(se), float(row["value"]) + Z95 * float(se)
    return None, None


def time_series(
    points: Sequence[Mapping[str, Any]],
    *,
    title: str,
    description: str,
    year_title: str,
    value_title: str,
    area_title: str,
    number_locale: Mapping[str, Any],
    target: float | None = None,
    target_title: str = "",
    line_titles: tuple[str, str, str] = ("", "", ""),
    value_format: str = ",.1f",
    width: int | str = "container",
    height: int = 320,
) -> JSONObject:
    """Return a Vega-Lite line chart of ``points`` (``area`` name, ``year``, ``value``, and
    optionally ``ci_low``/``ci_high`` or ``se``), one line per area, its 95 % band (``band``)
    where the value has one, and the ``target`` as a dashed rule.

    Points with ``aggregate`` true are a regional aggregate: their line is dashed,
    and ``line_titles`` (the legend's title, then its labels for a member state's line and
    for the aggregate's) name the two kinds of line in a legend of their own."""
    legend, member, aggregate = line_titles
    rows = []
    for point in points:
        low, high = band(point)
        rows.append(
            {
                "area": point["area"],
                "year": int(point["year"]),
                "value": float(point["value"]),
                "low": low,
                "high": high,
                "line": aggregate if point.get("aggregate") else member,
            }
        )
    kinds: JSONObject = {}
    if any(point.get("aggregate") for point in points):
        # Fields, not expressions, so that nothing needs evaluating under the site's CSP.
        kinds = {
            "strokeDash": {
                "field": "line",
                "type": "nominal",
                "title": legend,
                "scale": {"domain": [member, aggregate], "range": [[1, 0], [8, 3, 2, 3]]},
                # A stroke, not the default circle, so that the legend shows the dash.
                "legend": {"symbolType": "stroke", "symbolStrokeWidth": 2},
            },
        }
    x = {
        "field": "year",
        "type": "quantitative",
        "title": year_title,
        # Whole years only: no tick between two years (2019, 2019.5 both read "2019").
        "axis": {"format": "d", "tickMinStep": 1},
    }
    color = {"field": "area", "type": "nominal", "title": area_title}
    tooltip = [
        {"field": "area", "type": "nominal", "title": area_title},
        {"field": "year", "type": "quantitative", "title": year_title, "format": "d"},
        {"field": "value", "type": "quantitative", "title": value_title, "format": value_format},
    ]
    layers: list[JSONObject] = [
        {
            "transform": [{"filter": "isValid(datum.low) && isValid(datum.high)"}],
            "mark": {"type": "area", "opacity": 0.2, "aria": False},
            "encoding": {
                "x": x,
                "y": {"field": "low", "type": "quantitative", "title": value_title},
                "y2": {"field": "high"},
                "color": color,
            },
        },
        {
            "mark": {"type": "line", "point": True},
            "encoding": {
                "x": x,
                "y": {
                    "field": "value",
                    "type": "quantitative",
                    "title": value_title,
                    "axis": {"format": value_format},
                },
                "color": color,
                **kinds,
                "tooltip": tooltip,
            },
        },
    ]
    if target is not None:
        layers.append(
            {
                "data": {"values": [{"target": float(target)}]},
                "mark": {"type": "rule", "strokeDash": [6, 4], "color": "#a40e26"},
                "encoding": {
                    "y": {"field": "target", "type": "quantitative"},
                    "tooltip": [
                        {
                            "field": "target",
                            "type": "quantitative",
                            "title": target_title,
                            "format": value_format,
                        }
                    ],
                },
            }
        )
    chart = spec(
        title=title,
        description=description,
        number_locale=number_locale,
        width=width,
        height=height,
    )
    chart.update({"data": {"values": rows}, "layer": layers})
    return chart


def sparkline(
    points: Sequence[Mapping[str, Any]],
    *,
    description: str,
    number_locale: Mapping[str, Any],
    width: int = 120,
    height: int = 28,
) -> JSONObject:
    """Return a small Vega-Lite line of ``points`` (``year``, ``value``) without axes, the last
    value marked. Its marks are hidden from screen readers: the ``description`` (which should
    say every value, in the reader's language) is what they announce."""
    rows = [{"year": int(p["year"]), "value": float(p["value"])} for p in points]
    last = max((row["year"] for row in rows), default=None)
    x = {"field": "year", "type": "quantitative", "axis": None}
    y = {"field": "value", "type": "quantitative", "axis": None, "scale": {"zero": False}}
    chart = spec(
        title="",
        description=description,
        number_locale=number_locale,
        width=width,
        height=height,
    )
    chart.update(
        {
            "data": {"values": rows},
            "padding": 2,
            "layer": [
                {
                    "mark": {"type": "line", "strokeWidth": 1.5, "aria": False},
                    "encoding": {"x": x, "y": y},
                },
                {
                    "transform": [{"filter": {"field": "year", "equal": last}}],
                    "mark": {"type": "point", "filled": True, "size": 16, "aria": False},
                    "encoding": {"x": x, "y": y},
                },
            ],
        }
    )
    return chart
