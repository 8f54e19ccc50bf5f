"""`lindung assess index` with custom weights and goalposts on a small published store: the
score is the weighted mean of the goalpost-normalised values (hand calculation in the test).
The refusals of bad --weight and --goalpost items are in tests/cli/test_assess_index_options.py."""

from __future__ import annotations

import json
from typing import Any

import pytest

from .conftest import store_values


def test_valid_weights_and_goalposts_make_the_score(lindung: Any, database_url: str) -> None:
    assert lindung("db", "init").exit_code == 0
    store_values(
        database_url,
        {
            ("SI_COV_BENFTS", "IDN"): 50.0,
            ("SI_COV_PENSN", "IDN"): 20.0,
            ("SI_COV_BENFTS", "PHL"): 40.0,
            ("SI_COV_PENSN", "PHL"): 80.0,
        },
        year=2019,
        source="test",
        published=True,
    )
    result = lindung(
        "assess",
        "index",
        *("--series", "SI_COV_BENFTS", "--series", "SI_COV_PENSN", "--year", "2019"),
        *("--normalisation", "goalposts", "--weighting", "custom"),
        *("--goalpost", "SI_COV_BENFTS=0:100", "--goalpost", "SI_COV_PENSN=0:100"),
        *("--weight", "SI_COV_BENFTS=3", "--weight", "SI_COV_PENSN=1"),
        *("--area", "IDN", "--area", "PHL", "--draws", "5", "--format", "json"),
    )
    assert result.exit_code == 0, result.stderr
    scores = {row["ref_area"]: row["score"] for row in json.loads(result.stdout)}
    # (x - 0) / (100 - 0), weighted 3 : 1.
    assert scores["IDN"] == pytest.approx(0.75 * 0.5 + 0.25 * 0.2)
    assert scores["PHL"] == pytest.approx(0.75 * 0.4 + 0.25 * 0.8)
