"""An id no store can hold is simply not found, on both engines, whoever asks (CLI or web)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from lindung.errors import NotFound
from lindung.store import get_submission


@pytest.mark.parametrize("submission_id", [0, -1, 2**31, 10**20])
def test_a_submission_id_beyond_the_id_columns_is_not_found(
    engine: Engine, submission_id: int
) -> None:
    with engine.connect() as connection, pytest.raises(NotFound, match="no submission with id"):
        get_submission(connection, submission_id)
