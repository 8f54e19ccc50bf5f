"""Bad input: each problem is an error or a warning naming the column, the rule and the count."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
import yaml

from lindung.errors import SurveySpecError
from lindung.survey import estimate, parse_spec

from .conftest import Run, minimal_spec, pick


def people(**columns: object) -> pd.DataFrame:
    """Six persons in four households with welfare 10..40."""
    frame = pd.DataFrame(
        {
            "hh": [1, 1, 2, 3, 3, 4],
            "wt": [1.0, 1.0, 2.0, 1.5, 1.5, 3.0],
            "y": [10.0, 10.0, 15.0, 25.0, 25.0, 40.0],
            "cash": [4.0, 4.0, 0.0, 2.0, 2.0, 0.0],
            "sex": [1, 2, 1, 2, 1, 2],
        }
    )
    for name, values in columns.items():
        frame[name] = values
    return frame


def test_a_column_missing_from_the_data_is_named_with_its_role(run: Run) -> None:
    with pytest.raises(SurveySpecError, match=r"column 'income' \(welfare\) is not in the data"):
        run(minimal_spec(welfare="income"), people())


def test_a_misnamed_column_suggests_the_close_match(run: Run) -> None:
    with pytest.raises(SurveySpecError, match=r"did you mean 'wt'\?"):
        run(minimal_spec(design={"weight": "WT"}), people())


def test_non_numeric_weights_are_an_error_counting_the_rows(run: Run) -> None:
    with pytest.raises(SurveySpecError, match=r"'wt'.*must be numeric; not a number in 2 rows;"):
        run(minimal_spec(), people(wt=["1", "x", "2", "y", "1", "1"]))


def test_negative_weights_are_an_error_counting_the_rows(run: Run) -> None:
    with pytest.raises(SurveySpecError, match=r"'wt': weights must be >= 0; broken in 1 row;"):
        run(minimal_spec(), people(wt=[1.0, 1.0, -2.0, 1.5, 1.5, 3.0]))


def test_rows_with_missing_welfare_are_dropped_and_counted(run: Run) -> None:
    result = run(minimal_spec(), people(y=[10.0, 10.0, None, 25.0, 25.0, 40.0]))
    assert result.report.rows_read == 6
    assert result.report.rows_used == 5
    [warning] = [w for w in result.report.warnings if w.code == "welfare_missing"]
    assert (warning.column, warning.count) == ("y", 1)
    assert "'y': welfare is missing in 1 row;" in warning.message


def test_a_household_with_conflicting_welfare_is_an_error(run: Run) -> None:
    with pytest.raises(SurveySpecError, match=r"differs within 1 household \(2 rows\);"):
        run(minimal_spec(), people(y=[10.0, 11.0, 15.0, 25.0, 25.0, 40.0]))


def test_a_stratum_with_one_psu_fails_when_asked_to(run: Run) -> None:
    spec = minimal_spec(design={"weight": "wt", "strata": "stratum", "lonely_psu": "fail"})
    with pytest.raises(SurveySpecError, match=r"'stratum': a single PSU in 1 stratum and"):
        run(spec, people(stratum=[1, 1, 1, 1, 1, 2]))


def test_a_stratum_with_one_psu_is_a_warning_under_adjust(run: Run) -> None:
    spec = minimal_spec(design={"weight": "wt", "strata": "stratum", "lonely_psu": "adjust"})
    result = run(spec, people(stratum=[1, 1, 1, 1, 1, 2]))
    [warning] = [w for w in result.report.warnings if w.code == "lonely_psu"]
    assert warning.count == 1
    assert "a single PSU in 1 stratum;" in warning.message
    assert pick(result, "coverage", program="cash").se > 0


@pytest.mark.parametrize(("everyone", "empty_level"), [(1, "2"), (2, "1")])
def test_a_domain_level_with_no_one_in_it_is_missing_with_a_reason(
    run: Run, everyone: int, empty_level: str
) -> None:
    # The first or the last declared level empty: the other holds everyone, so its estimates
    # are the national ones (the oracle), whichever query (wide or stacked) computed them.
    spec = minimal_spec(domains=[{"column": "sex", "dimension": "sex", "codes": {1: "M", 2: "F"}}])
    result = run(spec, people(sex=everyone))
    empty = pick(result, "coverage", program="cash", by="sex", level=empty_level)
    assert pd.isna(empty.estimate) and empty.note == "undefined: empty domain"
    assert empty.n_obs == 0
    [warning] = [w for w in result.report.warnings if (w.code, w.column) == ("empty_domain", "sex")]
    assert f"level '{empty_level}' has no one in it" in warning.message
    for indicator in ("coverage", "gini"):
        program = "cash" if indicator == "coverage" else ""
        whole = pick(result, indicator, program=program)
        level = pick(result, indicator, program=program, by="sex", level=str(everyone))
        assert level.estimate == pytest.approx(whole.estimate, rel=1e-12), indicator
        assert level.se == pytest.approx(whole.se, rel=1e-9), indicator


def test_an_empty_level_beside_populated_ones_leaves_them_their_estimates(run: Run) -> None:
    spec = minimal_spec(domains=[{"column": "sex", "codes": {1: "M", 2: "F", 3: "X"}}])
    result = run(spec, people())
    empty = pick(result, "coverage", program="cash", by="sex", level="3")
    assert pd.isna(empty.estimate) and empty.note == "undefined: empty domain"
    [warning] = [w for w in result.report.warnings if (w.code, w.column) == ("empty_domain", "sex")]
    assert "level '3' has no one in it" in warning.message
    # Persons 1, 3, 5 are level 1 (welfare 10, 15, 25; weights 1, 2, 1.5; cash 4, 0, 2):
    # coverage = (1 + 1.5) / (1 + 2 + 1.5), by hand.
    level_1 = pick(result, "coverage", program="cash", by="sex", level="1")
    assert level_1.estimate == pytest.approx(2.5 / 4.5, rel=1e-12)
    assert pick(result, "coverage", program="cash", by="sex", level="2").n_obs == 3


def test_an_undefined_ratio_is_missing_never_zero(run: Run) -> None:
    result = run(minimal_spec(), people(cash=0.0))
    adequacy = pick(result, "adequacy", program="cash")
    assert pd.isna(adequacy.estimate)
    assert adequacy.note.startswith("undefined: no beneficiaries")
    assert pick(result, "coverage", program="cash").estimate == 0.0


def test_an_unreadable_file_is_an_error_naming_it(tmp_path: Path) -> None:
    broken = tmp_path / "broken.parquet"
    broken.write_bytes(b"not parquet at all")
    with pytest.raises(SurveySpecError, match=r"broken.parquet: unreadable data file"):
        estimate(parse_spec(minimal_spec()), [broken])


def test_a_country_outside_asean_is_refused() -> None:
    with pytest.raises(SurveySpecError, match=r"survey.country 'FRA' is not an ASEAN member"):
        parse_spec(minimal_spec(survey={"country": "FRA", "year": 2024}))


def test_a_line_with_both_a_value_and_a_quantile_is_refused() -> None:
    line = {"code": "odd", "value": 5, "relative_quantile": 0.2}
    with pytest.raises(SurveySpecError, match=r"poverty_lines.0.*exactly one of value"):
        parse_spec(minimal_spec(poverty_lines=[line]))


@pytest.mark.parametrize("suffix", [".dta", ".sav", ".parquet"])
def test_stata_spss_and_parquet_files_give_the_same_estimates_as_csv(
    tmp_path: Path, suffix: str
) -> None:
    import pyreadstat

    frame = people()
    csv = tmp_path / "people.csv"
    frame.to_csv(csv, index=False)
    other = tmp_path / f"people{suffix}"
    if suffix == ".dta":
        frame.to_stata(other, write_index=False)
    elif suffix == ".sav":
        pyreadstat.write_sav(frame, str(other))
    else:
        frame.to_parquet(other, index=False)
    spec = parse_spec(minimal_spec())
    expected = estimate(spec, [csv]).estimates
    found = estimate(spec, [other]).estimates
    pd.testing.assert_series_equal(found.estimate, expected.estimate)
    pd.testing.assert_series_equal(found.se, expected.se)


def test_a_relative_line_of_zero_leaves_only_its_gaps_undefined(run: Run) -> None:
    """A fifth of the people (household 1, weight 2 of 10) have no welfare before transfers, so
    the 0.2 quantile line is 0: its gap is 0/0, and nothing else may turn NaN."""
    spec = minimal_spec(
        poverty_lines=[{"code": "line", "value": 20}, {"code": "p20", "relative_quantile": 0.2}],
        domains=["sex"],
    )
    result = run(spec, people(y=[4.0, 4.0, 15.0, 25.0, 25.0, 40.0], cash=[8.0, 8.0, 0, 2, 2, 0]))
    assert result.poverty_lines["p20"] == 0.0
    estimates = result.estimates
    line = estimates[estimates.poverty_line == "p20"]
    assert set(line.poverty_line_value) == {0.0}
    for indicator in ("poverty_gap", "poverty_gap_reduction"):
        rows = line[(line.indicator == indicator) & (line.n_obs > 0)]
        assert len(rows) > 0 and rows.estimate.isna().all() and rows.se.isna().all()
        assert (
            rows.note == "undefined: poverty line 'p20' is 0 (the poverty gap divides by the line)"
        ).all()
    headcount = line[(line.indicator == "poverty_headcount") & (line.n_obs > 0)]
    assert (headcount.estimate == 0.0).all() and (headcount.se == 0.0).all()
    others = estimates[~estimates.indicator.isin(["poverty_gap", "poverty_gap_reduction"])]
    defined = others[others.note == ""]
    assert len(defined) > 0 and defined.se.notna().all()
    assert pick(result, "coverage", program="cash", by="sex", level="1").se > 0
    assert pick(result, "poverty_gap", line="line").se > 0
    [warning] = [w for w in result.report.warnings if w.code == "poverty_line_zero"]
    assert warning.column == "p20"


def test_an_amount_without_the_receipt_flag_is_not_a_transfer(run: Run) -> None:
    """With a receipt flag, T = household amount / size for flagged households only (the docs'
    Transfers paragraph): household 3's amount of 2 counts for nothing, with a warning."""
    spec = minimal_spec(
        programs=[{"code": "cash", "area": "social_assistance", "amount": "cash", "receipt": "got"}]
    )
    result = run(spec, people(got=[1, 0, 0, 0, 0, 0]))
    assert pick(result, "coverage", program="cash").estimate == pytest.approx(2 / 10)
    # Beneficiaries: household 1 only (T = 4 / 2 persons, welfare 10).
    assert pick(result, "adequacy", program="cash").estimate == pytest.approx(2 / 10)
    [warning] = [w for w in result.report.warnings if w.code == "amount_without_receipt"]
    assert (warning.column, warning.count) == ("cash", 1)
    assert "a cash amount in 1 household with no member with 'got' set;" in warning.message


def test_every_warning_code_is_known_and_documented() -> None:
    from lindung.survey.report import WARNING_CODES, SurveyWarning

    with pytest.raises(ValueError, match="unknown survey warning code"):
        SurveyWarning("not_a_code", "message")
    page = (Path(__file__).resolve().parents[2] / "docs/methodology/survey.md").read_text("utf-8")
    for code in WARNING_CODES:
        assert f"`{code}`" in page, code


def test_describe_counts_households_within_their_stratum(tmp_path: Path) -> None:
    """Household 1 of stratum 1 and household 1 of stratum 2 are two households (nest=TRUE)."""
    from lindung.survey import describe

    path = tmp_path / "nested.csv"
    people(
        hh=[1, 1, 2, 1, 1, 2], stratum=[1, 1, 1, 2, 2, 2], y=[10.0, 10.0, 15, 25, 25, 40]
    ).to_csv(path, index=False)
    spec = parse_spec(minimal_spec(design={"weight": "wt", "strata": "stratum"}))
    measures = {row["measure"]: row["value"] for row in describe(spec, [path])}
    assert measures["households"] == 4
    result = estimate(spec, [path])
    assert result.design["psus"] == 4


def test_describe_reads_strata_psus_and_households_as_the_estimator_does(tmp_path: Path) -> None:
    """A stratum written 1, true and TRUE is one stratum to the estimator (a yes/no column
    reads 1/0 from every format), so describe counts it once too: by hand, strata {1, 0}, PSUs
    {(1, a), (1, b), (0, c)}, households {(1, 1), (1, 2), (0, 3), (0, 4)}."""
    from lindung.survey import describe

    path = tmp_path / "coded.parquet"
    people(
        stratum=pd.array(["1", "true", "TRUE", "0", "false", "FALSE"], dtype="string"),
        psu=pd.array(["a", "a", "b", "c", "c", "c"], dtype="string"),
        hh=pd.array(["1", "1", "2", "3", "3", "4"], dtype="string"),
    ).to_parquet(path, index=False)
    spec = parse_spec(minimal_spec(design={"weight": "wt", "strata": "stratum", "psu": "psu"}))
    measures = {row["measure"]: row["value"] for row in describe(spec, [path])}
    assert (measures["strata"], measures["PSUs"], measures["households"]) == (2, 3, 4)
    assert measures["strata with one PSU (lonely)"] == 1
    design = estimate(spec, [path]).design
    assert (design["strata"], design["psus"]) == (2, 3)


def test_each_domain_column_with_missing_values_keeps_its_own_warning(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    # Two domains, each with its own missing rows (2 and 1): two warnings, counted apart.
    data = tmp_path / "people.csv"
    people(sex=[1, None, 1, 2, None, 2], disab=["Yes", "No", None, "No", "Yes", "No"]).to_csv(
        data, index=False
    )
    spec = tmp_path / "spec.yaml"
    domains = [
        {"column": "sex", "dimension": "sex", "codes": {1: "M", 2: "F"}},
        {"column": "disab", "dimension": "disability_status", "codes": {"Yes": "PD", "No": "PWD"}},
    ]
    spec.write_text(yaml.safe_dump(minimal_spec(domains=domains)), encoding="utf-8")
    done = cli(
        "survey", "estimate", str(spec), "--data", str(data), "--out", str(tmp_path / "e.csv")
    )
    assert done.exit_code == 0, done.stderr
    said = " ".join((done.stdout + done.stderr).split())
    assert "warning (domain_missing): column 'sex': domain value missing in 2 rows" in said
    assert "warning (domain_missing): column 'disab': domain value missing in 1 row;" in said
