"""Properties that hold for any survey: invariance to row order, to splitting the file in two and
to scaling every weight; incidence shares over quintiles sum to one."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from lindung.survey.engine import REPEAT_ATOL, REPEAT_RTOL

from .conftest import Run, minimal_spec

SPEC = minimal_spec(
    design={"weight": "wt", "strata": "stratum", "psu": "psu", "lonely_psu": "adjust"},
    programs=[
        {"code": "cash", "area": "social_assistance", "amount": "cash", "level": "household"},
        {"code": "pension", "area": "social_insurance", "amount": "pension", "level": "person"},
    ],
    poverty_lines=[{"code": "line", "value": 20}, {"code": "p30", "relative_quantile": 0.3}],
    domains=["sex"],
)
KEYS = ["indicator", "program", "poverty_line", "by", "level"]
EXAMPLES = settings(
    max_examples=6,
    deadline=None,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)


def survey(seed: int, households: int) -> pd.DataFrame:
    """A small random survey: 2-4 strata, PSUs of 3 households, 1-5 persons each."""
    rng = np.random.default_rng(seed)
    size = rng.integers(1, 6, households)
    hh = np.repeat(np.arange(households), size)
    stratum = np.arange(households) % rng.integers(2, 5)
    welfare = np.round(rng.lognormal(3.2, 0.7, households), 2)
    cash = np.where(rng.random(households) < 0.4, rng.uniform(2, 9, households), 0.0)
    return pd.DataFrame(
        {
            "hh": hh,
            "stratum": stratum[hh],
            "psu": (np.arange(households) // 3)[hh],
            "wt": np.round(rng.uniform(50, 150, len(hh)), 1),
            "y": welfare[hh],
            "cash": cash[hh],
            "pension": np.where(rng.random(len(hh)) < 0.15, rng.uniform(5, 15, len(hh)), 0.0),
            "sex": rng.integers(1, 3, len(hh)),
        }
    )


GINI_SE_RTOL = 1e-8
"""The SEs of the Gini and its reduction in a level of a few households, when the weights are
rescaled: their linearised PSU scores are small differences of much larger terms (the totals of w D
grow with the square of the weights, the others with the weights), so a last-digit change in
the totals moves the SE by up to about 2e-10 relative (seed 50, 12 households, quintile 3;
the same before and after the plain totals moved to NumPy). Every other
estimate and SE keeps REPEAT_RTOL."""


def same(left: pd.DataFrame, right: pd.DataFrame, gini_rtol: float = REPEAT_RTOL) -> None:
    both = left.merge(right, on=KEYS, suffixes=("_a", "_b"))
    assert len(both) == len(left) == len(right)
    gini = both["indicator"].isin(["gini", "gini_reduction"]).to_numpy()
    for column in ("estimate", "se"):
        rtol = np.where(gini, gini_rtol, REPEAT_RTOL) if column == "se" else REPEAT_RTOL
        a, b = both[f"{column}_a"].to_numpy(), both[f"{column}_b"].to_numpy()
        close = np.isclose(a, b, rtol=rtol, atol=REPEAT_ATOL, equal_nan=True)
        assert close.all(), both.loc[~close, [*KEYS, f"{column}_a", f"{column}_b"]]


@EXAMPLES
@given(seed=st.integers(0, 10_000), households=st.integers(12, 40))
def test_estimates_do_not_depend_on_row_order(run: Run, seed: int, households: int) -> None:
    data = survey(seed, households)
    shuffled = data.sample(frac=1, random_state=seed).reset_index(drop=True)
    same(run(SPEC, data).estimates, run(SPEC, shuffled).estimates)


@EXAMPLES
@given(seed=st.integers(0, 10_000), households=st.integers(12, 40))
def test_a_file_split_in_two_gives_the_same_estimates(run: Run, seed: int, households: int) -> None:
    data = survey(seed, households)
    cut = len(data) // 3
    same(run(SPEC, data).estimates, run(SPEC, data.iloc[:cut], data.iloc[cut:]).estimates)


@EXAMPLES
@given(
    seed=st.integers(0, 10_000),
    households=st.integers(12, 40),
    factor=st.sampled_from([0.001, 3.0, 1000.0]),
)
def test_scaling_every_weight_changes_no_estimate_or_se(
    run: Run, seed: int, households: int, factor: float
) -> None:
    data = survey(seed, households)
    scaled = data.assign(wt=data.wt * factor)
    same(run(SPEC, data).estimates, run(SPEC, scaled).estimates, gini_rtol=GINI_SE_RTOL)


@EXAMPLES
@given(seed=st.integers(0, 10_000), households=st.integers(12, 40))
def test_incidence_shares_over_the_five_quintiles_sum_to_one(
    run: Run, seed: int, households: int
) -> None:
    e = run(SPEC, survey(seed, households)).estimates
    incidence = e[e.indicator.isin(["beneficiary_incidence", "benefit_incidence"])]
    sums = incidence.groupby(["indicator", "program", "by"]).estimate.sum(min_count=1)
    defined = sums.dropna()
    assert len(defined) > 0
    np.testing.assert_allclose(defined, 1.0, rtol=1e-12)
