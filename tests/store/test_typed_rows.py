"""Rows cross the layers as TypedDicts that name every column the store reads, so that a column
renamed in the schema is a type error above the store, not a run-time KeyError.

Oracle: the tables of the schema themselves (their column names), compared with the typed
rows' keys; and a row read back through the store, whose keys must be exactly the typed ones.
"""

from __future__ import annotations

from typing import Any, get_type_hints

import pytest
from sqlalchemy import Engine, Table

from lindung.store import audit_entries, audit_record, transaction
from lindung.store.audit import AuditEntry
from lindung.store.observations import StoredObservation
from lindung.store.schema import audit_log, observations, submissions, survey_runs, users
from lindung.store.submissions import Submission
from lindung.store.survey_runs import SurveyRun
from lindung.store.users import User


@pytest.mark.parametrize(
    ("typed", "table", "left_out", "added"),
    [
        (
            SurveyRun,
            survey_runs,
            set(),
            {"ref_area", "time_period", "source", "status", "published_at"},
        ),
        (AuditEntry, audit_log, set(), set()),
        (Submission, submissions, set(), set()),
        (User, users, {"password_hash"}, set()),
        (
            StoredObservation,
            observations,
            set(),
            {"submission_status", "submission_kind", "published_at"},
        ),
    ],
)
def test_each_typed_row_names_its_tables_columns(
    typed: Any, table: Table, left_out: set[str], added: set[str]
) -> None:
    assert set(get_type_hints(typed)) == (set(table.c.keys()) - left_out) | added


def test_an_audit_entry_read_back_has_exactly_the_typed_keys(engine: Engine) -> None:
    with transaction(engine) as connection:
        audit_record(connection, actor="a@example.org", action="test", entity="x", entity_id=1)
        (entry,) = audit_entries(connection, entity="x")
    assert set(entry) == set(get_type_hints(AuditEntry))
    assert entry["detail"] == {} and entry["actor"] == "a@example.org"


def test_an_incoming_observation_names_what_the_store_writes_and_only_that() -> None:
    """The one type every reader hands to insert_observations: its fields are the stored
    columns less those the store adds itself (ids, framework version, submission state)."""
    from lindung.keys import Observation

    added_by_store = {"id", "submission_id", "framework_version"}
    assert set(get_type_hints(Observation)) == set(observations.c.keys()) - added_by_store
    assert Observation.__required_keys__ == {"series", "ref_area", "time_period", "value", "unit"}


def test_the_key_of_an_observation_leaving_out_a_dimension_is_its_total() -> None:
    from lindung.keys import KEY, key_of

    key = key_of({"series": "S", "ref_area": "PHL", "time_period": 2022, "sex": "F"})
    assert dict(zip(KEY, key, strict=True)) == {
        "series": "S",
        "ref_area": "PHL",
        "time_period": 2022,
        "sex": "F",
        "age": "_T",
        "urbanisation": "_T",
        "income_wealth_quantile": "_T",
        "disability_status": "_T",
        "group": "_T",
        "program": "_T",
        "poverty_line": "_T",
    }
