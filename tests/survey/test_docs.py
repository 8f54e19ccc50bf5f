"""Docs as tests: every ``lindung survey`` command and every indicator is documented."""

from __future__ import annotations

from pathlib import Path

import lindung.survey
from lindung.survey import INDICATORS
from lindung.survey.record import SERIES

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_indicator_and_its_series_is_defined_in_the_methodology() -> None:
    page = (DOCS / "methodology" / "survey.md").read_text(encoding="utf-8")
    for name in INDICATORS:
        assert f"`{name}`" in page, name
        assert SERIES[name] in page, SERIES[name]


def test_the_public_surface_is_what_users_import() -> None:
    assert sorted(lindung.survey.__all__) == [
        "COLUMNS",
        "INDICATORS",
        "OutputFormat",
        "SurveyReport",
        "SurveyResult",
        "SurveySpec",
        "SurveyWarning",
        "describe",
        "design_estimates",
        "estimate",
        "load_spec",
        "parse_spec",
        "synthetic_spec",
        "synthetic_survey",
        "write_estimates",
        "write_survey",
    ]


def test_the_repeatability_bound_is_the_documented_one() -> None:
    from lindung.survey.engine import REPEAT_ATOL, REPEAT_RTOL

    page = (DOCS / "methodology" / "survey.md").read_text(encoding="utf-8")
    assert f"|a − b| ≤ {REPEAT_RTOL:g} · max(|a|, |b|) + {REPEAT_ATOL:g}" in page
    assert "`--threads 1` repeated runs on the same file give identical numbers" in page
