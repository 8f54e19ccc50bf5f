"""The regional report's map: the ASEAN choropleth of the site's overview (``charts.choropleth``
over ``charts.topology``'s map of the eleven member states), each member state shaded by its
latest headline value of the report year or before, drawn to SVG by vl-convert as every figure
is, and captioned with its sources and the framework version."""

from __future__ import annotations

from lindung.assess.headline import OVERVIEW_SERIES, headline, latest_by_area
from lindung.charts import choropleth
from lindung.charts.topology import MAP_FEATURE, asean_topology, map_areas
from lindung.i18n.formatting import d3_format_locale
from lindung.report.assessment import Assessment
from lindung.report.figures import Figure, Figures
from lindung.report.words import translator

#: The height of the map on the page (points of the SVG; its width is the charts' width).
MAP_HEIGHT = 300


def latest_value_map(
    assessment: Assessment, language: str, figures: Figures, series: str = OVERVIEW_SERIES[0]
) -> Figure | None:
    """Return the map of ``series``' latest headline value in each member state as the next
    figure, or None when no member state has a value or the map is not installed."""
    _ = translator(language)
    values = assessment.data.values
    topology = asean_topology()
    if topology is None or values.empty or not (values["series"] == series).any():
        return None
    rows = headline(values[values["series"] == series]).to_dict("records")
    latest = {area: row for (_series, area), row in latest_by_area(rows).items()}  # type: ignore[arg-type]
    catalogue = assessment.data.catalogue
    name = catalogue.indicator(series).name.get(language)
    spec = choropleth(
        topology,
        map_areas(catalogue.member_states, latest, language),
        feature=MAP_FEATURE,
        title=name,
        description=_("Map of the latest value of %(name)s in each member state", name=name),
        value_title=_("Value"),
        year_title=_("Year"),
        name_title=_("Member state"),
        number_locale=d3_format_locale(language),
        height=MAP_HEIGHT,
    )
    return figures.add(
        spec,
        title=_("%(name)s (%(code)s): latest value in each member state", name=name, code=series),
        sources=[str(row["source"]) for row in latest.values() if row.get("source")],
    )
