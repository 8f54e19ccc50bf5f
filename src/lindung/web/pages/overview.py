"""The ASEAN overview: the home page."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from lindung.assess.headline import OVERVIEW_SERIES, latest_by_area
from lindung.framework import load_catalogue
from lindung.store import current_observations
from lindung.web.deps import Reading, Visitor
from lindung.web.rendering import render

router = APIRouter()


@router.get("/", response_class=HTMLResponse, name="overview")
def overview(
    request: Request,
    connection: Reading,
    _user: Visitor,
) -> HTMLResponse:
    """The ASEAN overview: the latest published value of each headline series by member state."""
    catalogue = load_catalogue()
    rows = current_observations(connection, series=OVERVIEW_SERIES, totals_only=True)
    latest = latest_by_area(rows)
    indicators = [catalogue.indicator(code) for code in OVERVIEW_SERIES]
    table = [
        (state, [latest.get((indicator.code, state.iso3)) for indicator in indicators])
        for state in catalogue.member_states
    ]
    return render(request, "overview.html", {"indicators": indicators, "table": table})
