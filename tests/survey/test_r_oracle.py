"""The engine against R survey 4.1.1 on a synthetic survey: tests/oracles/r_survey_oracle.R wrote
the fixtures (svymean, svytotal, svyratio, svyby; fpc; lonely PSUs; every indicator; ids nested
in strata; missing welfare; the Gini by JK1 replicate weights)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from lindung.survey import design_estimates, estimate, load_spec, parse_spec
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


def _renumbered(ids: pd.Series, stratum: pd.Series) -> pd.Series:
    """Ids numbered from 1 within their stratum, in the order of the old ids."""
    return ids.groupby(stratum).rank(method="dense").astype(int)


def _variant(name: str) -> pd.DataFrame:
    """The oracle survey as r_survey_oracle.R changes it for the fixture ``name``."""
    data = pd.read_csv(DATA)
    if name == "nested":
        data["psu"] = _renumbered(data.psu, data.stratum)
        data["hhid"] = _renumbered(data.hhid, data.stratum)
    elif name == "na":
        first = sorted(data.stratum.unique())[:4]
        gone = data[data.stratum.isin(first)].groupby("stratum").psu.min()
        data.loc[data.psu.isin(gone), "welfare_pc"] = np.nan
    return data


def _joined(result: pd.DataFrame, fixture: str) -> pd.DataFrame:
    expected = _fixture(fixture)
    keys = ["indicator", "program", "poverty_line", "by", "level"]
    both = expected.merge(result, on=keys, how="left", suffixes=("_r", ""))
    assert len(both) == len(expected)
    return both


BLOCK_PSUS = {"whole": None, "strata_blocks": "10", "strata_pieces": "2"}
"""How the PSU totals are made: the design's 66 PSUs at once; blocks of whole strata of at
most 10 PSUs (``survey_block_psus``), each adding its share of the variances; or blocks of 2
PSUs, which cut the strata of 3 and 4 PSUs into pieces whose parts are joined."""


def _estimated(spec: Path, data: Path, blocks: str) -> pd.DataFrame:
    with pytest.MonkeyPatch.context() as patch:
        if BLOCK_PSUS[blocks] is None:
            patch.delenv("LINDUNG_SURVEY_BLOCK_PSUS", raising=False)
        else:
            patch.setenv("LINDUNG_SURVEY_BLOCK_PSUS", str(BLOCK_PSUS[blocks]))
        return estimate(load_spec(spec), [data]).estimates


@pytest.fixture(scope="module", params=list(BLOCK_PSUS))
def indicators(request: pytest.FixtureRequest) -> pd.DataFrame:
    """The engine's estimates for the oracle spec, joined to R's."""
    result = _estimated(ORACLES / "synthetic_spec.yaml", DATA, request.param)
    return _joined(result, "r_survey_indicators.csv")


def _estimated_variant(name: str, folder: Path, blocks: str = "whole") -> pd.DataFrame:
    """The engine's estimates on a changed survey, joined to R's."""
    path = folder / "survey.csv"
    _variant(name).to_csv(path, index=False)
    result = _estimated(ORACLES / "synthetic_spec.yaml", path, blocks)
    return _joined(result, f"r_survey_indicators_{name}.csv")


@pytest.fixture(scope="module")
def nested(tmp_path_factory: pytest.TempPathFactory) -> pd.DataFrame:
    return _estimated_variant("nested", tmp_path_factory.mktemp("nested"))


@pytest.fixture(scope="module", params=list(BLOCK_PSUS))
def missing_welfare(
    tmp_path_factory: pytest.TempPathFactory, request: pytest.FixtureRequest
) -> pd.DataFrame:
    return _estimated_variant("na", tmp_path_factory.mktemp("na"), request.param)


def _assert_matches_r(rows: pd.DataFrame) -> None:
    assert len(rows) > 0
    assert (rows.estimate.isna() == rows.estimate_r.isna()).all()
    defined = rows[rows.estimate_r.notna()]
    np.testing.assert_allclose(defined.estimate, defined.estimate_r, rtol=ESTIMATE_RTOL, atol=1e-12)
    np.testing.assert_allclose(defined.se, defined.se_r, rtol=SE_RTOL, atol=SE_ATOL)


@pytest.mark.parametrize("indicator", ["coverage", "adequacy", "poverty_gap", "gini"])
def test_ids_that_restart_in_every_stratum_name_different_households_and_psus(
    nested: pd.DataFrame, indicator: str
) -> None:
    """R: svydesign(nest = TRUE) with households keyed by (stratum, hhid)."""
    _assert_matches_r(nested[nested.indicator == indicator])


def test_every_estimate_matches_r_when_ids_restart_in_every_stratum(nested: pd.DataFrame) -> None:
    _assert_matches_r(nested)


def test_missing_welfare_keeps_the_psus_of_the_design_as_r_na_rm_does(
    missing_welfare: pd.DataFrame,
) -> None:
    """R: subset(design, !is.na(welfare)) (what na.rm = TRUE does): a PSU whose rows are all
    dropped still counts among its stratum's PSUs."""
    _assert_matches_r(missing_welfare)


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


def test_the_linearised_gini_se_approaches_r_jackknife_on_a_plain_gini() -> None:
    """R: as.svrepdesign(type = "JK1") on the design without strata, withReplicates on the
    weighted mean absolute difference sum w_i w_j |y_i - y_j| / (2 N Y): no sorting and no
    influence function shared with the engine. The estimates agree to rounding. The SEs are
    asymptotically equivalent (Krewski & Rao 1981) and differ at these sizes by terms of
    relative order 1/n, n the PSUs with anyone in the level (66, 37 and 29 here): the test
    allows 2/n."""
    raw = yaml.safe_load((ORACLES / "synthetic_spec.yaml").read_text(encoding="utf-8"))
    raw.update(design={"weight": "wt", "psu": "psu"}, indicators=["gini"], poverty_lines=[])
    found = estimate(parse_spec(raw), [DATA]).estimates
    expected = pd.read_csv(ORACLES / "r_survey_jackknife.csv", dtype={"level": str})
    both = expected.merge(found, on=["by", "level"], suffixes=("_r", ""), validate="one_to_one")
    assert len(both) == 3
    np.testing.assert_allclose(both.estimate, both.estimate_r, rtol=1e-12)
    data = pd.read_csv(DATA)
    psus = {"all": data.psu.nunique(), **data.groupby(data.urban.astype(str)).psu.nunique()}
    for row in both.itertuples():
        allowed = 2 / psus[str(row.level)]
        assert abs(row.se / row.se_r - 1) < allowed, (row.level, row.se, row.se_r)
