"""Published survey runs: how each was designed, and its estimates with SE and 95 % CI."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from lindung.errors import NotFound
from lindung.keys import MAX_ID
from lindung.web.api.common import (
    NOT_MODIFIED,
    Format,
    answer,
    documented_json,
    documented_table,
    json_bytes,
    refusals,
    table,
)
from lindung.web.api.observations import COLUMNS, OBSERVATION_CSV, OBSERVATION_EXAMPLE
from lindung.web.deps import Reading
from lindung.web.survey import published_run, published_runs

router = APIRouter(tags=["survey runs"])

RUN_EXAMPLE: dict[str, Any] = {
    "id": 3,
    "ref_area": "PHL",
    "time_period": 2021,
    "survey": {"name": "Family Income and Expenditure Survey", "country": "PHL", "year": 2021},
    "design": {"weight": "rfact", "strata": "w_prv", "psu": "w_ea", "lonely_psu": "adjust"},
    "indicators": ["SI_COV_SOCAST"],
    "data_hash": "9f2c...",
    "code_version": "0.1.0",
    "source": "PSA FIES 2021 (microdata)",
    "published_at": "2025-06-01T08:00:00+00:00",
}


@router.get(
    "/survey-runs",
    summary="Published survey runs",
    responses={
        200: documented_json({"data": [RUN_EXAMPLE]}, "Every published run, oldest first."),
        **NOT_MODIFIED,
        **refusals(),
    },
    response_model=None,
)
def survey_runs(request: Request, connection: Reading) -> Response:
    """Every published survey run: the survey, its sampling design (weight, strata, PSU),
    the indicators estimated, the hash of the microdata file and the code version."""
    return answer(request, json_bytes({"data": published_runs(connection)}))


@router.get(
    "/survey-runs/{run_id}",
    summary="One published survey run and its estimates",
    responses={
        200: documented_table(
            {**RUN_EXAMPLE, "data": OBSERVATION_EXAMPLE["data"]}, OBSERVATION_CSV
        ),
        **NOT_MODIFIED,
        **refusals(NotFound),
    },
    response_model=None,
)
def survey_run(
    request: Request,
    connection: Reading,
    run_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The run's id.")],
    fmt: Annotated[
        Format | None, Query(alias="format", description="json or csv (else by Accept).")
    ] = None,
) -> Response:
    """A published run's design summary and its estimates, each with its standard error and
    95 % confidence interval (CSV: the estimates only)."""
    summary, estimates = published_run(connection, run_id)
    return table(request, estimates, COLUMNS, fmt, extra=summary)
