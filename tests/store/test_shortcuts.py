"""Append-only and the review workflow hold against the engines' own shortcuts, not only
against Lindung's code: REPLACE on SQLite, TRUNCATE on PostgreSQL, a status set by hand."""

from __future__ import annotations

from datetime import UTC, datetime

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


def _published(engine: Engine) -> int:
    submission = _draft(engine)
    for expected, status in (
        ("draft", "submitted"),
        ("submitted", "validated"),
        ("validated", "published"),
    ):
        with transaction(engine) as connection:
            set_status(connection, submission, status, expected=expected, actor="sec@example.org")
    return submission


def _row(engine: Engine, submission: int) -> tuple[object, ...]:
    with engine.connect() as connection:
        return tuple(
            connection.execute(select(submissions).where(submissions.c.id == submission)).one()
        )


@pytest.mark.parametrize(
    "assignment",
    [
        "published_at = '2099-01-01 00:00:00'",
        "published_at = NULL",
        "kind = 'reference'",
        "ref_area = 'PHL'",
        "time_period = 2031",
        "version = 7",
        "source = 'someone else'",
        "file_hash = 'f00d'",
        "created_by = NULL",
        "created_at = '2001-01-01 00:00:00'",
        "status_changed_at = '2001-01-01 00:00:00'",
        "note = 'rewritten'",
        "validation_report = '{}'",
        "id = 999",
        "kind = kind",
    ],
)
def test_a_published_submission_cannot_be_rewritten_by_hand(
    engine: Engine, assignment: str
) -> None:
    submission = _published(engine)
    before = _row(engine, submission)
    _refused(engine, f"UPDATE submissions SET {assignment} WHERE id = {submission}")
    assert _row(engine, submission) == before


def test_a_draft_cannot_be_rewritten_by_hand_either(engine: Engine) -> None:
    submission = _draft(engine)
    before = _row(engine, submission)
    for assignment in ("kind = 'reference'", "published_at = '2020-01-01 00:00:00'", "note = 'x'"):
        _refused(engine, f"UPDATE submissions SET {assignment} WHERE id = {submission}")
    assert _row(engine, submission) == before


def test_a_move_cannot_carry_a_change_of_identity(engine: Engine) -> None:
    """Even with the audit entry of a legal move written, the move changes only what a move
    changes: not the kind, and published_at only on the way to published."""
    submission = _draft(engine)
    with transaction(engine) as connection:
        set_status(connection, submission, "submitted", expected="draft", actor="fp@example.org")
    for assignment in ("kind = 'reference'", "published_at = '2099-01-01 00:00:00'"):
        with pytest.raises(sqlalchemy.exc.DatabaseError), engine.begin() as connection:
            connection.execute(
                audit_log.insert().values(
                    at=datetime(2020, 1, 1, tzinfo=UTC),
                    actor="x",
                    action="status:validated",
                    entity="submission",
                    entity_id=submission,
                )
            )
            connection.execute(
                text(f"UPDATE submissions SET status = 'validated', {assignment} WHERE id = :id"),
                {"id": submission},
            )


def test_the_workflow_still_publishes_and_sets_published_at_once(engine: Engine) -> None:
    submission = _published(engine)
    with engine.connect() as connection:
        row = connection.execute(select(submissions).where(submissions.c.id == submission)).one()
    assert row.status == "published" and row.published_at is not None


def test_no_submission_is_deleted(engine: Engine) -> None:
    draft = _draft(engine)
    with transaction(engine) as connection:
        empty = create_submission(
            connection,
            kind="template",
            ref_area="PHL",
            time_period=2019,
            source="test",
            framework_version="1",
            actor="fp@example.org",
        )
    for submission in (draft, empty):
        _refused(engine, f"DELETE FROM submissions WHERE id = {submission}")
    _refused(engine, "DELETE FROM submissions")
    if engine.dialect.name == "postgresql":
        _refused(engine, "TRUNCATE submissions CASCADE")
    else:
        _refused(
            engine,
            "REPLACE INTO submissions (id, kind, ref_area, version, status, source, "
            "framework_version, created_at, status_changed_at) VALUES "
            f"({empty}, 'template', 'PHL', 1, 'draft', 'x', '1', '2020-01-01', '2020-01-01')",
        )
    with engine.connect() as connection:
        assert len(connection.execute(select(submissions.c.id)).all()) == 2


def _insert_into(submission: int, year: int) -> str:
    return (
        "INSERT INTO observations (submission_id, series, ref_area, time_period, sex, age, "
        'urbanisation, income_wealth_quantile, disability_status, "group", program, '
        "poverty_line, value, unit, framework_version) VALUES "
        f"({submission}, 'SI_COV_BENFTS', 'IDN', {year}, '_T', '_T', '_T', '_T', '_T', '_T', "
        "'_T', '_T', 1.0, 'percent', '1')"
    )


def test_no_value_is_added_to_a_submission_past_draft(engine: Engine) -> None:
    published = _published(engine)
    _refused(engine, _insert_into(published, 2031))
    submitted = _draft(engine)
    with transaction(engine) as connection:
        set_status(connection, submitted, "submitted", expected="draft", actor="fp@example.org")
    _refused(engine, _insert_into(submitted, 2031))
    with engine.connect() as connection:
        years = connection.execute(select(observations.c.time_period)).scalars().all()
    assert sorted(years) == [2019, 2019]


def test_shipped_reference_data_is_filled_only_as_it_is_created(engine: Engine) -> None:
    """Reference data is born published (migration 0004), so its values go in as it is made."""
    with transaction(engine) as connection:
        reference = create_submission(
            connection,
            kind="reference",
            ref_area="IDN",
            time_period=None,
            source="UN SDG database",
            framework_version="1",
            actor="system",
            status="published",
        )
        insert_observations(
            connection,
            reference,
            [
                {
                    "series": "SI_COV_BENFTS",
                    "ref_area": "IDN",
                    "time_period": 2019,
                    "value": 50.0,
                    "unit": "percent",
                }
            ],
            framework_version="1",
        )
    if engine.dialect.name == "postgresql":
        # The row is no longer this transaction's own.
        _refused(engine, _insert_into(reference, 2031))
    # SQLite's writers take turns, and its rule is the store's last audit entry: the window
    # closes at the next audited write (docs/security.md).
    _draft(engine)
    _refused(engine, _insert_into(reference, 2031))
    with engine.connect() as connection:
        years = connection.execute(
            select(observations.c.time_period).where(observations.c.submission_id == reference)
        ).scalars()
        assert list(years) == [2019]
