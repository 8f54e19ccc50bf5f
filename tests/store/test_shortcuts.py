"""Append-only and the review workflow hold against the engines' own shortcuts, not only
against Lindung's code: REPLACE on SQLite, TRUNCATE on PostgreSQL, a status set by hand."""

from __future__ import annotations

import pytest
import sqlalchemy.exc
from sqlalchemy import Engine, select, text

from lindung.store import create_submission, insert_observations, set_status, transaction
from lindung.store.schema import audit_log, observations, submissions


def _draft(engine: Engine) -> int:
    with transaction(engine) as connection:
        submission = create_submission(
            connection,
            kind="template",
            ref_area="IDN",
            time_period=2019,
            source="test",
            framework_version="1",
            actor="fp@example.org",
        )
        insert_observations(
            connection,
            submission,
            [
                {
                    "series": "SI_COV_BENFTS",
                    "ref_area": "IDN",
                    "time_period": 2019,
                    "value": 56.0,
                    "unit": "percent",
                }
            ],
            framework_version="1",
        )
    return submission


def _refused(engine: Engine, statement: str) -> None:
    with pytest.raises(sqlalchemy.exc.DatabaseError), engine.begin() as connection:
        connection.execute(text(statement))


def test_replace_into_cannot_rewrite_an_observation_or_an_audit_entry(engine: Engine) -> None:
    if engine.dialect.name != "sqlite":
        pytest.skip("REPLACE INTO is SQLite's; PostgreSQL's ON CONFLICT DO UPDATE is an UPDATE")
    _draft(engine)
    with engine.connect() as connection:
        value = connection.execute(select(observations.c.value)).scalar_one()
        first_audit = connection.execute(select(audit_log.c.actor).limit(1)).scalar_one()
    row = (
        "(id, submission_id, series, ref_area, time_period, value, unit, framework_version) "
        "VALUES (1, 1, 'SI_COV_BENFTS', 'IDN', 2019, 99.0, 'percent', '1')"
    )
    _refused(engine, f"INSERT OR REPLACE INTO observations {row}")
    _refused(engine, f"REPLACE INTO observations {row}")
    _refused(
        engine,
        "REPLACE INTO audit_log (id, at, actor, action, entity) "
        "VALUES (1, '2020-01-01', 'someone-else', 'create', 'submission')",
    )
    with engine.connect() as connection:
        assert connection.execute(select(observations.c.value)).scalar_one() == value == 56.0
        assert connection.execute(select(audit_log.c.actor).limit(1)).scalar_one() == first_audit


def test_truncate_cannot_empty_the_append_only_tables(engine: Engine) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; its DELETE is refused by the 0001 triggers")
    _draft(engine)
    _refused(engine, "TRUNCATE observations CASCADE")
    _refused(engine, "TRUNCATE audit_log")
    with engine.connect() as connection:
        assert connection.execute(select(observations.c.id)).all() != []


def test_a_status_set_by_hand_without_its_audit_entry_is_refused(engine: Engine) -> None:
    submission = _draft(engine)
    _refused(engine, f"UPDATE submissions SET status = 'published' WHERE id = {submission}")
    _refused(engine, f"UPDATE submissions SET status = 'submitted' WHERE id = {submission}")
    with transaction(engine) as connection:
        set_status(connection, submission, "submitted", expected="draft", actor="fp@example.org")
    # The audit entry of the last move does not license another one.
    _refused(engine, f"UPDATE submissions SET status = 'validated' WHERE id = {submission}")
    with engine.connect() as connection:
        status = connection.execute(
            select(submissions.c.status).where(submissions.c.id == submission)
        ).scalar_one()
    assert status == "submitted"
