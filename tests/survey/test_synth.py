"""The synthetic survey looks like a national household survey and targets the poor."""

from __future__ import annotations

from pathlib import Path

import yaml

from lindung.survey import estimate, parse_spec, synthetic_spec, synthetic_survey, write_survey


def test_synthetic_survey_has_strata_psus_of_ten_households_and_realistic_sizes() -> None:
    frame = synthetic_survey(3000, seed=2).to_pandas()
    households = frame.drop_duplicates("hhid")
    assert frame.stratum.nunique() == 20
    assert 8 <= households.groupby("psu").size().mean() <= 10
    assert 3.0 <= len(frame) / len(households) <= 4.0
    assert frame.groupby("hhid").welfare_pc.nunique().max() == 1
    assert set(frame.sex) == {1, 2} and frame.age.between(0, 95).all()


def test_the_same_seed_gives_the_same_survey() -> None:
    assert synthetic_survey(200, seed=9).equals(synthetic_survey(200, seed=9))


def test_synthetic_cash_transfers_reach_the_poorest_quintile_most(tmp_path: Path) -> None:
    data = tmp_path / "s.parquet"
    write_survey(synthetic_survey(3000, seed=4), data)
    spec = parse_spec(yaml.safe_load(yaml.safe_dump(synthetic_spec(data.name))))
    e = estimate(spec, [data]).estimates
    coverage = e[(e.indicator == "coverage") & (e.program == "pkh") & (e.by == "quintile_pre")]
    by_quintile = dict(zip(coverage.level, coverage.estimate, strict=True))
    assert by_quintile["1"] > 3 * by_quintile["5"]
