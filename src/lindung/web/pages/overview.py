"""The ASEAN overview: the map of a chosen indicator, its regional aggregate, the progress
summary and the availability of data."""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from sqlalchemy import Connection
from starlette.responses import HTMLResponse

from lindung.assess.aggregates import aggregate_table, regions
from lindung.assess.availability import availability
from lindung.assess.headline import OVERVIEW_SERIES, headline, latest_by_area
from lindung.assess.selection import assessable
from lindung.charts import choropleth
from lindung.charts.topology import MAP_FEATURE, asean_topology, map_areas
from lindung.errors import AssessmentError
from lindung.framework import Catalogue, load_catalogue
from lindung.framework.models import Indicator
from lindung.i18n.formatting import d3_format_locale as d3_locale
from lindung.store.frames import current_frame
from lindung.web import locale
from lindung.web.deps import Reading, Visitor
from lindung.web.figures import number
from lindung.web.pages.assessment import (
    SINCE,
    availability_figure,
    latest_aggregates,
    population_or_none,
    progress_by_area,
)
from lindung.web.rendering import render_published
from lindung.web.rendering import translate as _

router = APIRouter()

#: The order the progress summary lists the statuses in, best first.
STATUS_ORDER = (
    "target_achieved",
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
    "not_available",
    "not_assessed",
)


@router.get("/", response_class=HTMLResponse, name="overview")
def overview(
    request: Request,
    connection: Reading,
    _user: Visitor,
    series: Annotated[str, Query(max_length=40)] = OVERVIEW_SERIES[0],
) -> HTMLResponse:
    """The ASEAN overview of one indicator (``?series=``), published values only."""
    catalogue = load_catalogue()
    language = locale.current.get()
    indicator = catalogue.indicator(series)
    # Published values, the indicator and the language decide everything but the visitor's part.
    return render_published(
        request,
        connection,
        "overview.html",
        (indicator.code, language),
        lambda: _context(connection, catalogue, indicator, language),
    )


def _context(
    connection: Connection, catalogue: Catalogue, indicator: Indicator, language: str
) -> Mapping[str, Any]:
    codes = assessable(catalogue, [])
    members = [state.iso3 for state in catalogue.member_states]
    frame = current_frame(connection, codes, members)
    of_series = frame[frame["series"] == indicator.code]
    records: list[dict[str, Any]] = headline(of_series).to_dict("records")  # type: ignore[assignment]
    latest = latest_by_area(records)
    states: list[dict[str, Any]] = [
        {"state": state, "row": latest.get((indicator.code, state.iso3))}
        for state in catalogue.member_states
    ]
    figures: dict[str, Any] = {}
    topology = asean_topology()
    if topology is not None:
        figures["map"] = choropleth(
            topology,
            map_areas(
                catalogue.member_states,
                {item["state"].iso3: item["row"] for item in states if item["row"]},
                language,
            ),
            feature=MAP_FEATURE,
            title=indicator.name.get(language),
            description=_("Map of the latest value of %(name)s in each member state")
            % {"name": indicator.name.get(language)},
            value_title=_("Value"),
            year_title=_("Year"),
            name_title=_("Member state"),
            number_locale=d3_locale(language),
        )
    population = population_or_none(connection)
    aggregates: list[dict[str, Any]] = []
    # A stored value no aggregate may be made of (a percentage outside 0-100, written past
    # every import's checks) is said in the aggregate's place; the rest of the page stands.
    aggregate_refused: str | None = None
    if population is not None and not of_series.empty:
        try:
            aggregates = latest_aggregates(
                aggregate_table(
                    catalogue, [indicator.code], regions(catalogue), of_series, population
                )
            )
        except AssessmentError as error:
            aggregate_refused = str(error)
    progress = progress_by_area(frame, catalogue, codes)
    statuses = Counter(
        progress[(indicator.code, iso3)]["status"]
        for iso3 in members
        if (indicator.code, iso3) in progress
    )
    available = availability(frame, codes, members, SINCE)
    figures["availability"] = availability_figure(available, catalogue, language)
    grid: dict[str, dict[str, Any]] = {}
    for row in available:
        grid.setdefault(row["series"], {})[row["ref_area"]] = row
    return {
        "indicator": indicator,
        "indicators": [catalogue.indicator(code) for code in codes],
        "states": states,
        "figures": figures,
        "aggregates": aggregates,
        "aggregate_refused": aggregate_refused,
        "region_names": {a.code: a.name.get(language) for a in catalogue.aggregates},
        "statuses": [(status, statuses[status]) for status in STATUS_ORDER if statuses[status]],
        "assessed": sum(statuses.values()),
        "grid": grid,
        "members": catalogue.member_states,
        "since": SINCE,
        "number": number,
    }
