"""Survey runs: estimates computed from microdata, kept with the spec and the data file's hash."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from typing import Any, TypedDict, cast

from sqlalchemy import Connection, RowMapping, select

from lindung.jsontypes import JSONObject
from lindung.store import audit
from lindung.store.observations import insert_observations
from lindung.store.schema import submissions, survey_runs
from lindung.store.submissions import create_submission


class SurveyRun(TypedDict):
    """One stored survey run: the spec (decoded) and the data file that made a submission,
    with that submission's area, year, source, status and publication time."""

    id: int
    submission_id: int
    spec: JSONObject
    data_file: str
    data_hash: str
    code_version: str
    created_at: datetime
    ref_area: str
    time_period: int | None
    source: str
    status: str
    published_at: datetime | None


def record_survey_run(
    connection: Connection,
    *,
    ref_area: str,
    time_period: int,
    spec: Mapping[str, Any],
    data_file: str,
    data_hash: str,
    code_version: str,
    framework_version: str,
    estimates: Iterable[Mapping[str, Any]],
    actor: str,
    created_by: int,
    source: str,
) -> tuple[int, int, bool]:
    """Store a run and its estimates as observations of a new draft submission, which goes
    through review like a country's template (``lindung.ingest.workflow``).

    Returns (survey run id, submission id, created); the same spec on the same data file is
    stored once, and a repeated call returns the first run with ``created`` False.
    """
    spec_text = json.dumps(spec, sort_keys=True, ensure_ascii=False, default=str)
    existing = connection.execute(
        select(survey_runs.c.id, survey_runs.c.submission_id).where(
            survey_runs.c.data_hash == data_hash, survey_runs.c.spec == spec_text
        )
    ).first()
    if existing is not None:
        return int(existing.id), int(existing.submission_id), False
    submission_id = create_submission(
        connection,
        kind="survey",
        ref_area=ref_area,
        time_period=time_period,
        source=source,
        framework_version=framework_version,
        actor=actor,
        created_by=created_by,
        file_name=data_file,
        file_hash=data_hash,
    )
    run_id = int(
        connection.execute(
            survey_runs.insert()
            .values(
                submission_id=submission_id,
                spec=spec_text,
                data_file=data_file,
                data_hash=data_hash,
                code_version=code_version,
                created_at=datetime.now(UTC),
            )
            .returning(survey_runs.c.id)
        ).scalar_one()
    )
    written = insert_observations(
        connection, submission_id, estimates, framework_version=framework_version
    )
    audit.record(
        connection,
        actor=actor,
        action="survey_run",
        entity="survey_run",
        entity_id=run_id,
        detail={"submission_id": submission_id, "data_hash": data_hash, "observations": written},
    )
    return run_id, submission_id, True


_LISTED = select(
    survey_runs,
    submissions.c.ref_area,
    submissions.c.time_period,
    submissions.c.source,
    submissions.c.status,
    submissions.c.published_at,
).join(submissions, submissions.c.id == survey_runs.c.submission_id)


def _decoded(row: RowMapping) -> SurveyRun:
    return cast(SurveyRun, {**row, "spec": json.loads(row["spec"])})


def get_survey_run(connection: Connection, run_id: int) -> SurveyRun | None:
    """Return a survey run with its spec decoded and its submission's area, year, source,
    status and publication time; None if there is none."""
    row = connection.execute(_LISTED.where(survey_runs.c.id == run_id)).mappings().first()
    return None if row is None else _decoded(row)


def list_survey_runs(connection: Connection, *, status: str | None = None) -> list[SurveyRun]:
    """Return every survey run (only those whose submission has ``status``, if given), oldest
    first, as ``get_survey_run`` returns one."""
    query = _LISTED.order_by(survey_runs.c.id)
    if status is not None:
        query = query.where(submissions.c.status == status)
    return [_decoded(row) for row in connection.execute(query).mappings()]
