"""Survey microdata to social protection indicators with design-based standard errors.

Read a spec (:func:`load_spec`), then :func:`estimate` every indicator for every program, area
and domain level; :func:`design_estimates` gives R survey's means, totals and ratios for any
columns. Heavy aggregation runs as Ibis expressions on DuckDB; the variance algebra is NumPy.
See ``docs/methodology/survey.md``.
"""

from lindung.survey.describe import describe
from lindung.survey.engine import COLUMNS, SurveyResult, estimate
from lindung.survey.estimators import design_estimates
from lindung.survey.output import OutputFormat, write_estimates
from lindung.survey.report import SurveyReport, SurveyWarning
from lindung.survey.spec import INDICATORS, SurveySpec, load_spec, parse_spec
from lindung.survey.synth import synthetic_spec, synthetic_survey, write_survey

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
