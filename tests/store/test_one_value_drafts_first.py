"""The store itself holds a submission to one value per key, and to starting as a draft.

Oracle: the rule as docs/submissions.md states it (one value per key; only shipped reference
data skips review), checked both through the store's functions and by writing to the database
directly, where the constraints of migration 0004 must refuse what the functions refuse.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
import sqlalchemy.exc
from sqlalchemy import Engine, text

from lindung.errors import SubmissionError, ValidationFailed
from lindung.store import create_submission, history, insert_observations, transaction
from lindung.store.schema import KINDS, REFERENCE_KIND, STATUSES

ROW = {"series": "SI_COV_BENFTS", "ref_area": "IDN", "time_period": 2019, "unit": "percent"}


def _draft(engine: Engine, kind: str = "template") -> int:
    with transaction(engine) as connection:
        return create_submission(
            connection,
            kind=kind,
            ref_area="IDN",
            time_period=2019,
            source="test",
            framework_version="1.0.0",
            actor="tester@example.org",
        )


def _insert(engine: Engine, submission_id: int, *rows: dict[str, object]) -> int:
    with transaction(engine) as connection:
        return insert_observations(connection, submission_id, rows, framework_version="1.0.0")


def _values(engine: Engine) -> list[float]:
    with transaction(engine) as connection:
        return [row["value"] for row in history(connection)]


def test_a_second_value_for_a_key_in_a_later_call_is_refused(engine: Engine) -> None:
    submission_id = _draft(engine)
    assert _insert(engine, submission_id, {**ROW, "value": 1.0}) == 1
    with pytest.raises(ValidationFailed) as raised:
        _insert(engine, submission_id, {**ROW, "sex": "F", "value": 2.0}, {**ROW, "value": 3.0})
    assert raised.value.exit_status == 5
    assert str(raised.value) == (
        "observation 2 holds series=SI_COV_BENFTS, ref_area=IDN, time_period=2019, already in "
        "the submission; a submission holds one value per key: remove the duplicate row or "
        "correct its dimensions"
    )
    assert _values(engine) == [1.0]  # the refused batch wrote nothing, not even the F row
    # Another submission may hold the same key: that is a new version, not a duplicate.
    assert _insert(engine, _draft(engine), {**ROW, "value": 4.0}) == 1


def test_the_database_refuses_a_second_value_for_a_key_written_directly(engine: Engine) -> None:
    submission_id = _draft(engine)
    _insert(engine, submission_id, {**ROW, "value": 1.0})
    with pytest.raises(sqlalchemy.exc.IntegrityError), transaction(engine) as connection:
        connection.execute(
            text(
                "INSERT INTO observations (submission_id, series, ref_area, time_period, value,"
                " unit, framework_version) VALUES (:s, 'SI_COV_BENFTS', 'IDN', 2019, 2.0,"
                " 'percent', '1.0.0')"
            ),
            {"s": submission_id},
        )
    assert _values(engine) == [1.0]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"value": "fifty"}, "observation 1 (SI_COV_BENFTS, IDN) has value 'fifty', not a finite"),
        ({"value": float("nan")}, "observation 1 (SI_COV_BENFTS, IDN) has value nan, not a"),
        ({"time_period": "20l9"}, "observation 1 (SI_COV_BENFTS, IDN) has time_period '20l9';"),
        ({"time_period": 2019.5}, "observation 1 (SI_COV_BENFTS, IDN) has time_period 2019.5;"),
        ({"unit": None}, "observation 1 lacks unit; fill in every one of them"),
    ],
)
def test_a_malformed_row_is_a_validation_failure_naming_the_row(
    engine: Engine, change: dict[str, object], message: str
) -> None:
    submission_id = _draft(engine)
    with pytest.raises(
        ValidationFailed, match="^" + message.replace("(", r"\(").replace(")", r"\)")
    ) as raised:
        _insert(engine, submission_id, {**ROW, "value": 1.0, **change})
    assert raised.value.exit_status == 5
    assert _values(engine) == []


def test_years_given_as_whole_numbers_of_any_type_are_kept(engine: Engine) -> None:
    submission_id = _draft(engine)
    periods = (2017, "2018", 2019.0)
    _insert(engine, submission_id, *({**ROW, "time_period": p, "value": 1.0} for p in periods))
    with transaction(engine) as connection:
        assert [row["time_period"] for row in history(connection)] == [2017, 2018, 2019]


@pytest.mark.parametrize("kind", [k for k in KINDS if k != REFERENCE_KIND])
@pytest.mark.parametrize("status", [s for s in STATUSES if s != "draft"])
def test_only_shipped_reference_data_is_created_other_than_draft(
    engine: Engine, kind: str, status: str
) -> None:
    with pytest.raises(SubmissionError, match=f"a new {kind} submission starts as draft"):
        with transaction(engine) as connection:
            create_submission(
                connection,
                kind=kind,
                ref_area="IDN",
                time_period=2019,
                source="test",
                framework_version="1.0.0",
                actor="tester@example.org",
                status=status,
            )
    with transaction(engine) as connection:
        assert connection.execute(text("SELECT count(*) FROM submissions")).scalar_one() == 0


def test_reference_data_is_created_published(engine: Engine) -> None:
    with transaction(engine) as connection:
        number = create_submission(
            connection,
            kind=REFERENCE_KIND,
            ref_area="IDN",
            time_period=None,
            source="UN SDG database",
            framework_version="1.0.0",
            actor="load-reference",
            status="published",
        )
        status = connection.execute(
            text("SELECT status FROM submissions WHERE id = :i"), {"i": number}
        ).scalar_one()
    assert status == "published"


@pytest.mark.parametrize(("kind", "status"), [("template", "published"), ("survey", "validated")])
def test_the_database_refuses_a_submission_inserted_past_draft(
    engine: Engine, kind: str, status: str
) -> None:
    now = datetime.now(UTC)
    insert = text(
        "INSERT INTO submissions (kind, ref_area, time_period, version, status, source,"
        " framework_version, created_at, status_changed_at)"
        " VALUES (:kind, 'IDN', 2019, 1, :status, 'sql', '1.0.0', :now, :now)"
    )
    with pytest.raises(sqlalchemy.exc.DatabaseError, match="a new submission starts as draft"):
        with transaction(engine) as connection:
            connection.execute(insert, {"kind": kind, "status": status, "now": now})
    with transaction(engine) as connection:
        connection.execute(insert, {"kind": "reference", "status": "published", "now": now})
        connection.execute(insert, {"kind": kind, "status": "draft", "now": now})
        assert connection.execute(text("SELECT count(*) FROM submissions")).scalar_one() == 2
