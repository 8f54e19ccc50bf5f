"""The Gini's linearised SE checked numerically: the Langel & Tillé (2013) influence total of a
PSU is the derivative of the Gini with respect to scaling that PSU's weights."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lindung.survey import estimate, gini, load_spec
from lindung.survey.gini import (
    SELECTED_LEVELS,
    _level_sums,
    _members,
    _partition,
    _quintile_partition,
    _Work,
)
from lindung.survey.variance import PsuDesign, variance

from .conftest import ORACLES, Run, minimal_spec, pick


def trapezoid_gini(welfare: np.ndarray, weight: np.ndarray) -> float:
    """G = 1 - sum (W_i - W_(i-1)) (L_i + L_(i-1)) over persons sorted by welfare."""
    order = np.argsort(welfare, kind="stable")
    y, w = welfare[order], weight[order]
    cum_w = np.concatenate(([0.0], np.cumsum(w) / w.sum()))
    cum_l = np.concatenate(([0.0], np.cumsum(w * y) / (w * y).sum()))
    return float(1 - np.sum(np.diff(cum_w) * (cum_l[1:] + cum_l[:-1])))


def numerical_gini_se(data: pd.DataFrame, inside: np.ndarray) -> float:
    """The design SE of the numerical PSU derivatives of the trapezoid Gini of the persons
    ``inside`` (the derivative: scale one PSU's weights by 1 +- 1e-6); the full design is kept,
    so a PSU with no one inside has a zero derivative."""
    y = data.welfare_pc.to_numpy(float)[inside]
    w = data.wt.to_numpy(float)
    psus = data[["stratum", "psu"]].drop_duplicates().sort_values(["stratum", "psu"])
    step = 1e-6
    scores = []
    for stratum, psu in psus.itertuples(index=False):
        scaled = ((data.stratum == stratum) & (data.psu == psu)).to_numpy()
        up = trapezoid_gini(y, np.where(scaled, w * (1 + step), w)[inside])
        down = trapezoid_gini(y, np.where(scaled, w * (1 - step), w)[inside])
        scores.append((up - down) / (2 * step))
    strata = pd.factorize(psus.stratum, sort=True)[0]
    fpc = data.groupby("stratum").fpc.first().sort_index().to_numpy(float)
    design = PsuDesign(stratum=strata.astype(np.int64), population=fpc)
    return float(np.sqrt(variance(np.array(scores)[:, None], design))[0])


def test_gini_se_equals_the_variance_of_numerical_psu_derivatives() -> None:
    data = pd.read_csv(ORACLES / "synthetic_survey.csv")
    result = estimate(
        load_spec(ORACLES / "synthetic_spec.yaml"), [ORACLES / "synthetic_survey.csv"]
    )
    e = result.estimates
    engine = e[(e.indicator == "gini") & (e.by == "all")].iloc[0]
    y = data.welfare_pc.to_numpy(float)
    w = data.wt.to_numpy(float)
    assert engine.estimate == pytest.approx(trapezoid_gini(y, w), rel=1e-12)

    numerical_se = numerical_gini_se(data, np.ones(len(data), dtype=bool))
    assert engine.se == pytest.approx(numerical_se, rel=1e-5)


def test_gini_of_equal_incomes_is_zero_and_of_one_earner_among_four_is_three_quarters(
    run: Run,
) -> None:
    """Hand calculation with the trapezoid formula: equal incomes give 0; one earner among n
    persons with equal weights gives 1 - 1/n."""
    equal = pd.DataFrame({"hh": range(4), "wt": 2.0, "y": 7.0, "cash": 0.0})
    one_earner = pd.DataFrame({"hh": range(4), "wt": 2.0, "y": [0, 0, 0, 10.0], "cash": 0.0})
    spec = minimal_spec(indicators=["gini"])
    assert pick(run(spec, equal), "gini").estimate == pytest.approx(0.0, abs=1e-15)
    assert pick(run(spec, one_earner), "gini").estimate == pytest.approx(0.75)


def test_the_work_arrays_gather_what_indexing_gives_call_after_call() -> None:
    # The Gini's sums gather each level's members into work arrays reused level after level;
    # each gather must give exactly what indexing gives, however long the level before it
    # (the arrays grow to the longest level met).
    rng = np.random.default_rng(3)
    size = 1000
    w, y = rng.random(size), rng.random(size)
    rows = rng.integers(0, 40, size)
    work = _Work()
    for length, dtype in ((17, np.int64), (size, np.int32), (400, np.int32), (0, np.int32)):
        ranked = rng.permutation(size)[:length].astype(dtype)
        got = work.gathered(ranked, w, y, rows)
        for found, source in zip(got, (w, y, rows), strict=True):
            assert len(found) == length
            assert found.dtype == source.dtype
            assert np.array_equal(found, source[ranked])


def test_a_level_longer_than_the_work_arrays_gets_its_own(monkeypatch: pytest.MonkeyPatch) -> None:
    # Past WORK_LEVEL a level's members are gathered into arrays of their own, and the running
    # sums run in arrays of their own: the same sums as in the work arrays.
    rng = np.random.default_rng(4)
    size, psus = 600, 30
    w, y = rng.random(size), np.sort(rng.random(size))
    rows = rng.integers(0, psus, size)
    ranked = np.arange(size, dtype=np.int32)
    held, own = np.empty(psus), np.empty(psus)
    work = _Work()
    _level_sums(*work.gathered(ranked, w, y, rows), held, work)
    monkeypatch.setattr(gini, "WORK_LEVEL", size - 1)
    small = _Work()
    gathered = small.gathered(ranked, w, y, rows)
    assert len(small.positions) == 0  # nothing held
    _level_sums(*gathered, own, small)
    assert np.array_equal(held, own)
    # The hand sum: w_k times the running sum of N_(k-1) (y_k - y_(k-1)), by PSU.
    below = np.concatenate(([0.0], np.cumsum(w[:-1])))
    steps = np.concatenate(([0.0], np.diff(y)))
    expected = np.bincount(rows, weights=w * np.cumsum(below * steps), minlength=psus)
    assert np.allclose(own, expected, rtol=1e-12, atol=0.0)


@pytest.mark.parametrize("levels", [2, 5, SELECTED_LEVELS, SELECTED_LEVELS + 4])
def test_each_levels_members_are_its_households_in_welfare_order(levels: int) -> None:
    # Picked out level by level (few levels) or sorted by level (many), the members of each
    # level of a partition are those of weight > 0 there, in the welfare order given; a
    # household in no level (weight 0 everywhere) is in none.
    rng = np.random.default_rng(levels)
    size = 2000
    level = rng.integers(-1, levels, size)
    weights = [np.where(level == i, rng.random(size) + 0.1, 0.0) for i in range(levels)]
    order = np.argsort(rng.random(size), kind="stable").astype(np.int32)
    partition = _partition(weights)
    assert partition is not None
    found = list(_members(order, partition, weights, levels))
    assert len(found) == levels
    for i, (weight, members) in enumerate(found):
        assert np.array_equal(members, [h for h in order if level[h] == i])
        assert np.array_equal(weight[members], weights[i][members])


def test_a_quintiles_partition_is_that_of_its_levels_weights() -> None:
    # Read off the quintile column and the weight, the quintiles' partition is the one their
    # per-level weights (w where the household is in that quintile, else 0) would give: the
    # same level for every household of nonzero weight, the same weight at every member.
    rng = np.random.default_rng(7)
    size = 3000
    quintile = rng.integers(1, 6, size).astype(float)
    quintile[rng.random(size) < 0.05] = np.nan
    w = rng.random(size) + 0.5
    w[rng.random(size) < 0.05] = 0.0
    w[rng.random(size) < 0.05] = np.nan
    weighs = np.nan_to_num(w, nan=0.0)
    by_level = [np.where(quintile == q, weighs, 0.0) for q in range(1, 6)]
    expected = _partition(by_level)
    assert expected is not None
    which, weight = _quintile_partition(quintile, w, 5)
    assert np.array_equal(which, expected[0])
    assert set(np.unique(which)) == {-1, 0, 1, 2, 3, 4}
    members = which >= 0
    assert np.array_equal(weight[members], expected[1][members])
    assert (weight[members] > 0).all()
