"""Bad input: each problem is an error or a warning naming the column, the rule and the count."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

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
    with pytest.raises(SurveySpecError, match=r"'wt'.*must be numeric: 2 rows are not numbers"):
        run(minimal_spec(), people(wt=["1", "x", "2", "y", "1", "1"]))


def test_negative_weights_are_an_error_counting_the_rows(run: Run) -> None:
    with pytest.raises(SurveySpecError, match=r"'wt': weights must be >= 0, but 1 rows break it"):
        run(minimal_spec(), people(wt=[1.0, 1.0, -2.0, 1.5, 1.5, 3.0]))


def test_rows_with_missing_welfare_are_dropped_and_counted(run: Run) -> None:
    result = run(minimal_spec(), people(y=[10.0, 10.0, None, 25.0, 25.0, 40.0]))
    assert result.report.rows_read == 6
    assert result.report.rows_used == 5
    assert any("'y': welfare is missing in 1 rows" in w for w in result.report.warnings)


def test_a_household_with_conflicting_welfare_is_an_error(run: Run) -> None:
    with pytest.raises(SurveySpecError, match=r"1 households \(2 rows\) have differing values"):
        run(minimal_spec(), people(y=[10.0, 11.0, 15.0, 25.0, 25.0, 40.0]))


def test_a_stratum_with_one_psu_fails_when_asked_to(run: Run) -> None:
    spec = minimal_spec(design={"weight": "wt", "strata": "stratum", "lonely_psu": "fail"})
    with pytest.raises(SurveySpecError, match=r"'stratum': 1 strata have a single PSU"):
        run(spec, people(stratum=[1, 1, 1, 1, 1, 2]))


def test_a_stratum_with_one_psu_is_a_warning_under_adjust(run: Run) -> None:
    spec = minimal_spec(design={"weight": "wt", "strata": "stratum", "lonely_psu": "adjust"})
    result = run(spec, people(stratum=[1, 1, 1, 1, 1, 2]))
    assert any("1 strata have a single PSU" in w for w in result.report.warnings)
    assert pick(result, "coverage", program="cash").se > 0


def test_a_domain_level_with_no_one_in_it_is_missing_with_a_reason(run: Run) -> None:
    spec = minimal_spec(
        domains=[{"column": "sex", "dimension": "sex", "codes": {1: "M", 2: "F", 3: "X"}}]
    )
    result = run(spec, people())
    empty = pick(result, "coverage", program="cash", by="sex", level="3")
    assert pd.isna(empty.estimate) and empty.note == "undefined: empty domain"
    assert empty.n_obs == 0
    assert any("level '3' has no one in it" in w for w in result.report.warnings)


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
