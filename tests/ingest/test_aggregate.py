"""Regional aggregates are stored and published by a named secretariat or admin user, through
the workflow, and storing the same figures twice stores them once."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import Engine

from lindung.errors import PermissionDenied, SubmissionError
from lindung.ingest import move
from lindung.ingest.aggregate import store_aggregate
from lindung.store import audit_entries, current_observations, get_submission, transaction

from .conftest import PASSWORD

RECORD = {
    "series": "SI_COV_BENFTS",
    "ref_area": "ASEAN",
    "time_period": 2019,
    "value": 41.5,
    "unit": "percent",
    "source": "Lindung regional aggregate of member-state values",
    "comment": "population-weighted mean of 9 member states",
}


def _store(engine: Engine, actor: str, value: float = 41.5) -> Any:
    with transaction(engine) as connection:
        return store_aggregate(
            connection,
            region="ASEAN",
            method="population_weighted",
            records=[dict(RECORD, value=value)],
            framework_version="1.0.0",
            actor=actor,
        )


def test_an_aggregate_is_published_by_the_secretariat_user_who_stored_it(
    engine: Engine, users: dict[str, Any]
) -> None:
    stored = _store(engine, "secretariat@example.org")
    assert (stored.written, stored.unchanged) == (1, 0)
    with transaction(engine) as connection:
        submission = get_submission(connection, stored.submission_id)
        trail = audit_entries(connection, entity="submission", entity_id=stored.submission_id)
        current = current_observations(connection, areas=["ASEAN"])
    assert (submission["kind"], submission["status"]) == ("assessment", "published")
    assert submission["created_by"] == users["secretariat@example.org"]["id"]
    assert [(e["actor"], e["action"]) for e in trail] == [
        ("secretariat@example.org", "create"),
        ("secretariat@example.org", "status:published"),
    ]
    assert [row["value"] for row in current] == [41.5]


def test_storing_the_same_aggregate_again_adds_nothing_and_a_new_value_is_a_new_version(
    engine: Engine, users: dict[str, Any]
) -> None:
    _store(engine, "secretariat@example.org")
    again = _store(engine, "publisher@example.org")
    assert (again.submission_id, again.written, again.unchanged) == (None, 0, 1)
    revised = _store(engine, "publisher@example.org", value=42.0)
    assert revised.written == 1
    with transaction(engine) as connection:
        assert [r["value"] for r in current_observations(connection, areas=["ASEAN"])] == [42.0]


@pytest.mark.parametrize(
    ("actor", "message"),
    [
        ("fp.idn@example.org", "role focal_point; only the secretariat or an admin"),
        ("partner@example.org", "role partner; only the secretariat or an admin"),
        ("lindung assess aggregate", "no user 'lindung assess aggregate' may act here"),
    ],
)
def test_only_a_secretariat_or_admin_user_stores_aggregates(
    engine: Engine, users: dict[str, Any], actor: str, message: str
) -> None:
    with pytest.raises(PermissionDenied, match=message):
        _store(engine, actor)
    with transaction(engine) as connection:
        assert current_observations(connection, areas=["ASEAN"]) == []


def test_an_aggregate_is_never_submitted_validated_or_returned(
    engine: Engine, users: dict[str, Any]
) -> None:
    stored = _store(engine, "secretariat@example.org")
    for action in ("submit", "validate", "return"):
        with pytest.raises(SubmissionError, match="regional aggregate"):
            with transaction(engine) as connection:
                move(connection, stored.submission_id, action, actor="publisher@example.org")


def test_assess_aggregate_refuses_to_store_as_anyone_but_a_reviewer_before_computing(
    lindung: Any, engine: Engine, users: dict[str, Any]
) -> None:
    assert lindung("login", "fp.idn@example.org", stdin=PASSWORD + "\n").exit_code == 0
    refused = lindung(
        "assess", "aggregate", "--series", "SI_COV_BENFTS", "--as", "fp.idn@example.org"
    )
    assert refused.exit_code == 3  # PermissionDenied's exit status
    assert refused.stderr == (
        "Error: fp.idn@example.org has role focal_point; only the secretariat or an admin can "
        "store regional aggregates\n"
    )
