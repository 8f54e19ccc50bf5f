"""Repeated runs: within the documented bound on all cores, identical on one thread."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from lindung.survey import estimate, parse_spec, synthetic_spec, synthetic_survey, write_survey
from lindung.survey.engine import REPEAT_ATOL, REPEAT_RTOL

KEYS = ["indicator", "program", "poverty_line", "by", "level"]


@pytest.fixture(scope="module")
def survey(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("repeat") / "survey.parquet"
    write_survey(synthetic_survey(3000, 8), path)
    return path


def runs(path: Path, threads: int | None) -> pd.DataFrame:
    spec = parse_spec(synthetic_spec(path.name))
    first, second = (estimate(spec, [path], threads=threads).estimates for _ in range(2))
    both = first.merge(second, on=KEYS, suffixes=("_a", "_b"), validate="one_to_one")
    assert len(both) == len(first) == len(second)
    return both


def test_runs_on_all_cores_agree_within_the_documented_bound(survey: Path) -> None:
    both = runs(survey, None)
    for column in ("estimate", "se"):
        a, b = both[f"{column}_a"], both[f"{column}_b"]
        allowed = REPEAT_RTOL * np.maximum(a.abs(), b.abs()) + REPEAT_ATOL
        assert (a.isna() == b.isna()).all(), column
        assert ((a - b).abs() <= allowed)[a.notna()].all(), column


def test_runs_on_one_thread_are_identical(survey: Path) -> None:
    both = runs(survey, 1)
    for column in ("estimate", "se"):
        a, b = both[f"{column}_a"], both[f"{column}_b"]
        assert ((a == b) | (a.isna() & b.isna())).all(), column
