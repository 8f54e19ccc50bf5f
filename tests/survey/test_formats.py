"""The same data from CSV, Parquet, Stata and SPSS give the same estimates: Yes/No text stays
text, a blank string is missing in every format, 1 and 1.0 are one level, a true/false column
reads 1/0 from every format (a CSV's True/False text as a Parquet boolean and a Stata or SPSS
0/1 column)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lindung.survey import SurveyResult, estimate, parse_spec
from lindung.survey.record import observations

from .conftest import minimal_spec

SPEC = minimal_spec(
    design={"weight": "wt", "strata": "stratum", "psu": "psu"},
    programs=[
        {"code": "cash", "area": "social_assistance", "amount": "cash", "receipt": "got"},
    ],
    domains=[
        {
            "column": "disabled",
            "dimension": "disability_status",
            "codes": {"Yes": "PD", "No": "PWD"},
        },
        "region",
        {"column": "urban", "dimension": "urbanisation", "codes": {True: "U", False: "R"}},
    ],
)
FORMATS = [".csv", ".parquet", ".dta", ".sav"]


def survey() -> pd.DataFrame:
    """Forty households in two strata; text columns with Yes/No, blanks and missing values."""
    rng = np.random.default_rng(3)
    size = rng.integers(1, 4, 40)
    hh = np.repeat(np.arange(40), size)
    got = rng.random(40) < 0.4
    region = np.array(["north", "south", "east", None], dtype=object)[rng.integers(0, 4, len(hh))]
    return pd.DataFrame(
        {
            "hh": [f"H{i:03d}" for i in hh],
            "stratum": (np.arange(40) % 2)[hh],
            "psu": (np.arange(40) // 4)[hh],
            "wt": np.round(rng.uniform(50, 150, len(hh)), 1),
            "y": np.round(rng.lognormal(3.2, 0.6, 40), 2)[hh],
            "cash": np.where(got, 6.0, 0.0)[hh],
            "got": np.where(got, "Yes", "No")[hh],
            "disabled": np.where(rng.random(len(hh)) < 0.3, "Yes", "No"),
            "region": region,
            "urban": (rng.random(40) < 0.5)[hh],
        }
    )


def written(frame: pd.DataFrame, path: Path) -> Path:
    """Write ``frame`` as its suffix says, as pandas and pyreadstat do for a user."""
    import pyreadstat

    if path.suffix == ".csv":
        frame.to_csv(path, index=False)
    elif path.suffix == ".parquet":
        frame.to_parquet(path, index=False)
    elif path.suffix == ".dta":
        frame.fillna({"region": ""}).to_stata(path, write_index=False)
    else:
        pyreadstat.write_sav(frame, str(path))
    return path


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> dict[str, SurveyResult]:
    folder = tmp_path_factory.mktemp("formats")
    frame = survey()
    spec = parse_spec(SPEC)
    return {
        suffix: estimate(spec, [written(frame, folder / f"survey{suffix}")]) for suffix in FORMATS
    }


def test_a_yes_no_domain_keeps_its_declared_levels(results: dict[str, SurveyResult]) -> None:
    for suffix, result in results.items():
        rows = result.estimates[result.estimates.by == "disabled"]
        assert set(rows.level) == {"Yes", "No"}, suffix
        assert (rows.n_obs > 0).all(), suffix


def test_a_missing_string_is_no_level_of_its_own(results: dict[str, SurveyResult]) -> None:
    for suffix, result in results.items():
        rows = result.estimates[result.estimates.by == "region"]
        assert set(rows.level) == {"east", "north", "south"}, suffix
        [missing] = [w for w in result.report.warnings if w.code == "domain_missing"]
        assert missing.count == int(survey().region.isna().sum()), suffix


def test_a_true_false_domain_reads_1_and_0_from_every_format(
    results: dict[str, SurveyResult],
) -> None:
    # pandas writes the boolean as True/False text in a CSV, a boolean in Parquet, 0/1 in
    # Stata and SPSS; the spec's codes true/false are the levels 1/0 (spec._level_text).
    for suffix, result in results.items():
        rows = result.estimates[result.estimates.by == "urban"]
        assert set(rows.level) == {"1", "0"}, suffix
        assert (rows.n_obs > 0).all(), suffix
        stored, _notes = observations(result, parse_spec(SPEC), {})
        assert {o["urbanisation"] for o in stored if "urbanisation" in o} == {"U", "R"}, suffix


def test_true_false_codes_in_a_spec_read_alike_in_any_case() -> None:
    domain = {"column": "urban", "dimension": "urbanisation"}
    spelled = [{True: "U", False: "R"}, {"True": "U", "FALSE": "R"}, {" true": "U", "false": "R"}]
    for codes in spelled:
        spec = parse_spec(minimal_spec(domains=[{**domain, "codes": codes}]))
        assert spec.domains[0].codes == {"1": "U", "0": "R"}, codes


@pytest.mark.parametrize("suffix", FORMATS[1:])
def test_every_format_gives_the_estimates_of_the_csv(
    results: dict[str, SurveyResult], suffix: str
) -> None:
    keys = ["indicator", "program", "poverty_line", "by", "level"]
    csv, other = results[".csv"].estimates, results[suffix].estimates
    both = csv.merge(other, on=keys, suffixes=("_csv", ""), validate="one_to_one")
    assert len(both) == len(csv) == len(other)
    for column in ("estimate", "se", "n_obs", "pop"):
        np.testing.assert_allclose(both[column], both[f"{column}_csv"], rtol=1e-12, atol=1e-15)
    assert (both.note == both.note_csv).all()
