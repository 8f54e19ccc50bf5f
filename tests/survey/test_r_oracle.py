"""The engine against R survey 4.1.1 on a synthetic survey: tests/oracles/r_survey_oracle.R wrote
the fixtures (svymean, svytotal, svyratio, svyby; fpc; lonely PSUs; every indicator)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from lindung.survey import design_estimates, estimate, load_spec
from lindung.survey.microdata import connect

from .conftest import ORACLES

DATA = ORACLES / "synthetic_survey.csv"
ESTIMATE_RTOL = 1e-9
SE_RTOL = 1e-6
SE_ATOL = 1e-7  # SEs that are zero in theory come out as rounding noise on either side

DESIGNS = {
    "fpc": {"strata": "stratum", "psu": "psu", "fpc": "fpc"},
    "no_fpc": {"strata": "stratum", "psu": "psu"},
    "no_strata": {"psu": "psu"},
    "lonely_adjust": {
        "strata": "stratum_lonely",
        "psu": "psu",
        "fpc": "fpc",
        "lonely_psu": "adjust",
    },
    "lonely_remove": {
        "strata": "stratum_lonely",
        "psu": "psu",
        "fpc": "fpc",
        "lonely_psu": "remove",
    },
    "lonely_certainty": {
        "strata": "stratum_lonely",
        "psu": "psu",
        "fpc": "fpc",
        "lonely_psu": "certainty",
    },
}


def _fixture(name: str) -> pd.DataFrame:
    frame = pd.read_csv(
        ORACLES / name,
        dtype={"level": str},
        keep_default_na=False,
        na_values={"estimate": ["NA"], "se": ["NA"]},
    )
    frame["estimate"] = pd.to_numeric(frame["estimate"])
    frame["se"] = pd.to_numeric(frame["se"])
    return frame


@pytest.mark.parametrize("case", list(DESIGNS))
@pytest.mark.parametrize("by", ["all", "urban", "sex", "age_group"])
def test_means_totals_and_ratios_match_r_survey(case: str, by: str) -> None:
    """R survey svymean/svytotal/svyratio (by = all) and svyby (domains keep the full design)."""
    expected = _fixture("r_survey_estimators.csv")
    expected = expected[(expected.case == case) & (expected.by == by)]
    data = connect().read_csv(str(DATA))
    found = design_estimates(
        data,
        weight="wt",
        by=None if by == "all" else by,
        means=["welfare_pc"],
        totals=["pkh_amt"],
        ratios=[("pkh_amt", "welfare_pc")],
        **DESIGNS[case],
    )
    both = expected.merge(found, on=["statistic", "variable", "level"], suffixes=("_r", ""))
    assert len(both) == len(expected) > 0
    np.testing.assert_allclose(both.estimate, both.estimate_r, rtol=ESTIMATE_RTOL)
    np.testing.assert_allclose(both.se, both.se_r, rtol=SE_RTOL)


@pytest.fixture(scope="module")
def indicators() -> pd.DataFrame:
    """The engine's estimates for the oracle spec, joined to R's."""
    result = estimate(load_spec(ORACLES / "synthetic_spec.yaml"), [DATA])
    expected = _fixture("r_survey_indicators.csv")
    keys = ["indicator", "program", "poverty_line", "by", "level"]
    both = expected.merge(result.estimates, on=keys, how="left", suffixes=("_r", ""))
    assert len(both) == len(expected)
    return both


@pytest.mark.parametrize(
    "indicator",
    [
        "coverage",
        "adequacy",
        "beneficiary_incidence",
        "benefit_incidence",
        "poverty_headcount",
        "poverty_gap",
        "poverty_headcount_reduction",
        "poverty_gap_reduction",
        "benefit_cost_ratio",
        "gini",
        "gini_reduction",
    ],
)
def test_indicator_estimates_and_ses_match_r_survey(
    indicators: pd.DataFrame, indicator: str
) -> None:
    """R: svyratio / svyby(svyratio) on the indicator's scores; the Gini's SE is svytotal on the
    Langel-Tillé influence function written in R."""
    rows = indicators[indicators.indicator == indicator]
    assert len(rows) > 0
    assert (rows.estimate.isna() == rows.estimate_r.isna()).all()
    defined = rows[rows.estimate_r.notna()]
    np.testing.assert_allclose(defined.estimate, defined.estimate_r, rtol=ESTIMATE_RTOL, atol=1e-12)
    np.testing.assert_allclose(defined.se, defined.se_r, rtol=SE_RTOL, atol=SE_ATOL)


def test_undefined_estimates_say_why(indicators: pd.DataFrame) -> None:
    """Where R gives NA (a zero denominator) the engine reports a missing value with a reason."""
    undefined = indicators[indicators.estimate_r.isna()]
    assert len(undefined) > 0
    assert undefined.note.str.startswith("undefined: ").all()
