"""Weighted cut points (quintiles, relative poverty lines): in NumPy as by the query.

The rule: cut point c for share q is the smallest value whose weighted share of the whole at or
below it is at least q; tied values share one cut. The oracle is a hand calculation written
here (a loop over the distinct values), and the Ibis query of :func:`cut_points` on DuckDB,
which the Spark path runs.
"""

from __future__ import annotations

import ibis
import numpy as np
import pyarrow as pa
import pytest

from lindung.survey.totals import array_cut_points, cut_points
from lindung.survey.welfare import QUINTILE_SHARES, quintile_columns

SHARES = [*QUINTILE_SHARES, 0.5, 0.01, 0.99]


def by_hand(values: list[float], weights: list[float], share: float) -> float:
    """The rule, read literally: walk the distinct values up; the first whose weight at or
    below it reaches the share of the whole."""
    whole = sum(weights)
    for value in sorted(set(values)):
        below = sum(w for v, w in zip(values, weights, strict=True) if v <= value)
        if below >= share * whole * (1 - 1e-12):
            return value
    raise AssertionError("no value reaches the share")


def test_a_tie_on_the_cut_takes_the_tied_value() -> None:
    """Weights 1, 2, 2, 5 at values 1, 2, 2, 3: 20 % is reached at 2 (the first value has
    10 %), 50 % at 2 exactly (1 + 2 + 2 = 5 of 10), 60 % only at 3."""
    values = np.array([3.0, 2.0, 1.0, 2.0])
    weights = np.array([5.0, 2.0, 1.0, 2.0])
    assert array_cut_points(values, weights, [0.1, 0.2, 0.5, 0.6]) == [1.0, 2.0, 2.0, 3.0]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_numpy_cut_points_equal_the_hand_rule_and_the_query(seed: int) -> None:
    rng = np.random.default_rng(seed)
    # Few distinct values (ties everywhere), some zero weights, one heavy household.
    values = rng.integers(0, 40, 300).astype(np.float64) * 1000.0
    weights = rng.gamma(2.0, 50.0, 300)
    weights[rng.random(300) < 0.1] = 0.0
    weights[5] = 5000.0
    found = array_cut_points(values, weights, SHARES)
    assert found == [by_hand(list(values), list(weights), q) for q in SHARES]
    con = ibis.duckdb.connect()
    table = con.create_table("h", pa.table({"y": values, "_w": weights}))
    assert found == cut_points(table, "y", SHARES)


def test_quintiles_in_process_follow_the_cut_points() -> None:
    """A person is in quintile k when c_(k-1) < welfare <= c_k: ten households of weight 1
    at welfare 1..10 have cut points 2, 4, 6, 8, so 1-2 are in quintile 1, 9-10 in 5."""
    welfare = np.arange(1.0, 11.0)
    columns = {
        "_w": np.ones(10),
        "_y": welfare,
        "_ypre_all_social_protection": welfare[::-1].copy(),
    }
    pre_cuts = array_cut_points(
        columns["_ypre_all_social_protection"], columns["_w"], QUINTILE_SHARES
    )
    quintile_columns(columns, pre_cuts)
    assert columns["_quintile_post"].tolist() == [1, 1, 2, 2, 3, 3, 4, 4, 5, 5]
    assert columns["_quintile_pre"].tolist() == [5, 5, 4, 4, 3, 3, 2, 2, 1, 1]


def test_a_missing_value_weighs_in_the_whole_as_in_the_query() -> None:
    """The query sums every row's weight into the whole, a missing value's too (it never
    reaches a cut): values 1..4 of weight 1 and a missing one of weight 4 reach 20 % of 8 at
    2, 40 % at 4, and 60 % nowhere."""
    values = np.array([1.0, 2.0, np.nan, 3.0, 4.0])
    weights = np.array([1.0, 1.0, 4.0, 1.0, 1.0])
    found = array_cut_points(values, weights, [0.2, 0.4])
    assert found == [2.0, 4.0]
    con = ibis.duckdb.connect()
    table = con.create_table("h", pa.table({"y": [1.0, 2.0, None, 3.0, 4.0], "_w": weights}))
    assert found == cut_points(table, "y", [0.2, 0.4])
    assert np.isnan(array_cut_points(values, weights, [0.6])[0])
