"""The Gini of every domain level and quintile, whichever query computes its sorted sums.

Domains whose running sums are cheaper over the household rows sorted once (urban, sex: two
levels covering everyone, the second being the whole minus the first) and domains stacked and
partitioned by level (age groups; a domain with missing values) must give the same numbers: the
trapezoid Gini of the persons in the level (hand calculation in this file), and an SE equal to
the design variance of numerical PSU derivatives of that Gini.
"""

from __future__ import annotations

from pathlib import Path

import ibis
import numpy as np
import pandas as pd
import pytest
import yaml

from lindung.survey import SurveyResult, estimate, load_spec, parse_spec
from lindung.survey.gini import wide_domains
from lindung.survey.record import observations
from lindung.survey.welfare import domain_spread

from .conftest import ORACLES, minimal_spec
from .test_gini import numerical_gini_se, trapezoid_gini

DOMAINS = [
    {"column": "urban", "dimension": "urbanisation", "codes": {1: "U", 0: "R"}},
    {"column": "sex", "dimension": "sex", "codes": {1: "M", 2: "F"}},
    {
        "column": "age_group",
        "dimension": "age",
        "codes": {"0-14": "Y0T14", "15-64": "Y15T64", "65+": "Y_GE65"},
    },
    # sex is mapped already (a dimension is mapped once), so this one keeps its codes only.
    {"column": "sex_reported", "codes": {1: "M", 2: "F"}},
]


@pytest.fixture(scope="module")
def computed(tmp_path_factory: pytest.TempPathFactory) -> tuple[pd.DataFrame, SurveyResult]:
    """The oracle survey with four domains (one with a tenth of its values missing), and the
    engine's result for it."""
    folder: Path = tmp_path_factory.mktemp("gini-domains")
    data = pd.read_csv(ORACLES / "synthetic_survey.csv")
    missing = np.random.default_rng(7).random(len(data)) < 0.1
    data["sex_reported"] = data.sex.where(~missing).astype("Int64")
    data.to_csv(folder / "survey.csv", index=False)
    spec = yaml.safe_load((ORACLES / "synthetic_spec.yaml").read_text())
    spec["domains"] = DOMAINS
    spec["indicators"] = ["gini"]
    (folder / "spec.yaml").write_text(yaml.safe_dump(spec))
    return data, estimate(load_spec(folder / "spec.yaml"), [folder / "survey.csv"])


@pytest.fixture(scope="module")
def survey(computed: tuple[pd.DataFrame, SurveyResult]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The oracle survey and the engine's estimates for it."""
    return computed[0], computed[1].estimates


def weighted_quintiles(welfare: np.ndarray, weight: np.ndarray) -> np.ndarray:
    """Quintile 1..5 of each person: cut c_k = smallest y with weighted share at or below >= k/5."""
    values = np.unique(welfare)
    share = np.array([weight[welfare <= v].sum() for v in values]) / weight.sum()
    cuts = [values[np.argmax(share >= k / 5 * (1 - 1e-12))] for k in (1, 2, 3, 4)]
    return 1 + sum((welfare > c).astype(int) for c in cuts)


def members(data: pd.DataFrame, by: str, level: str) -> np.ndarray:
    if by == "quintile_post":
        quintile = weighted_quintiles(data.welfare_pc.to_numpy(float), data.wt.to_numpy(float))
        return quintile == int(level)
    return (data[by].astype("string") == level).fillna(False).to_numpy(bool)


def test_every_domain_level_has_the_gini_of_its_members(
    survey: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    data, estimates = survey
    gini = estimates[(estimates.indicator == "gini") & (estimates.by != "quintile_pre")]
    assert set(gini.by) == {"all", "quintile_post", "urban", "sex", "age_group", "sex_reported"}
    y = data.welfare_pc.to_numpy(float)
    w = data.wt.to_numpy(float)
    for row in gini.itertuples():
        inside = np.ones(len(data), bool) if row.by == "all" else members(data, row.by, row.level)
        expected = trapezoid_gini(y[inside], w[inside])
        assert row.estimate == pytest.approx(expected, rel=1e-10), (row.by, row.level)


def test_each_mapped_level_s_gini_is_stored_under_its_dimension_code(
    computed: tuple[pd.DataFrame, SurveyResult],
) -> None:
    _data, result = computed
    spec = parse_spec({**minimal_spec(domains=DOMAINS), "indicators": ["gini"]})
    stored, _notes = observations(result, spec, {})
    gini = [o for o in stored if o["series"] == "ASP_GINI"]
    estimates = result.estimates
    for column, dimension, codes in [
        ("urban", "urbanisation", {"1": "U", "0": "R"}),
        ("sex", "sex", {"1": "M", "2": "F"}),
        ("age_group", "age", {"0-14": "Y0T14", "15-64": "Y15T64", "65+": "Y_GE65"}),
    ]:
        for level, code in codes.items():
            [row] = estimates[
                (estimates.indicator == "gini")
                & (estimates.by == column)
                & (estimates.level == level)
            ].itertuples()
            [observation] = [o for o in gini if o.get(dimension) == code]
            assert observation["value"] == pytest.approx(row.estimate), (column, level)
    # One national Gini, five pre-transfer quintiles, 2 + 2 + 3 mapped levels, each once:
    # sex_reported (no dimension) and quintile_post (none in the store) are not stored.
    assert len(gini) == 1 + 5 + 2 + 2 + 3


def test_a_domain_with_missing_values_covers_only_the_persons_with_a_value(
    survey: tuple[pd.DataFrame, pd.DataFrame],
) -> None:
    data, estimates = survey
    reported = estimates[(estimates.indicator == "gini") & (estimates.by == "sex_reported")]
    assert set(reported.level) == {"1", "2"}
    assert reported.n_obs.sum() == data.sex_reported.notna().sum()


@pytest.mark.parametrize(("by", "level"), [("sex", "2"), ("sex", "1"), ("age_group", "65+")])
def test_domain_gini_se_equals_the_variance_of_numerical_psu_derivatives(
    survey: tuple[pd.DataFrame, pd.DataFrame], by: str, level: str
) -> None:
    data, estimates = survey
    row = estimates[
        (estimates.indicator == "gini") & (estimates.by == by) & (estimates.level == level)
    ].iloc[0]
    assert row.se == pytest.approx(numerical_gini_se(data, members(data, by, level)), rel=1e-5)


def test_two_level_domains_covering_everyone_are_summed_over_the_household_rows() -> None:
    """A domain goes to the wide query when its running sums (one per level but the last,
    which is the complement, when everyone has a value) cover no more rows than its stacked
    rows: so urban and sex do, four age groups and a domain with a missing value do not. Only
    urban, whose households lie each in one level, also takes its plain totals from the cells
    of the quintile pairs."""
    spec = parse_spec(
        minimal_spec(domains=[{"column": c} for c in ("urban", "sex", "age_group", "sex_reported")])
    )
    members = {
        "_n": [2, 1, 3, 1],
        "_n_0_0": [2, 0, 3, 1],
        "_n_0_1": [0, 1, 0, 0],
        "_n_1_0": [1, 1, 2, 0],
        "_n_1_1": [1, 0, 1, 1],
        "_n_2_0": [2, 0, 1, 0],
        "_n_2_1": [0, 1, 2, 0],
        "_n_2_2": [0, 0, 0, 1],
        "_n_2_3": [0, 0, 0, 0],
        "_n_3_0": [1, 1, 1, 0],
        "_n_3_1": [1, 0, 1, 1],
    }
    levels = {"urban": ["0", "1"], "sex": ["1", "2"], "age_group": ["a", "b", "c", "d"]}
    levels["sex_reported"] = ["1", "2"]
    breakdowns = ["all", "quintile_pre", "quintile_post", *levels]
    spread = domain_spread(ibis.memtable(members), spec, levels, breakdowns)
    assert [(d.number, d.levels, d.rows, d.complete) for d in spread] == [
        (3, 2, 4, True),
        (4, 2, 6, True),
        (5, 4, 5, True),
        (6, 2, 6, False),
    ]
    assert [d.number for d in wide_domains(spread)] == [3, 4]
    assert [d.number for d in spread if d.household_level] == [3]
