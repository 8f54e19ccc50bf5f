"""Lindung's exceptions: each says what went wrong and what the user can do about it.

The tree::

    LindungError
    ├── FrameworkError            a catalogue that is malformed, or a code it does not define
    │   ├── CatalogueInvalid      a catalogue file fails validation (lists every problem)
    │   └── UnknownCode           a series, country or codelist code the framework does not know
    ├── StoreError                the database cannot be reached, initialised or written
    │   └── NotFound              a submission, survey run or user that does not exist
    ├── ValidationFailed          a submission file has error-level findings (carries them)
    ├── SubmissionError           a workflow step that is not allowed in the current state
    ├── PermissionDenied          the acting user's role or country does not allow the action
    ├── SurveySpecError           a survey spec or microdata file that cannot be used as given
    └── AssessmentError           an assessment that cannot be made from the data given

Every message is one line a user can act on; the CLI prints it without a traceback.
"""

from __future__ import annotations

__all__ = [
    "AssessmentError",
    "CatalogueInvalid",
    "FrameworkError",
    "LindungError",
    "NotFound",
    "PermissionDenied",
    "StoreError",
    "SubmissionError",
    "SurveySpecError",
    "UnknownCode",
    "ValidationFailed",
]


class LindungError(Exception):
    """Base of every error Lindung raises on purpose."""


class FrameworkError(LindungError):
    """The indicator framework is malformed or does not define what was asked for."""


class CatalogueInvalid(FrameworkError):
    """A catalogue failed validation; ``problems`` lists each as 'file: entry: field: message'."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"the catalogue is invalid: {shown}{more}")


class UnknownCode(FrameworkError):
    """A code (series, country, disaggregation) that the framework does not define."""

    def __init__(self, kind: str, code: str, hint: str = "") -> None:
        self.kind = kind
        self.code = code
        message = f"unknown {kind} {code!r}"
        super().__init__(f"{message}; {hint}" if hint else message)


class StoreError(LindungError):
    """The database cannot be reached, initialised or written."""


class NotFound(StoreError):
    """A record asked for by identifier does not exist."""


class ValidationFailed(LindungError):
    """A submission has error-level findings; ``findings`` holds them all."""

    def __init__(self, message: str, findings: list[object] | None = None) -> None:
        self.findings = findings or []
        super().__init__(message)


class SubmissionError(LindungError):
    """A workflow transition that the submission's current state does not allow."""


class PermissionDenied(LindungError):
    """The acting user may not do this (role, or a country other than their own)."""


class SurveySpecError(LindungError):
    """A survey spec or microdata file that cannot be estimated from as given."""


class AssessmentError(LindungError):
    """An assessment that cannot be made from the data given."""
