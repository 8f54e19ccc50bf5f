"""Progress towards the targets and regional aggregates over the API, computed as ``lindung
assess progress`` and ``lindung assess aggregate`` compute them, from the published values
(``lindung.assess`` over ``store.frames``, the series chosen by ``assess.selection``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from lindung.assess.aggregates import aggregate_table, regions
from lindung.assess.headline import headline
from lindung.assess.progress import Method
from lindung.assess.progress_table import goal_for, progress_rows
from lindung.assess.selection import assessable, checked_catalogue, member_states
from lindung.errors import AssessmentError, UnknownCode
from lindung.i18n import reasons
from lindung.keys import DIMENSIONS
from lindung.store.frames import current_frame, population_frame
from lindung.web.api.assess import Codes, FormatParameter, Year, codes_of
from lindung.web.api.common import (
    NOT_MODIFIED,
    REASON_DESCRIPTION,
    documented_table,
    refusals,
    said,
    table,
)
from lindung.web.deps import Reading

router = APIRouter(tags=["assessment"])

PROGRESS_COLUMNS = (
    "series",
    "ref_area",
    "age",
    "method",
    "status",
    "base_year",
    "base_value",
    "current_year",
    "current_value",
    "target",
    "target_year",
    "progress_value",
    "reason",
    "reason_code",
    "reason_args",
)

PROGRESS_EXAMPLE: dict[str, Any] = {
    "data": [
        {
            "series": "SI_COV_BENFTS",
            "ref_area": "PHL",
            "age": "_T",
            "method": "opensdg",
            "status": "substantial_progress",
            "base_year": 2015,
            "base_value": 30.0,
            "current_year": 2022,
            "current_value": 40.0,
            "target": None,
            "target_year": 2030,
            "progress_value": 0.041954,
            "reason": "CAGR 4.1954% per year since 2015 (no target); thresholds scaled by "
            "C = 0.995 for the limit 100",
            "reason_code": "trend_near_limit",
            "reason_args": {
                "cagr": 0.041954,
                "base_year": 2015,
                "coefficient": 0.995231,
                "limit": 100.0,
            },
        }
    ]
}


@router.get(
    "/progress",
    summary="Progress of each indicator and member state towards its target",
    responses={
        200: documented_table(
            PROGRESS_EXAMPLE,
            ",".join(PROGRESS_COLUMNS) + "\n",
            REASON_DESCRIPTION,
        ),
        **NOT_MODIFIED,
        **refusals(UnknownCode),
    },
    response_model=None,
)
def progress_table(
    request: Request,
    connection: Reading,
    series: Codes = [],  # noqa: B006 - FastAPI copies a list default for each request
    area: Codes = [],  # noqa: B006
    method: Annotated[
        Method, Query(description="opensdg (Open SDG's statuses) or escap (ESCAP's).")
    ] = "opensdg",
    year: Year = None,
    fmt: FormatParameter = None,
) -> Response:
    """One row per indicator and member state with published headline values (the total,
    or the age group that stands for it): the status towards the framework's target by
    `method`, the baseline and latest year and value, the target and its year, and the
    reason for the status, as `lindung assess progress --totals-only --format json`. An
    indicator of neutral polarity is `not_assessed`. `reason` is that English sentence, or
    in Bahasa Indonesia for `lang=id` (or Accept-Language: id); `reason_code` and
    `reason_args` (numbers as numbers, a growth rate as a fraction) say it in any language."""
    codes, areas = codes_of(series), codes_of(area)
    catalogue = checked_catalogue(codes, areas)
    chosen = assessable(catalogue, codes)
    frame = current_frame(connection, chosen, member_states(catalogue, areas), year)
    goals = {code: goal_for(catalogue.indicator(code)) for code in chosen}
    rows = progress_rows(headline(frame), goals, method)
    shown = said(rows, reasons.progress_reason)
    return table(request, shown, PROGRESS_COLUMNS, fmt, translated=True)


AGGREGATE_COLUMNS = (
    "series",
    "ref_area",
    "time_period",
    *DIMENSIONS,
    "method",
    "value",
    "unit",
    "population_share",
    "min_share",
    "countries",
    "population",
    "population_source",
    "reason",
    "reason_code",
    "reason_args",
)

AGGREGATE_EXAMPLE: dict[str, Any] = {
    "coverage_rule": "an aggregate only where the member states with a value hold at least "
    "50% of the population the indicator refers to",
    "data": [
        {
            "series": "SI_COV_BENFTS",
            "ref_area": "ASEAN",
            "time_period": 2020,
            **dict.fromkeys(DIMENSIONS, "_T"),
            "method": "population_weighted",
            "value": 41.5,
            "unit": "percent",
            "population_share": 0.72,
            "min_share": 0.5,
            "countries": ["IDN", "PHL", "VNM"],
            "population": "total population",
            "population_source": "UN WPP 2024",
            "reason": "",
            "reason_code": "",
            "reason_args": {},
        },
        {
            "series": "SI_COV_BENFTS",
            "ref_area": "ASEAN",
            "time_period": 2021,
            **dict.fromkeys(DIMENSIONS, "_T"),
            "method": "population_weighted",
            "value": None,
            "unit": "percent",
            "population_share": 0.182,
            "min_share": 0.5,
            "countries": ["PHL"],
            "population": "total population",
            "population_source": "UN WPP 2024",
            "reason": "countries with data hold 18.2% of the total population, below 50%",
            "reason_code": "below_share",
            "reason_args": {
                "share": 0.182,
                "population": "TOTAL",
                "sex": "_T",
                "min_share": 0.5,
            },
        },
    ],
}


@router.get(
    "/aggregates",
    summary="Regional aggregates (ASEAN, ASEAN10) with their coverage",
    responses={
        200: documented_table(
            AGGREGATE_EXAMPLE, ",".join(AGGREGATE_COLUMNS) + "\n", REASON_DESCRIPTION
        ),
        **NOT_MODIFIED,
        **refusals(UnknownCode, AssessmentError),
    },
    response_model=None,
)
def aggregates_table(
    request: Request,
    connection: Reading,
    series: Codes = [],  # noqa: B006
    region: Codes = [],  # noqa: B006
    year: Annotated[
        int | None, Query(ge=1900, le=2100, description="Only the aggregates of this year.")
    ] = None,
    min_share: Annotated[
        float,
        Query(
            gt=0,
            le=1,
            description="The least share of the relevant population the member states with "
            "a value must hold for an aggregate.",
        ),
    ] = 0.5,
    fmt: FormatParameter = None,
) -> Response:
    """One row per indicator, region, year, breakdown and method (simple mean, population-
    weighted mean), as `lindung assess aggregate --format json`: the value, the share of the
    relevant population held by the member states with a value (`population_share`, the
    coverage) and the countries included. Below `min_share` the value is null and `reason`
    says why (in Bahasa Indonesia for `lang=id`), and `reason_code` and `reason_args` say it
    in any language. Needs the UN population (`lindung data load-reference`), else 422."""
    codes, wanted = codes_of(series), codes_of(region)
    catalogue = checked_catalogue(codes, [])
    known = regions(catalogue)
    for code in wanted:
        if code not in known:
            raise UnknownCode("region", code, f"use one of {', '.join(known)}")
    chosen_regions = {code: known[code] for code in wanted} if wanted else known
    chosen = assessable(catalogue, codes)
    members = sorted({c for countries in chosen_regions.values() for c in countries})
    rows = aggregate_table(
        catalogue,
        chosen,
        chosen_regions,
        current_frame(connection, chosen, members),
        population_frame(connection),
        year=year,
        min_share=min_share,
    )
    rule = (
        "an aggregate only where the member states with a value hold at least "
        f"{min_share:.0%} of the population the indicator refers to"
    )
    shown = said(rows, reasons.aggregate_reason)
    return table(
        request,
        [{**row, "min_share": min_share} for row in shown],
        AGGREGATE_COLUMNS,
        fmt,
        translated=True,
        extra={"coverage_rule": rule},
    )
