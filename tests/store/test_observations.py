"""The store keeps every number: never updated in place, current = latest published, history kept."""

from __future__ import annotations

import pytest
import sqlalchemy.exc
from sqlalchemy import Engine, text

from lindung.errors import ValidationFailed
from lindung.keys import KEY
from lindung.store import (
    audit_entries,
    create_submission,
    current_observations,
    history,
    insert_observations,
    set_status,
    transaction,
)
from lindung.store.observations import StoredObservation

from ..conftest import publish_through_review

ROW = {"series": "SI_COV_BENFTS", "ref_area": "IDN", "time_period": 2019, "unit": "percent"}
REVIEWER = "secretariat@example.org"
_publish = publish_through_review


def _submission(engine: Engine, value: float, *, published: bool = False, year: int = 2019) -> int:
    with transaction(engine) as connection:
        submission_id = create_submission(
            connection,
            kind="template",
            ref_area="IDN",
            time_period=year,
            source="test",
            framework_version="1.0.0",
            actor="tester@example.org",
        )
        insert_observations(
            connection,
            submission_id,
            [{**ROW, "time_period": year, "value": value}],
            framework_version="1.0.0",
        )
        if published:
            _publish(connection, submission_id)
    return submission_id


def test_an_observation_cannot_be_updated_or_deleted(engine: Engine) -> None:
    _submission(engine, 54.0)
    for statement in ("UPDATE observations SET value = 1", "DELETE FROM observations"):
        with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"):
            with transaction(engine) as connection:
                connection.execute(text(statement))
    with transaction(engine) as connection:
        assert [row["value"] for row in history(connection)] == [54.0]


def test_the_audit_log_cannot_be_rewritten(engine: Engine) -> None:
    _submission(engine, 54.0)
    with pytest.raises(sqlalchemy.exc.DatabaseError, match="append-only"):
        with transaction(engine) as connection:
            connection.execute(text("DELETE FROM audit_log"))


def test_the_current_value_is_the_latest_published_one(engine: Engine) -> None:
    first = _submission(engine, 50.0)
    second = _submission(engine, 54.0)
    third = _submission(engine, 99.0)  # never published: not current
    with transaction(engine) as connection:
        _publish(connection, first)
        _publish(connection, second)
        current = current_observations(connection, series=["SI_COV_BENFTS"])
        everything = history(connection, series=["SI_COV_BENFTS"])
        including_drafts = current_observations(connection, include_unpublished=True)
    assert [(row["value"], row["submission_id"]) for row in current] == [(54.0, second)]
    assert [row["value"] for row in everything] == [50.0, 54.0, 99.0]
    assert [row["submission_id"] for row in including_drafts] == [third]


def test_publishing_an_older_version_last_makes_it_current(engine: Engine) -> None:
    first = _submission(engine, 50.0)
    second = _submission(engine, 54.0, published=True)
    with transaction(engine) as connection:
        _publish(connection, first)
        current = current_observations(connection)
    assert [(row["value"], row["submission_id"]) for row in current] == [(50.0, first)]
    assert second != first


def test_each_submission_of_a_country_year_is_a_new_version(engine: Engine) -> None:
    ids = [_submission(engine, value) for value in (1.0, 2.0, 3.0)]
    with transaction(engine) as connection:
        versions = [
            connection.execute(text(f"SELECT version FROM submissions WHERE id = {i}")).scalar_one()
            for i in ids
        ]
    assert versions == [1, 2, 3]


def test_every_write_is_in_the_audit_log(engine: Engine) -> None:
    submission_id = _submission(engine, 54.0)
    with transaction(engine) as connection:
        set_status(
            connection,
            submission_id,
            "submitted",
            expected="draft",
            actor="focal@example.org",
            note="ok",
        )
        entries = audit_entries(connection, entity="submission", entity_id=submission_id)
    assert [(e["actor"], e["action"]) for e in entries] == [
        ("tester@example.org", "create"),
        ("focal@example.org", "status:submitted"),
    ]
    assert entries[1]["detail"] == {"from": "draft", "to": "submitted", "note": "ok"}


def test_a_failed_batch_writes_nothing(engine: Engine) -> None:
    with pytest.raises(ValidationFailed, match="lacks value"), transaction(engine) as connection:
        submission_id = create_submission(
            connection,
            kind="template",
            ref_area="IDN",
            time_period=2019,
            source="test",
            framework_version="1.0.0",
            actor="tester@example.org",
        )
        insert_observations(
            connection,
            submission_id,
            [{**ROW, "value": 1.0}, {**ROW, "sex": "F"}],
            framework_version="1.0.0",
        )
    with transaction(engine) as connection:
        assert history(connection) == []
        assert connection.execute(text("SELECT count(*) FROM submissions")).scalar_one() == 0


def test_a_returned_submission_is_never_current_even_among_unpublished_values(
    engine: Engine,
) -> None:
    published = _submission(engine, 54.0, published=True)
    returned = _submission(engine, 10.0)
    with transaction(engine) as connection:
        for before, after in (("draft", "submitted"), ("submitted", "returned")):
            set_status(connection, returned, after, expected=before, actor=REVIEWER, note="typo")
        current = current_observations(connection, include_unpublished=True)
        everything = history(connection)
    assert [(row["value"], row["submission_id"]) for row in current] == [(54.0, published)]
    assert [row["value"] for row in everything] == [54.0, 10.0]


def test_a_value_pending_review_previews_as_if_published_now(engine: Engine) -> None:
    pending = _submission(engine, 50.0)  # created first, still a draft
    published = _submission(engine, 54.0, published=True)
    with transaction(engine) as connection:
        public = current_observations(connection)
        preview = current_observations(connection, include_unpublished=True)
    assert [row["submission_id"] for row in public] == [published]
    assert [(row["value"], row["submission_id"]) for row in preview] == [(50.0, pending)]


def test_two_values_for_one_key_in_one_batch_are_refused_naming_the_key(engine: Engine) -> None:
    with pytest.raises(ValidationFailed) as raised, transaction(engine) as connection:
        submission_id = create_submission(
            connection,
            kind="survey",
            ref_area="IDN",
            time_period=2019,
            source="test",
            framework_version="1.0.0",
            actor="tester@example.org",
        )
        insert_observations(
            connection,
            submission_id,
            [{**ROW, "value": 1.0}, {**ROW, "sex": "F", "value": 2.0}, {**ROW, "value": 3.0}],
            framework_version="1.0.0",
        )
    assert str(raised.value) == (
        "observation 3 holds series=SI_COV_BENFTS, ref_area=IDN, time_period=2019, as "
        "observation 1 does; a submission holds one value per key: remove the duplicate row "
        "or correct its dimensions"
    )
    with transaction(engine) as connection:
        assert history(connection) == []


def test_pages_of_current_values_are_the_whole_answer_cut_at_each_cursor(engine: Engine) -> None:
    # Versions of two years (one a draft) and two more keys: every page (its keys read off the
    # key index, then the rule over those keys) must be a slice of the answer read in one go.
    _submission(engine, 1.0, published=True)
    _submission(engine, 2.0, published=True)
    _submission(engine, 3.0, published=False)
    _submission(engine, 4.0, published=True, year=2020)
    with transaction(engine) as connection:
        by_sex = create_submission(
            connection,
            kind="template",
            ref_area="IDN",
            time_period=2019,
            source="test",
            framework_version="1.0.0",
            actor="tester@example.org",
        )
        insert_observations(
            connection,
            by_sex,
            [{**ROW, "sex": "F", "value": 10.0}, {**ROW, "sex": "M", "value": 11.0}],
            framework_version="1.0.0",
        )
        _publish(connection, by_sex)
        whole = current_observations(connection)
        pages: list[StoredObservation] = []
        after: list[object] | None = None
        while True:
            page = current_observations(connection, after=after, limit=2)
            pages += page
            if len(page) < 2:
                break
            after = [page[-1][name] for name in KEY]
    assert sorted(row["value"] for row in whole) == [2.0, 4.0, 10.0, 11.0]
    assert pages == whole
