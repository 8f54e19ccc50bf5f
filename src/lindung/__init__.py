"""Lindung: the instrument of the ASEAN Social Protection Monitoring Framework.

The public surface for use from Python; the packages (``lindung.framework``, ``lindung.store``,
``lindung.ingest``, ``lindung.survey``, ``lindung.assess``) hold the rest.
"""

import logging as _logging
from importlib.metadata import version as _version
from typing import TYPE_CHECKING, Any

from lindung.errors import (
    AssessmentError,
    CatalogueInvalid,
    FrameworkError,
    LindungError,
    NotFound,
    PermissionDenied,
    StoreError,
    SubmissionError,
    SurveySpecError,
    UnknownCode,
    ValidationFailed,
)
from lindung.framework import Catalogue, Indicator, MemberState, load_catalogue

if TYPE_CHECKING:
    from lindung.survey import SurveyResult, SurveySpec, estimate, load_spec

__version__ = _version("lindung")

# Quiet unless the application asks: `lindung --verbose`, or a handler of its own.
_logging.getLogger("lindung").addHandler(_logging.NullHandler())

#: Loaded on first use: the survey engine brings Ibis and DuckDB, which other uses do not need.
_SURVEY_NAMES = ("SurveyResult", "SurveySpec", "estimate", "load_spec")


def __getattr__(name: str) -> Any:
    if name in _SURVEY_NAMES:
        import lindung.survey

        return getattr(lindung.survey, name)
    raise AttributeError(f"module 'lindung' has no attribute {name!r}")


__all__ = [
    "AssessmentError",
    "Catalogue",
    "CatalogueInvalid",
    "FrameworkError",
    "Indicator",
    "LindungError",
    "MemberState",
    "NotFound",
    "PermissionDenied",
    "StoreError",
    "SubmissionError",
    "SurveyResult",
    "SurveySpec",
    "SurveySpecError",
    "UnknownCode",
    "ValidationFailed",
    "__version__",
    "estimate",
    "load_catalogue",
    "load_spec",
]
