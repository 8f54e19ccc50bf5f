"""Helpers for the survey engine's tests: small specs and data written to a temporary folder."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from lindung.survey import SurveyResult, estimate, parse_spec

ORACLES = Path(__file__).resolve().parents[1] / "oracles"

Run = Callable[..., SurveyResult]


def minimal_spec(**changes: Any) -> dict[str, Any]:
    """Return a small valid spec (one household-level program, one line), with changes."""
    spec: dict[str, Any] = {
        "survey": {"country": "IDN", "year": 2024, "name": "test"},
        "design": {"weight": "wt"},
        "household": "hh",
        "welfare": "y",
        "poverty_lines": [{"code": "line", "value": 20}],
        "programs": [
            {"code": "cash", "area": "social_assistance", "amount": "cash", "level": "household"}
        ],
        "indicators": "all",
    }
    spec.update(changes)
    return spec


@pytest.fixture
def run(tmp_path: Path) -> Run:
    """Return a function estimating a spec (a mapping) on data frames written as CSV files."""

    def go(spec: dict[str, Any], *frames: pd.DataFrame) -> SurveyResult:
        paths = []
        for number, frame in enumerate(frames):
            path = tmp_path / f"part{number}.csv"
            frame.to_csv(path, index=False)
            paths.append(path)
        return estimate(parse_spec(spec), paths)

    return go


def pick(
    result: SurveyResult,
    indicator: str,
    *,
    program: str = "",
    line: str = "",
    by: str = "all",
    level: str = "all",
) -> pd.Series:
    """Return the one output row for an indicator, program, line, breakdown and level."""
    e = result.estimates
    rows = e[
        (e.indicator == indicator)
        & (e.program == program)
        & (e.poverty_line == line)
        & (e.by == by)
        & (e.level == level)
    ]
    assert len(rows) == 1, f"{len(rows)} rows for {indicator} {program} {line} {by} {level}"
    return rows.iloc[0]
