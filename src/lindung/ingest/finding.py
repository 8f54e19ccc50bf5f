"""What a finding is: a location, a stable code, a message and a fix in two languages.

Each finding type (the catalogue is ``lindung.ingest.findings``) is a small class with a
stable ``code``, a ``title``, a message template and a fix in English and Bahasa Indonesia,
and a severity: an ``error`` blocks the import, a ``warning`` only informs. An instance
carries the location (file, sheet, cell, row, column) and the values its templates name.
"""

from __future__ import annotations

import math
import string
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Literal

from lindung.text import counted, for_console

Severity = Literal["error", "warning"]
LANGUAGES: tuple[str, ...] = ("en", "id")


@dataclass(frozen=True)
class Location:
    """Where a finding is: a file, and a sheet and cell (xlsx) or a row and column (CSV)."""

    file: str | None = None
    sheet: str | None = None
    cell: str | None = None
    row: int | None = None
    column: str | None = None
    #: The observation's key where the file has no cells to name (an SDMX message).
    key: str | None = None

    def describe(self) -> str:
        """Return the location as a user reads it: ``Coverage!M12``, ``row 7, value`` or
        ``SI_POV_DAY1 IDN 2036, row 3, SOURCE_DETAIL``."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        parts = [self.key] if self.key else []
        if self.sheet:
            parts.append(self.sheet)
        if self.row is not None:
            parts.append(f"row {self.row}")
        if self.column:
            parts.append(self.column)
        return ", ".join(parts) or (self.file or "file")


class _Params(dict[str, Any]):
    """Template values; a name a template uses but the finding lacks prints as '?'."""

    def __missing__(self, key: str) -> str:
        return "?"


class _Template(string.Formatter):
    """Fills a message template in ``language``.

    ``{limit:~row}`` is a count with its noun: in English in the right number ("1 row",
    "20,000 rows", through ``lindung.text.counted``; ``{n:~stratum|strata}`` for an irregular
    plural), in Indonesian, whose nouns do not change, the number in the reader's format and
    the noun ("20.000 baris", ``{limit:~baris}``). A decimal number (a float) is written as
    people read it (``_decimal``), in Indonesian with its marks ("56,3"), several of them (a
    tuple) joined by commas; whole numbers that are not counts (years, row numbers) are left
    as they are. Text values have their invisible characters and line breaks written as escapes
    (``lindung.text.for_console``).
    """

    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language

    def format_field(self, value: Any, format_spec: str) -> Any:
        if format_spec.startswith("~"):
            noun, _, plural = format_spec[1:].partition("|")
            number = _number(value)
            if self.language != "en":
                shown = value if number is None else _local(number, self.language)
                return f"{shown} {noun}".rstrip()
            if number is None:  # a share such as "5%": no count to agree with
                return f"{value} {plural or noun + 's'}"
            if not noun:  # a count whose noun follows elsewhere: "the first 500 of ..."
                return counted(number, "").split(" ")[0]
            return counted(number, noun, plural or None)
        if isinstance(value, tuple):
            joint = ", " if self.language == "en" else "; "  # "0,3; 1,5": commas are decimals
            return joint.join(self.format_field(part, format_spec) for part in value)
        if isinstance(value, float) and not format_spec:
            return _decimal(value, self.language)
        if isinstance(value, str):
            # A value from the file is shown with what cannot be seen written out: an
            # 'SI_COV_BENFTS' with a zero-width space after it must not read as the real code.
            value = for_console(value, one_line=True)
        return super().format_field(value, format_spec)


def _local(number: float, language: str) -> str:
    from lindung.i18n import format_number

    if isinstance(number, float) and number.is_integer() and abs(number) < 1e15:
        number = int(number)
    return format_number(number, language)


def _decimal(number: float, language: str) -> str:
    """Return a decimal number as people read it: whole from a million on (270,626,000 rather
    than 2.70626e+08), else to six significant digits (0.3, not 0.30000000000000004); in
    Indonesian with its marks (270.626.000; 56,3)."""
    if 1e6 <= abs(number) < 1e15:
        rounded = float(round(number))
    elif math.isfinite(number):
        rounded = float(f"{number:.6g}")
    else:
        rounded = number
    if language == "en":
        return f"{rounded:,.0f}" if 1e6 <= abs(number) < 1e15 else f"{rounded:.6g}"
    return _local(rounded, language)


def _number(value: Any) -> float | None:
    """A count given as a number or as its text ("10" for a rule's tolerance), else None."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    try:
        return float(value)
    except (TypeError, ValueError):
        return None


def fill(template: str, params: Mapping[str, Any], language: str = "en") -> str:
    """Return a finding's template filled with its values in ``language`` (``_Template``)."""
    return _Template(language).vformat(template, (), _Params(params))


class Finding:
    """One thing a check found, with where it is, what it means and how to fix it."""

    code: ClassVar[str] = "finding"
    title: ClassVar[str] = "Finding"
    default_severity: ClassVar[Severity] = "error"
    template: ClassVar[dict[str, str]] = {"en": "", "id": ""}
    fix_template: ClassVar[dict[str, str]] = {"en": "", "id": ""}

    def __init__(self, location: Location, **params: Any) -> None:
        self.location = location
        self.params = params
        self.severity: Severity = self.default_severity

    def _texts(self) -> tuple[dict[str, str], dict[str, str]]:
        return self.template, self.fix_template

    def message(self, language: str = "en") -> str:
        """Return the message in ``language`` ('en' or 'id')."""
        language = _language(language)
        return fill(self._texts()[0][language], self.params, language)

    def fix(self, language: str = "en") -> str:
        """Return the suggested fix in ``language`` ('en' or 'id')."""
        language = _language(language)
        return fill(self._texts()[1][language], self.params, language)

    def as_dict(self, language: str = "en") -> dict[str, Any]:
        """Return the finding as JSON-ready data: code, severity, message, fix and location."""
        record: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "title": self.title,
            "message": self.message(language),
            "fix": self.fix(language),
            "location": self.location.describe(),
        }
        for name in ("file", "sheet", "cell", "row", "column", "key"):
            value = getattr(self.location, name)
            if value is not None:
                record[name] = value
        record["translations"] = {
            lang: {"message": self.message(lang), "fix": self.fix(lang)} for lang in LANGUAGES
        }
        return record


def _language(language: str) -> str:
    return language if language in LANGUAGES else "en"


class RuleViolation(Finding):
    """A validation rule that does not hold; code, severity and texts come from the rule."""

    title = "Validation rule"

    def __init__(
        self,
        location: Location,
        *,
        code: str,
        title: str,
        severity: Severity,
        message: dict[str, str],
        fix: dict[str, str],
        **params: Any,
    ) -> None:
        super().__init__(location, **params)
        self.rule_code = code
        self.rule_title = title
        self.severity = severity
        self._message = message
        self._fix = fix

    def _texts(self) -> tuple[dict[str, str], dict[str, str]]:
        return self._message, self._fix

    def as_dict(self, language: str = "en") -> dict[str, Any]:
        """Return the finding as JSON data; ``code`` is the rule's code."""
        record = super().as_dict(language)
        record["code"] = self.rule_code
        record["title"] = self.rule_title
        return record


def declare(
    code: str,
    title: str,
    en: str,
    id_: str,
    fix_en: str,
    fix_id: str,
    severity: Severity = "error",
) -> type[Finding]:
    """Return a finding class; every class below is declared through this one function."""
    namespace = {
        "code": code,
        "title": title,
        "default_severity": severity,
        "template": {"en": en, "id": id_},
        "fix_template": {"en": fix_en, "id": fix_id},
        "__doc__": f"{title} ({severity}): {en}",
    }
    return type("".join(part.title() for part in code.split("-")), (Finding,), namespace)
