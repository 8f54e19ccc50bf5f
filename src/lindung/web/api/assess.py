"""The assessment over the API, computed as ``lindung assess`` computes it: data availability,
ASEAN tiers and consistency with international figures, from the published values
(``lindung.assess`` over ``store.frames``, the series chosen by ``assess.selection``)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import Response

from lindung.assess.availability import availability
from lindung.assess.consistency import compare
from lindung.assess.selection import (
    assessable,
    checked_catalogue,
    consistency_inputs,
    member_states,
    national_only,
    tier_rows,
)
from lindung.errors import AssessmentError, UnknownCode
from lindung.i18n import reasons
from lindung.store.frames import current_frame, frames_by_kind, population_frame
from lindung.web.api.common import (
    NOT_MODIFIED,
    REASON_DESCRIPTION,
    Format,
    documented_table,
    refusals,
    said,
    table,
)
from lindung.web.deps import Reading

router = APIRouter(tags=["assessment"])

Codes = Annotated[list[str], Query(max_length=50, description="Code (repeat for several).")]
Year = Annotated[int | None, Query(ge=1900, le=2100, description="Only values up to this year.")]
FormatParameter = Annotated[
    Format | None, Query(alias="format", description="json or csv (else by Accept).")
]


def codes_of(values: list[str]) -> list[str]:
    """Return the codes asked for as the framework writes them (trimmed, upper case)."""
    return [value.strip().upper() for value in values]


AVAILABILITY_EXAMPLE: dict[str, Any] = {
    "data": [
        {
            "series": "SI_COV_BENFTS",
            "ref_area": "PHL",
            "latest_year": 2022,
            "points": 4,
            "breakdowns": ["sex", "age"],
        }
    ]
}


@router.get(
    "/availability",
    summary="Data availability: indicator x member state",
    responses={
        200: documented_table(
            AVAILABILITY_EXAMPLE, "series,ref_area,latest_year,points,breakdowns\n"
        ),
        **NOT_MODIFIED,
        **refusals(UnknownCode),
    },
    response_model=None,
)
def availability_table(
    request: Request,
    connection: Reading,
    series: Codes = [],  # noqa: B006 - FastAPI copies a list default for each request
    area: Codes = [],  # noqa: B006
    since: Annotated[
        int, Query(ge=1900, le=2100, description="Count data points from this year.")
    ] = 2015,
    year: Year = None,
    fmt: FormatParameter = None,
) -> Response:
    """One row per indicator and member state, as `lindung assess availability --format
    json`: the latest year with a published headline value, the points since `since` and
    the dimensions with any breakdown."""
    codes, areas = codes_of(series), codes_of(area)
    catalogue = checked_catalogue(codes, areas)
    chosen = assessable(catalogue, codes)
    members = member_states(catalogue, areas)
    frame = current_frame(connection, chosen, members, year)
    rows = availability(frame, chosen, members, since)
    columns = list(rows[0]) if rows else ["series", "ref_area"]
    return table(request, rows, columns, fmt)


CONSISTENCY_EXAMPLE: dict[str, Any] = {
    "data": [
        {
            "series": "SI_COV_BENFTS",
            "ref_area": "PHL",
            "time_period": 2020,
            "national": 36.2,
            "international": 33.1,
            "agency": "ILO",
            "international_series": "SI_COV_BENFTS",
            "difference": 3.1,
            "tolerance": 5.0,
            "flag": False,
        }
    ]
}


@router.get(
    "/consistency",
    summary="National values beside their international equivalents",
    responses={
        200: documented_table(
            CONSISTENCY_EXAMPLE,
            "series,ref_area,time_period,national,international,difference,tolerance,flag\n",
        ),
        **NOT_MODIFIED,
        **refusals(UnknownCode),
    },
    response_model=None,
)
def consistency_table(
    request: Request,
    connection: Reading,
    series: Codes = [],  # noqa: B006
    area: Codes = [],  # noqa: B006
    year: Year = None,
    fmt: FormatParameter = None,
) -> Response:
    """Each published national value with an international equivalent (the framework's
    crosswalk and SDG series), the international value for the same country, year and
    disaggregation, their difference and whether it is beyond the indicator's tolerance
    (5 points for percentages, else 10 %), as `lindung assess consistency --format json`."""
    codes, areas = codes_of(series), codes_of(area)
    catalogue = checked_catalogue(codes, areas)
    chosen = assessable(catalogue, codes)
    mapping, wanted = consistency_inputs(catalogue, chosen)
    national, international = frames_by_kind(connection, wanted, areas or None, year)
    rows = compare(national_only(national, chosen), international, mapping, {})
    columns = list(rows[0]) if rows else ["series", "ref_area", "time_period"]
    return table(request, rows, columns, fmt)


@router.get(
    "/tiers",
    summary="Each indicator's ASEAN tier beside its global tier",
    responses={
        200: documented_table(
            {
                "data": [
                    {
                        "series": "SI_COV_BENFTS",
                        "ref_area": "ASEAN",
                        "global_tier": "I",
                        "asean_tier": "II",
                        "countries": ["IDN", "PHL", "VNM"],
                        "country_share": 0.2727,
                        "population_share": 0.6713,
                        "reason": "established methodology, but data regularly produced for "
                        "only 3 of 11 member states (27%, 67% of the population); both must "
                        "reach 50%",
                        "reason_code": "tier_II",
                        "reason_args": {
                            "not_sdg": False,
                            "min_points": 2,
                            "regular": 3,
                            "members": 11,
                            "country_share": 0.2727,
                            "population_share": 0.6713,
                            "min_share": 0.5,
                        },
                    }
                ]
            },
            "series,ref_area,global_tier,asean_tier,countries,country_share,"
            "population_share,reason,reason_code,reason_args\n",
            REASON_DESCRIPTION,
        ),
        **NOT_MODIFIED,
        **refusals(UnknownCode, AssessmentError),
    },
    response_model=None,
)
def tiers_table(
    request: Request,
    connection: Reading,
    series: Codes = [],  # noqa: B006
    since: Annotated[
        int, Query(ge=1900, le=2100, description="Baseline of 'regularly produced'.")
    ] = 2015,
    min_points: Annotated[
        int, Query(ge=1, le=100, description="Points since the baseline that make 'regular'.")
    ] = 2,
    year: Year = None,
    fmt: FormatParameter = None,
) -> Response:
    """Each indicator's ASEAN tier by the IAEG-SDGs criteria (data regularly produced for
    at least half the member states' population) beside its global tier, as `lindung assess
    tiers --format json`; needs the UN population (`lindung data load-reference`), else 422."""
    codes = codes_of(series)
    catalogue = checked_catalogue(codes, [])
    chosen = assessable(catalogue, codes)
    frame = current_frame(connection, chosen, member_states(catalogue, []), year)
    rows = tier_rows(
        catalogue,
        chosen,
        frame,
        population_frame(connection),
        since=since,
        min_points=min_points,
        year=year,
    )
    columns = list(rows[0]) if rows else ["series", "global_tier", "asean_tier", "reason"]
    return table(request, said(rows, reasons.tier_reason), columns, fmt, translated=True)
