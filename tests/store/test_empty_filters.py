"""A filter of the store's readers: None means every series (area, kind), an empty list none.

An empty list is what a caller gets when a selection came out empty (no series chosen, no
equivalent found); reading the whole store then would be a silent, costly surprise.
"""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from lindung.store import (
    create_submission,
    current_observations,
    history,
    insert_observations,
    transaction,
)
from lindung.store.frames import current_frame, frames_by_kind

from ..conftest import publish_through_review


def _published(engine: Engine, kind: str, area: str, series: str, value: float) -> None:
    with transaction(engine) as connection:
        submission_id = create_submission(
            connection,
            kind=kind,
            ref_area=area,
            time_period=2020,
            source="test",
            framework_version="1.0.0",
            actor="tester@example.org",
        )
        insert_observations(
            connection,
            submission_id,
            [
                {
                    "series": series,
                    "ref_area": area,
                    "time_period": 2020,
                    "value": value,
                    "unit": "percent",
                }
            ],
            framework_version="1.0.0",
        )
        publish_through_review(connection, submission_id)


@pytest.fixture
def two_values(engine: Engine) -> Engine:
    _published(engine, "template", "IDN", "SI_COV_BENFTS", 54.0)
    _published(engine, "reference", "PHL", "SI_COV_CHLD", 12.0)
    return engine


@pytest.mark.parametrize("name", ["series", "areas", "kinds"])
def test_an_empty_filter_matches_nothing_and_none_matches_everything(
    two_values: Engine, name: str
) -> None:
    with transaction(two_values) as connection:
        nothing = current_observations(connection, **{name: []})  # type: ignore[arg-type]
        everything = current_observations(connection, **{name: None})  # type: ignore[arg-type]
    assert nothing == []
    assert sorted(row["value"] for row in everything) == [12.0, 54.0]


def test_history_reads_nothing_for_an_empty_series_list(two_values: Engine) -> None:
    with transaction(two_values) as connection:
        assert history(connection, series=[]) == []
        assert history(connection, areas=[]) == []
        assert len(history(connection, series=None)) == 2


def test_the_frames_read_nothing_for_an_empty_list_and_everything_for_none(
    two_values: Engine,
) -> None:
    with transaction(two_values) as connection:
        assert current_frame(connection, [], None).empty
        assert current_frame(connection, None, []).empty
        assert sorted(current_frame(connection, None, None)["value"]) == [12.0, 54.0]
        national, international = frames_by_kind(connection, [], None)
        assert national.empty and international.empty
        national, international = frames_by_kind(connection, ["SI_COV_BENFTS", "SI_COV_CHLD"], [])
        assert national.empty and international.empty
        national, international = frames_by_kind(connection, ["SI_COV_BENFTS", "SI_COV_CHLD"], None)
    assert list(national["value"]) == [54.0] and list(international["value"]) == [12.0]
