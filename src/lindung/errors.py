"""Lindung's exceptions: each says what went wrong and what the user can do about it.

The tree, with each class's stable ``code``, the CLI's exit status and the web's HTTP status
(``docs/errors.md`` says what each means for users; the class docstrings say it here)::

    class                         code                 exit  HTTP
    LindungError                  error                   1  400
    ├── UsageError                usage                   2  400
    │   ├── TemplateError         template-request        2  400
    │   └── TooLarge              too-large               2  413
    ├── SettingInvalid            setting-invalid         2  500
    ├── FrameworkError            framework               1  422
    │   ├── CatalogueInvalid      catalogue-invalid       5  422
    │   ├── ExpressionError       rule-expression         5  422
    │   └── UnknownCode           unknown-code            4  404
    ├── StoreError                store-unavailable       6  503
    │   └── NotFound              not-found               4  404
    ├── ValidationFailed          validation-failed       5  422
    ├── SubmissionError           submission-state        7  409
    │   └── Conflict              conflict                7  409
    ├── PermissionDenied          permission-denied       3  403
    │   ├── Unauthenticated       unauthenticated         3  401
    │   └── TooManyAttempts       too-many-attempts       3  429
    ├── SurveySpecError           survey-spec             5  422
    ├── RegistryInputError        registry-input          5  422
    └── AssessmentError           assessment              1  422

Exit statuses: 0 success, 1 general, 2 usage, 3 permission, 4 not found, 5 validation failed,
6 store unavailable, 7 conflict with the current state. Every message is one line a user can
act on; the CLI prints it as ``Error: ...`` without a traceback.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    from lindung.ingest.findings import Finding

__all__ = [
    "AssessmentError",
    "CatalogueInvalid",
    "Conflict",
    "ExpressionError",
    "FrameworkError",
    "LindungError",
    "NotFound",
    "PermissionDenied",
    "RegistryInputError",
    "SettingInvalid",
    "StoreError",
    "SubmissionError",
    "SurveySpecError",
    "TemplateError",
    "TooLarge",
    "TooManyAttempts",
    "Unauthenticated",
    "UnknownCode",
    "UsageError",
    "ValidationFailed",
]


class LindungError(Exception):
    """Base of every error Lindung raises on purpose."""

    #: Stable identifier that the web, translations and tests rely on; never reused.
    code: ClassVar[str] = "error"
    #: The ``lindung`` command's exit status for this error.
    exit_status: ClassVar[int] = 1
    #: The status the web answers with for this error.
    http_status: ClassVar[int] = 400


class UsageError(LindungError):
    """A command option, argument or API parameter whose value cannot be used."""

    code = "usage"
    exit_status = 2
    http_status = 400


class TemplateError(UsageError):
    """A template that cannot be made as asked (bad year, language, format or path)."""

    code = "template-request"


class TooLarge(UsageError):
    """A file or request larger than its limit, refused before it is read."""

    code = "too-large"
    http_status = 413


class SettingInvalid(LindungError):
    """A ``LINDUNG_...`` environment variable whose value is not of the setting's type."""

    code = "setting-invalid"
    exit_status = 2
    # The server's own configuration is wrong: nothing the caller of the web can fix.
    http_status = 500


class FrameworkError(LindungError):
    """The indicator framework is malformed or does not define what was asked for."""

    code = "framework"
    http_status = 422


class CatalogueInvalid(FrameworkError):
    """A catalogue failed validation; ``problems`` lists each as 'file: entry: field: message'."""

    code = "catalogue-invalid"
    exit_status = 5

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        super().__init__(f"the catalogue is invalid: {shown}{more}")


class ExpressionError(FrameworkError, ValueError):
    """A rule expression that does not parse; the message says where.

    Also a ValueError, so that pydantic reports it as a field problem of the rule it is in.
    """

    code = "rule-expression"
    exit_status = 5


class UnknownCode(FrameworkError):
    """A code (series, country, disaggregation) that the framework does not define."""

    code = "unknown-code"
    exit_status = 4
    http_status = 404

    def __init__(self, kind: str, code: str, hint: str = "") -> None:
        self.kind = kind
        # The instance's ``code`` stays the class's catalogue code; the unknown one is here.
        self.unknown = code
        message = f"unknown {kind} {code!r}"
        super().__init__(f"{message}; {hint}" if hint else message)


class StoreError(LindungError):
    """The database cannot be reached, initialised or written."""

    code = "store-unavailable"
    exit_status = 6
    http_status = 503


class NotFound(StoreError):
    """A record asked for by identifier does not exist."""

    code = "not-found"
    exit_status = 4
    http_status = 404


class ValidationFailed(LindungError):
    """A submission has error-level findings; ``findings`` holds them all."""

    code = "validation-failed"
    exit_status = 5
    http_status = 422

    def __init__(self, message: str, findings: Sequence[Finding] = ()) -> None:
        self.findings: tuple[Finding, ...] = tuple(findings)
        super().__init__(message)


class SubmissionError(LindungError):
    """A workflow transition that the submission's current state does not allow."""

    code = "submission-state"
    exit_status = 7
    http_status = 409


class Conflict(SubmissionError):
    """Someone else changed the record first: a workflow step already taken by another user
    (the race lost), or a record that already exists."""

    code = "conflict"


class PermissionDenied(LindungError):
    """The acting user may not do this (role, or a country other than their own)."""

    code = "permission-denied"
    exit_status = 3
    http_status = 403


class Unauthenticated(PermissionDenied):
    """No one is logged in, or the login has expired or been revoked."""

    code = "unauthenticated"
    http_status = 401


class TooManyAttempts(PermissionDenied):
    """Too many failed sign-ins for one account or from one address in a short time;
    ``retry_after`` is how many seconds to wait before the next attempt is heard."""

    code = "too-many-attempts"
    http_status = 429

    def __init__(self, message: str, retry_after: int) -> None:
        self.retry_after = retry_after
        super().__init__(message)


class SurveySpecError(LindungError):
    """A survey spec or microdata file that cannot be estimated from as given."""

    code = "survey-spec"
    exit_status = 5
    http_status = 422


class RegistryInputError(LindungError):
    """A social registry or beneficiary list that coverage cannot be counted from as given."""

    code = "registry-input"
    exit_status = 5
    http_status = 422


class AssessmentError(LindungError):
    """An assessment that cannot be made from the data given."""

    code = "assessment"
    http_status = 422
