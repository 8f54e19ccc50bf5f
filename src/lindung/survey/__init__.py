"""Survey microdata to social protection indicators with design-based standard errors.

Read a spec (:func:`load_spec`), then :func:`estimate` every indicator for every program, area
and domain level; :func:`design_estimates` gives R survey's means, totals and ratios for any
columns. Heavy aggregation runs as Ibis expressions on DuckDB; the variance algebra is NumPy.
See ``docs/methodology/survey.md``.
"""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from lindung.survey.engine import COLUMNS, SurveyResult, estimate
    from lindung.survey.estimators import design_estimates
    from lindung.survey.output import OutputFormat, write_estimates
    from lindung.survey.report import SurveyReport, SurveyWarning
    from lindung.survey.spec import INDICATORS, SurveySpec, load_spec, parse_spec
    from lindung.survey.summary import describe
    from lindung.survey.synth import synthetic_spec, synthetic_survey, write_survey

#: Each name is loaded from its module on first use: the engine brings Ibis, DuckDB, PyArrow
#: and NumPy (half a second), which a light module of the package
#: (:mod:`lindung.survey.prepared`) must not wait for, and making a survey brings PyArrow's
#: CSV and Parquet writers, which estimating one does not need.
_MODULES = {
    "describe": "summary",
    "COLUMNS": "engine",
    "SurveyResult": "engine",
    "estimate": "engine",
    "design_estimates": "estimators",
    "OutputFormat": "output",
    "write_estimates": "output",
    "SurveyReport": "report",
    "SurveyWarning": "report",
    "INDICATORS": "spec",
    "SurveySpec": "spec",
    "load_spec": "spec",
    "parse_spec": "spec",
    "synthetic_spec": "synth",
    "synthetic_survey": "synth",
    "write_survey": "synth",
}


def __getattr__(name: str) -> Any:
    module = _MODULES.get(name)
    if module is None:
        raise AttributeError(f"module 'lindung.survey' has no attribute {name!r}")
    return getattr(importlib.import_module(f"lindung.survey.{module}"), name)


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
