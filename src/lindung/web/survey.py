"""Published survey runs as the site shows them, to the API and the pages alike.

Only published runs are shown, to everyone; an unpublished run is not found. A run shows its
survey, sampling design and provenance, never the paths of its microdata files.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from lindung.errors import NotFound
from lindung.store import get_survey_run, submission_observations
from lindung.store.survey_runs import SurveyRun, list_survey_runs


def run_summary(run: SurveyRun) -> dict[str, Any]:
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


def published_runs(connection: Connection) -> list[dict[str, Any]]:
    """Return the summary of every published survey run, oldest first."""
    return [run_summary(run) for run in list_survey_runs(connection, status="published")]


def published_run(
    connection: Connection, run_id: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """Return a published run's summary and its estimates (with SE and 95 % CI).

    Raises NotFound when there is no such run or it is not published.
    """
    run = get_survey_run(connection, run_id)
    if run is None or run["status"] != "published":
        raise NotFound(f"no published survey run {run_id}; /survey-runs lists them")
    estimates = [dict(row) for row in submission_observations(connection, run["submission_id"])]
    return run_summary(run), estimates
