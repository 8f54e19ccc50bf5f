"""What a survey run reports besides its estimates: rows read and used, and coded warnings.

A warning is a :class:`SurveyWarning` with a stable ``code`` (one of :data:`WARNING_CODES`), so
a caller can tell a lonely PSU from an empty domain without reading the message, which is for
people and may change.
"""

from __future__ import annotations

from dataclasses import dataclass, field

__all__ = ["WARNING_CODES", "SurveyReport", "SurveyWarning"]

WARNING_CODES = {
    "welfare_missing": "rows with missing welfare were left out of the estimates",
    "amount_missing": "missing transfer amounts or receipt flags were read as 0",
    "amount_without_receipt": "amounts recorded for households whose receipt flag is not set",
    "domain_missing": "persons with a missing domain value were left out of that breakdown",
    "lonely_psu": "strata with a single PSU, handled as design.lonely_psu says",
    "empty_domain": "a declared domain level has no one in it; its estimates are missing",
    "poverty_line_zero": "a relative poverty line resolved to 0; its estimates are missing",
}
"""Every warning code, with what it means."""


@dataclass(frozen=True)
class SurveyWarning:
    """One warning: its stable ``code``, a one-line ``message`` naming column, rule and count,
    and where it applies (``column``: a data column, domain or poverty line) with ``count``."""

    code: str
    message: str
    column: str = ""
    count: int = 0

    def __post_init__(self) -> None:
        if self.code not in WARNING_CODES:
            raise ValueError(f"unknown survey warning code {self.code!r}")

    def __str__(self) -> str:
        return self.message


@dataclass
class SurveyReport:
    """What happened to the input: rows read and used, and every warning raised on the way."""

    rows_read: int = 0
    rows_used: int = 0
    warnings: list[SurveyWarning] = field(default_factory=list)

    def warn(self, code: str, message: str, *, column: str = "", count: int = 0) -> None:
        """Record one warning (a one-line message naming column, rule and count)."""
        self.warnings.append(SurveyWarning(code, message, column, count))

    def codes(self) -> list[str]:
        """Return the codes of the warnings raised, in order."""
        return [warning.code for warning in self.warnings]
