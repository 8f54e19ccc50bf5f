"""The engine against published results (shared/data/reference_results.csv) and the World Bank's
ten-person targeting toy economy."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from lindung.survey import design_estimates
from lindung.survey.microdata import connect

from .conftest import Run, minimal_spec, pick


def _table(shared_data: Path, name: str, keep_non_null: str | None = None):  # type: ignore[no-untyped-def]
    table = connect().read_csv(str(shared_data / name))
    return table.filter(table[keep_non_null].notnull()) if keep_non_null else table


def _one(frame: pd.DataFrame, statistic: str) -> pd.Series:
    return frame[frame.statistic == statistic].iloc[0]


def test_stratified_mean_and_total_match_r_survey_on_apistrat(shared_data: Path) -> None:
    """R survey tests/api.Rout.save: svymean(~api00) 662.29 (SE 9.4089), svytotal(~enroll)
    3687178 (SE 114642) for strata=stype, fpc=fpc."""
    data = _table(shared_data, "apistrat_Rsurvey4.5.csv")
    found = design_estimates(
        data, weight="pw", strata="stype", fpc="fpc", means=["api00"], totals=["enroll"]
    )
    mean, total = _one(found, "mean"), _one(found, "total")
    assert mean.estimate == pytest.approx(662.2874, abs=1e-4)
    assert mean.se == pytest.approx(9.40894, abs=1e-5)
    assert total.estimate == pytest.approx(3687178, abs=0.5)
    assert total.se == pytest.approx(114642, abs=0.5)


def test_one_stage_cluster_mean_and_total_match_r_survey_on_apiclus1(shared_data: Path) -> None:
    """R survey tests/api.Rout.save: svymean(~api00) 644.17 (SE 23.542), svytotal(~enroll)
    3404940 (SE 932235) for ids=dnum, fpc=fpc."""
    data = _table(shared_data, "apiclus1_Rsurvey4.5.csv")
    found = design_estimates(
        data, weight="pw", psu="dnum", fpc="fpc", means=["api00"], totals=["enroll"]
    )
    mean, total = _one(found, "mean"), _one(found, "total")
    assert mean.estimate == pytest.approx(644.1694, abs=1e-4)
    assert mean.se == pytest.approx(23.54224, abs=1e-5)
    assert total.estimate == pytest.approx(3404940, abs=0.5)
    assert total.se == pytest.approx(932235, abs=0.5)


def test_stratified_cluster_mean_matches_stata_and_samplics_on_nhanes2(shared_data: Path) -> None:
    """samplics docs (= Stata svy: mean zinc): 87.182067, SE 0.494483; rows without zinc dropped."""
    data = _table(shared_data, "nhanes2_samplics.csv", keep_non_null="zinc")
    found = design_estimates(data, weight="finalwgt", strata="stratid", psu="psuid", means=["zinc"])
    assert _one(found, "mean").estimate == pytest.approx(87.182067, abs=1e-6)
    assert _one(found, "mean").se == pytest.approx(0.494483, abs=1e-6)


@pytest.mark.parametrize(("psu", "se"), [("psu", 560.0856), (None, 105.3852)])
def test_cluster_and_unclustered_totals_match_samplics_on_yrbs(
    shared_data: Path, psu: str | None, se: float
) -> None:
    """samplics tests/estimation/test_expansion.py: total of (qn8 == 1) is 7938.333."""
    data = _table(shared_data, "yrbs_Rsurvey4.5.csv", keep_non_null="qn8")
    data = data.mutate(q=(data.qn8 == 1).cast("float64"))
    found = design_estimates(data, weight="weight", psu=psu, totals=["q"])
    assert _one(found, "total").estimate == pytest.approx(7938.333, abs=1e-3)
    assert _one(found, "total").se == pytest.approx(se, abs=1e-4)


def test_gini_and_fgt_match_wbpip_on_its_abc_file(shared_data: Path, run: Run) -> None:
    """wbpip tests (md_compute_dist_stats, md_compute_poverty_stats): Gini 0.5147999; with the
    line at the unweighted mean welfare 3617167.627, headcount 0.7333513 and gap 0.3957584."""
    frame = pd.read_csv(shared_data / "wbpip_md_ABC_2000_income.csv")
    frame["hh"] = range(len(frame))
    frame["cash"] = 0.0
    spec = minimal_spec(
        design={"weight": "weight"},
        welfare="welfare",
        poverty_lines=[{"code": "mean", "value": 3617167.627}],
        indicators=["gini", "poverty_headcount", "poverty_gap"],
    )
    result = run(spec, frame)
    assert pick(result, "gini").estimate == pytest.approx(0.5147999, abs=1e-7)
    assert pick(result, "poverty_headcount", line="mean").estimate == pytest.approx(
        0.7333513, abs=1e-7
    )
    assert pick(result, "poverty_gap", line="mean").estimate == pytest.approx(0.3957584, abs=1e-7)


TOY_INCOMES = [6, 8, 11, 15, 21, 25, 30, 40, 50, 100]


def test_poverty_of_the_world_bank_ten_person_toy_economy(run: Run) -> None:
    """'Revisiting Targeting in Social Assistance' (World Bank): incomes 6..100, line 20:
    headcount 40%, total gap 40, so FGT1 = 40 / (10 x 20) = 0.2."""
    frame = pd.DataFrame({"hh": range(10), "wt": 1.0, "y": TOY_INCOMES, "cash": 0.0})
    result = run(minimal_spec(), frame)
    assert pick(result, "poverty_headcount", line="line").estimate == pytest.approx(0.4)
    assert pick(result, "poverty_gap", line="line").estimate == pytest.approx(0.2)


def test_benefit_cost_ratio_of_a_transfer_in_the_toy_economy(run: Run) -> None:
    """Hand calculation: giving 5 to the poorest (6 -> 11) and 10 to the richest (100 -> 110)
    cuts the total gap from 40 to 35: 5 of the 15 transferred reduce the gap, BCR = 1/3;
    the headcount does not change (11 < 20), the gap falls by 5/40 = 12.5%; coverage 20%."""
    post = list(TOY_INCOMES)
    post[0], post[-1] = 11, 110
    cash = [5] + [0] * 8 + [10]
    frame = pd.DataFrame({"hh": range(10), "wt": 1.0, "y": post, "cash": cash})
    result = run(minimal_spec(), frame)
    assert pick(result, "benefit_cost_ratio", program="cash", line="line").estimate == (
        pytest.approx(1 / 3)
    )
    assert pick(result, "poverty_gap_reduction", program="cash", line="line").estimate == (
        pytest.approx(5 / 40)
    )
    assert pick(result, "poverty_headcount_reduction", program="cash", line="line").estimate == (
        pytest.approx(0.0)
    )
    assert pick(result, "coverage", program="cash").estimate == pytest.approx(0.2)
    adequacy = (5 + 10) / (11 + 110)
    assert pick(result, "adequacy", program="cash").estimate == pytest.approx(adequacy)
