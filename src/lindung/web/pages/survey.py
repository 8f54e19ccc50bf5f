"""The survey-run pages: every published run, and one run's design and estimates with their
standard errors and 95 % confidence intervals. Unpublished runs are not found, for everyone."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Path, Request
from starlette.responses import HTMLResponse

from lindung.keys import MAX_ID
from lindung.web.deps import Reading, Visitor
from lindung.web.figures import number
from lindung.web.rendering import render
from lindung.web.survey import published_run, published_runs

router = APIRouter(tags=["survey run pages"])


@router.get("/survey-runs", response_class=HTMLResponse, name="survey_runs")
def survey_run_list(request: Request, connection: Reading, _user: Visitor) -> HTMLResponse:
    """Every published survey run, oldest first, with its survey and sampling design."""
    return render(request, "survey_runs.html", {"runs": published_runs(connection)})


@router.get("/survey-runs/{run_id}", response_class=HTMLResponse, name="survey_run")
def survey_run_page(
    request: Request,
    connection: Reading,
    _user: Visitor,
    run_id: Annotated[int, Path(ge=1, le=MAX_ID)],
) -> HTMLResponse:
    """A published run's design summary and its estimates with SE and 95 % CI."""
    run, estimates = published_run(connection, run_id)
    return render(
        request,
        "survey_run.html",
        {"run": run, "estimates": estimates, "number": number},
    )
