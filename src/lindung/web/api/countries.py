"""One member state over the API: its metadata and its latest published value of each
indicator, with the progress status, as its profile page shows them (``web.pages.profile``)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from lindung.errors import UnknownCode
from lindung.framework import load_catalogue
from lindung.i18n import reasons
from lindung.web.api.common import (
    NOT_MODIFIED,
    REASON_DESCRIPTION,
    answer,
    documented_json,
    json_bytes,
    refusals,
    said,
)
from lindung.web.deps import Iso3, Reading
from lindung.web.pages.profile import IndicatorLine, country_lines

router = APIRouter(tags=["framework"])

COUNTRY_EXAMPLE: dict[str, Any] = {
    "iso3": "PHL",
    "m49": 608,
    "name": {"en": "Philippines", "id": "Filipina"},
    "member_since": 1967,
    "latest": [
        {
            "series": "SI_COV_BENFTS",
            "time_period": 2022,
            "value": 40.0,
            "unit": "percent",
            "source": "PSA household survey",
            "points": 2,
            "progress": {
                "method": "opensdg",
                "status": "substantial_progress",
                "reason": "CAGR 4.1954% per year since 2015 (no target); thresholds scaled by "
                "C = 0.995 for the limit 100",
                "reason_code": "trend_near_limit",
                "reason_args": {
                    "cagr": 0.041954,
                    "base_year": 2015,
                    "coefficient": 0.995231,
                    "limit": 100.0,
                },
            },
        },
        {"series": "SI_COV_CHLD", "time_period": None, "value": None, "points": 0},
    ],
}


def latest_of(line: IndicatorLine) -> dict[str, Any]:
    """Return an indicator's latest headline value for the API (nulls without data)."""
    latest = line.latest or {}
    found: dict[str, Any] = {
        "series": line.indicator.code,
        "time_period": latest.get("time_period"),
        "value": latest.get("value"),
        "unit": latest.get("unit"),
        "source": latest.get("source"),
        "points": len(line.points),
        "progress": None,
    }
    if line.progress is not None:
        progress = {
            "method": line.progress["method"],
            "status": line.progress["status"],
            "reason": line.progress["reason"],
            "reason_code": line.progress["reason_code"],
            "reason_args": line.progress["reason_args"],
        }
        found["progress"] = said([progress], reasons.progress_reason)[0]
    return found


@router.get(
    "/countries/{iso3}",
    summary="One member state and its latest published value of each indicator",
    responses={
        200: documented_json(
            COUNTRY_EXAMPLE,
            "The member state's metadata and, for every indicator in catalogue order, its "
            "latest published headline value (nulls without data). Its progress "
            f"{REASON_DESCRIPTION[0].lower()}{REASON_DESCRIPTION[1:]}",
        ),
        **NOT_MODIFIED,
        **refusals(UnknownCode),
    },
    response_model=None,
)
def country(request: Request, connection: Reading, iso3: Iso3) -> Response:
    """A member state's ISO3 and M49 codes, names in both languages and year of accession,
    and for each indicator of the framework its latest published headline value (the store's
    current value of the latest year), unit, source, the number of years with a value and the
    progress status by the pages' method (Open SDG) with its reason (in Bahasa Indonesia for
    `lang=id`), `reason_code` and `reason_args`; 404 `unknown-code` for a code that is not a
    member state's."""
    state, lines, _ = country_lines(connection, load_catalogue(), iso3.strip().upper())
    body = {**state.model_dump(), "latest": [latest_of(line) for line in lines]}
    return answer(request, json_bytes(body), translated=True)
