"""Survey microdata to social protection indicators with design-based standard errors.

Read a spec (:func:`load_spec`), then :func:`estimate` every indicator for every program, area
and domain level; :func:`design_estimates` gives R survey's means, totals and ratios for any
columns. Heavy aggregation runs as Ibis expressions on DuckDB; the variance algebra is NumPy.
See ``docs/methodology/survey.md``.
"""

from typing import TYPE_CHECKING, Any

from lindung.survey.describe import describe
from lindung.survey.engine import COLUMNS, SurveyResult, estimate
from lindung.survey.estimators import design_estimates
from lindung.survey.output import OutputFormat, write_estimates
from lindung.survey.report import SurveyReport, SurveyWarning
from lindung.survey.spec import INDICATORS, SurveySpec, load_spec, parse_spec

if TYPE_CHECKING:
    from lindung.survey.synth import synthetic_spec, synthetic_survey, write_survey

#: Loaded on first use: making a survey brings PyArrow's CSV and Parquet writers, which
#: estimating one does not need.
_SYNTH_NAMES = ("synthetic_spec", "synthetic_survey", "write_survey")


def __getattr__(name: str) -> Any:
    if name in _SYNTH_NAMES:
        import lindung.survey.synth

        return getattr(lindung.survey.synth, name)
    raise AttributeError(f"module 'lindung.survey' has no attribute {name!r}")


__all__ = [
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
