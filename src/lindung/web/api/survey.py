"""Published survey runs: how each was designed, and its estimates with SE and 95 % CI."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query, Request
from starlette.responses import Response

from lindung.errors import NotFound
from lindung.keys import MAX_ID
from lindung.store import get_survey_run, submission_observations
from lindung.store.survey_runs import SurveyRun, list_survey_runs
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


def _summary(run: SurveyRun) -> dict[str, Any]:
    """What a published run shows: its design and provenance, never the files' paths."""
    spec = run["spec"]
    return {
        "id": run["id"],
        "ref_area": run["ref_area"],
        "time_period": run["time_period"],
        "survey": spec.get("survey"),
        "design": spec.get("design"),
        "indicators": spec.get("indicators"),
        "data_hash": run["data_hash"],
        "code_version": run["code_version"],
        "source": run["source"],
        "published_at": run["published_at"],
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
    runs = [_summary(run) for run in list_survey_runs(connection, status="published")]
    return answer(request, json_bytes({"data": runs}))


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
    run = get_survey_run(connection, run_id)
    if run is None or run["status"] != "published":
        raise NotFound(f"no published survey run {run_id}; /api/v1/survey-runs lists them")
    estimates = [dict(row) for row in submission_observations(connection, run["submission_id"])]
    return table(request, estimates, COLUMNS, fmt, extra=_summary(run))
