"""The engine's shortcuts give the numbers of the plain way: totals regrouped from finer cells,
variances as g'Vg, the Gini's running sums over the household rows or stacked by level, and a
run held to one thread. Each is checked against the direct computation (written here) or
against the engine with the shortcut turned off."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

import lindung.survey.engine as engine
from lindung.survey import estimate, load_spec
from lindung.survey.totals import PartTotals
from lindung.survey.variance import PsuDesign, linearised_variances, variance
from lindung.survey.welfare import PARTS_PER_BREAKDOWN, Cells, DomainSpread

from .conftest import ORACLES, Run, minimal_spec, pick

KEYS = ["indicator", "program", "poverty_line", "by", "level"]


def test_regrouped_totals_are_the_sums_over_the_rows_sharing_a_new_part_and_psu() -> None:
    totals = PartTotals(
        columns=["a", "b"],
        part=np.array([7, 8, 7, 9, 8]),
        row=np.array([0, 0, 1, 0, 1]),
        n=np.array([1, 2, 3, 4, 5]),
        values=np.array([[1.0, 10], [2, 20], [3, 30], [4, 40], [5, 50]]),
    )
    coarse = totals.regrouped(np.array([1, 1, 1, 2, 1]))
    found = {
        (p, r): (n, *v)
        for p, r, n, v in zip(coarse.part, coarse.row, coarse.n, coarse.values, strict=True)
    }
    assert found == {(1, 0): (3, 3.0, 30.0), (1, 1): (8, 8.0, 80.0), (2, 0): (4, 4.0, 40.0)}


def test_cells_decode_to_the_quintiles_and_the_household_level_domains() -> None:
    """A cell is (quintile_pre x 8 + quintile_post) x levels + level, one digit per domain."""
    urban = DomainSpread(number=3, domain=0, households=4, level_rows=(3, 1), complete=True)
    region = DomainSpread(number=5, domain=2, households=4, level_rows=(1, 1, 2), complete=True)
    cells = Cells([urban, region])
    pre, post, u, r = np.array([1, 5, 2]), np.array([2, 5, 1]), np.array([0, 1, 1]), [2, 0, 1]
    codes = ((pre * 8 + post) * 2 + u) * 3 + np.array(r)
    base = PARTS_PER_BREAKDOWN
    assert list(cells.parts(codes, "all", 0)) == [0, 0, 0]
    assert list(cells.parts(codes, "quintile_pre", 1)) == list(base + pre)
    assert list(cells.parts(codes, "quintile_post", 2)) == list(2 * base + post)
    assert list(cells.parts(codes, "urban", 3)) == list(3 * base + u)
    assert list(cells.parts(codes, "region", 5)) == [5 * base + 2, 5 * base, 5 * base + 1]
    assert cells.covers(5, "region") and not cells.covers(4, "sex")


def test_linearised_variances_equal_the_variance_of_each_estimates_psu_scores() -> None:
    rng = np.random.default_rng(3)
    totals = rng.lognormal(size=(40, 6))
    design = PsuDesign(stratum=np.repeat(np.arange(8), 5), population=np.full(8, np.inf))
    gradients = rng.normal(size=(9, 6))
    direct = variance(totals @ gradients.T, design)
    np.testing.assert_allclose(linearised_variances(totals, gradients, design), direct, rtol=1e-10)


def test_the_deviations_are_the_same_bits_taken_whole_or_column_by_column(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Few PSUs are centred and scaled as one matrix, many column by column: the same
    subtraction and product for each value, so the same bits (lonely PSU and fpc included)."""
    rng = np.random.default_rng(5)
    totals = rng.lognormal(size=(30, 4))
    stratum = np.repeat(np.arange(7), [5, 1, 6, 4, 5, 4, 5])
    population = np.array([9.0, 4.0, np.inf, 12.0, 5.0, np.inf, 40.0])
    design = PsuDesign(stratum=stratum, population=population)
    whole = design.scaled_deviations(totals)
    monkeypatch.setattr("lindung.survey.variance.GATHERED_PSUS", 0)
    by_column = PsuDesign(stratum=stratum, population=population).scaled_deviations(totals)
    assert np.array_equal(whole.view(np.int64), by_column.view(np.int64))
    # A stratum with every PSU sampled (5 of 5) adds nothing; the lonely PSU keeps its score.
    assert not whole[16:21].any()
    assert np.array_equal(whole[5], totals[5] * np.sqrt(0.75))


def test_a_variance_that_is_zero_in_theory_comes_out_exactly_zero() -> None:
    """Coverage when everyone is a beneficiary: the beneficiary column equals the population
    column, and the gradient (e_B - e_one) / N cancels; g'Vg alone would leave rounding."""
    rng = np.random.default_rng(4)
    one = rng.lognormal(size=40)
    totals = np.column_stack([one, one, rng.lognormal(size=40)])
    design = PsuDesign(stratum=np.repeat(np.arange(8), 5), population=np.full(8, np.inf))
    gradients = np.array([[1.0, -1.0, 0.0]]) / one.sum()
    assert linearised_variances(totals, gradients, design)[0] == 0.0


@pytest.fixture(scope="module")
def survey(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The oracle survey with a household-level, a two-level person-level, a many-level and a
    domain whose name starts like the quintile breakdowns'."""
    folder = tmp_path_factory.mktemp("engine-parts")
    data = pd.read_csv(ORACLES / "synthetic_survey.csv")
    data["quintile_group"] = data.region
    data.to_csv(folder / "survey.csv", index=False)
    spec = yaml.safe_load((ORACLES / "synthetic_spec.yaml").read_text())
    spec["domains"] = [
        {"column": "urban"},
        {"column": "sex"},
        {"column": "age_group"},
        {"column": "quintile_group"},
    ]
    (folder / "spec.yaml").write_text(yaml.safe_dump(spec))
    return folder / "spec.yaml", folder / "survey.csv"


def _run(survey: tuple[Path, Path], threads: int | None = None) -> pd.DataFrame:
    spec, data = survey
    found = estimate(load_spec(spec), [data], threads=threads).estimates
    return found.set_index(KEYS).sort_index()


@pytest.mark.parametrize("choice", ["none", "all"])
def test_the_gini_is_the_same_whichever_domains_take_the_household_rows_query(
    survey: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch, choice: str
) -> None:
    """Every domain stacked and partitioned by level, or every domain (even age groups) in the
    query over household rows sorted once: the same estimates as the engine's own choice."""
    chosen = _run(survey)
    monkeypatch.setattr(
        engine, "wide_domains", (lambda spread: []) if choice == "none" else (lambda s: s)
    )
    forced = _run(survey)
    assert forced.index.equals(chosen.index)
    np.testing.assert_allclose(forced.estimate, chosen.estimate, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose(forced.se, chosen.se, rtol=1e-8, atol=1e-14)


def test_a_run_held_to_one_thread_gives_the_same_estimates(survey: tuple[Path, Path]) -> None:
    one = _run(survey, threads=1)
    default = _run(survey)
    assert one.index.equals(default.index)
    np.testing.assert_allclose(one.estimate, default.estimate, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(one.se, default.se, rtol=1e-10, atol=1e-15)


def test_a_domain_named_like_the_quintile_breakdowns_is_a_domain_like_any_other(
    survey: tuple[Path, Path],
) -> None:
    estimates = _run(survey)
    gini = estimates.loc[("gini", "", "", "quintile_group")]
    regions = pd.read_csv(survey[1]).region.unique()
    assert sorted(gini.index) == sorted(str(r) for r in regions)
    assert gini.estimate.notna().all()


def test_coverage_of_a_program_everyone_receives_is_one_with_an_se_of_exactly_zero(
    run: Run,
) -> None:
    rng = np.random.default_rng(5)
    data = pd.DataFrame(
        {
            "hh": range(60),
            "wt": rng.uniform(1, 5, 60),
            "y": rng.lognormal(3, 1, 60),
            "cash": rng.uniform(1, 2, 60),
        }
    )
    coverage = pick(run(minimal_spec(), data), "coverage", program="cash")
    assert coverage.estimate == 1.0
    assert coverage.se == 0.0
