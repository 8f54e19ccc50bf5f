"""The reporting-status page: the indicators each member state reported in each year, and the
breakdowns the framework expects of each indicator beside those each member state reported,
for the indicators of a chosen pillar, global tier and custodian."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Query, Request
from starlette.responses import HTMLResponse

from lindung.assess.availability import availability
from lindung.assess.reporting import (
    NO_TIER,
    DisaggregationReport,
    YearReported,
    custodians,
    disaggregation_status,
    indicators_where,
    years_reported,
)
from lindung.assess.selection import assessable
from lindung.framework import load_catalogue
from lindung.store.frames import as_frame, current_frame
from lindung.web import locale
from lindung.web.deps import Reading, Visitor
from lindung.web.pages.assessment import SINCE, availability_figure
from lindung.web.rendering import render

router = APIRouter()

TierChoice = Literal["", "I", "II", "III", "none"]


@router.get("/reporting-status", response_class=HTMLResponse, name="reporting_status")
def reporting_status(
    request: Request,
    connection: Reading,
    _user: Visitor,
    pillar: Annotated[str, Query(max_length=40, description="A pillar's code.")] = "",
    tier: Annotated[TierChoice, Query(description="Global IAEG tier; none: not SDG.")] = "",
    custodian: Annotated[str, Query(max_length=80, description="A custodian agency.")] = "",
) -> HTMLResponse:
    """The years each member state reported the chosen indicators in (since the SDG
    baseline), and each indicator's expected breakdowns beside those reported; published
    values only. An empty filter keeps every indicator. An htmx request (``HX-Request``) gets
    only the tables and heat map, which the filters' form swaps in (a history restore gets the
    whole page)."""
    catalogue = load_catalogue()
    language = locale.current.get()
    codes = indicators_where(
        catalogue,
        assessable(catalogue, []),
        pillar=pillar or None,
        tier=tier or None,
        custodian=custodian or None,
    )
    members = [state.iso3 for state in catalogue.member_states]
    # No series chosen is no value (current_frame reads every series when given none).
    frame = current_frame(connection, codes, members) if codes else as_frame([])
    reported = [row for row in years_reported(frame, codes, members) if row["time_period"] >= SINCE]
    years = sorted({row["time_period"] for row in reported})
    by_year: dict[str, dict[int, YearReported]] = {}
    for row in reported:
        by_year.setdefault(row["ref_area"], {})[row["time_period"]] = row
    expected = {code: catalogue.indicator(code).disaggregations for code in codes}
    available = availability(frame, codes, members, SINCE)
    statuses = disaggregation_status(available, expected)
    grid: dict[str, dict[str, DisaggregationReport]] = {}
    for status in statuses:
        grid.setdefault(status["series"], {})[status["ref_area"]] = status
    complete = {
        iso3: sum(1 for code in codes if grid[code][iso3]["status"] == "complete")
        for iso3 in members
    }
    fragment = request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    )
    response = render(
        request,
        "_reporting_tables.html" if fragment else "reporting_status.html",
        {
            "out_of_band": fragment,
            "filters": {"pillar": pillar, "tier": tier, "custodian": custodian},
            "pillars": catalogue.pillars,
            "tiers": ("I", "II", "III", NO_TIER),
            "custodians": custodians(catalogue),
            "indicators": [catalogue.indicator(code) for code in codes],
            "members": catalogue.member_states,
            "years": years,
            "by_year": by_year,
            "grid": grid,
            "complete": complete,
            "dimension_names": {
                name: catalogue.codelist(name).title.get(language) for name in catalogue.codelists
            },
            "since": SINCE,
            "heat_map": availability_figure(available, catalogue, language) if codes else None,
        },
    )
    # The same address answers a page or its fragment: no cache may give one for the other.
    response.headers.add_vary_header("HX-Request")
    return response
