"""The survey spec: which columns hold the design, welfare, programs and breakdowns.

A spec is YAML (see ``docs/methodology/survey.md``); :func:`load_spec` reads and checks it and
returns a :class:`SurveySpec`. Every problem is a :class:`~lindung.errors.SurveySpecError` whose
one-line message names the entry, the rule and the fix.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from lindung.errors import SurveySpecError, UnknownCode
from lindung.framework import load_catalogue

__all__ = [
    "AREAS",
    "AREA_UNITS",
    "INDICATORS",
    "Design",
    "DomainSpec",
    "PovertyLine",
    "Program",
    "SurveyInfo",
    "SurveySpec",
    "load_spec",
    "parse_spec",
]

AREAS = ("social_assistance", "social_insurance", "labour_market")
"""Program areas, as in the World Bank's ASPIRE classification."""

AREA_UNITS = {
    "social_assistance": "all_social_assistance",
    "social_insurance": "all_social_insurance",
    "labour_market": "all_labour_market",
}
"""The aggregate reported for each area; ``all_social_protection`` aggregates every program."""

INDICATORS = (
    "coverage",
    "beneficiary_incidence",
    "benefit_incidence",
    "adequacy",
    "poverty_headcount",
    "poverty_gap",
    "poverty_headcount_reduction",
    "poverty_gap_reduction",
    "gini",
    "gini_reduction",
    "benefit_cost_ratio",
)
"""Every indicator the engine computes, in output order."""

_CODE = r"^[a-z][a-z0-9_]*$"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SurveyInfo(_Strict):
    """Which survey this is: the member state (ISO3), the year and a name."""

    country: str
    year: int = Field(ge=1900, le=2100)
    name: str = ""


class Design(_Strict):
    """The sampling design's columns, as R survey's ``svydesign`` takes them."""

    weight: str
    strata: str | None = None
    psu: str | None = None
    fpc: str | None = None
    lonely_psu: Literal["adjust", "remove", "certainty", "fail"] = "adjust"


class PovertyLine(_Strict):
    """A poverty line: an absolute ``value`` or a weighted ``relative_quantile`` of welfare."""

    code: str = Field(pattern=_CODE)
    value: float | None = Field(default=None, gt=0)
    relative_quantile: float | None = Field(default=None, gt=0, lt=1)

    @model_validator(mode="after")
    def _one_kind(self) -> PovertyLine:
        if (self.value is None) == (self.relative_quantile is None):
            raise ValueError("give exactly one of value or relative_quantile")
        return self


class Program(_Strict):
    """A program: its transfer amount column, the level it is recorded at, and its area."""

    code: str = Field(pattern=_CODE)
    name: str = ""
    area: Literal["social_assistance", "social_insurance", "labour_market"]
    category: str = ""
    amount: str
    level: Literal["household", "person"] = "household"
    receipt: str | None = None


class DomainSpec(_Strict):
    """A breakdown column, optionally mapped to an SDG dimension with its codes."""

    column: str
    dimension: str | None = None
    codes: dict[str, str] = Field(default_factory=dict)

    @field_validator("codes", mode="before")
    @classmethod
    def _codes_as_text(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {_level_text(k): str(v) for k, v in value.items()}
        return value


class SurveySpec(_Strict):
    """A whole survey spec, checked for consistency (unique codes, known indicators)."""

    survey: SurveyInfo
    design: Design
    household: str
    welfare: str
    poverty_lines: list[PovertyLine] = Field(default_factory=list)
    programs: list[Program] = Field(min_length=1)
    domains: list[DomainSpec] = Field(default_factory=list)
    indicators: list[str] = Field(default_factory=lambda: list(INDICATORS))

    @field_validator("domains", mode="before")
    @classmethod
    def _plain_domain_names(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [{"column": v} if isinstance(v, str) else v for v in value]
        return value

    @field_validator("indicators", mode="before")
    @classmethod
    def _all_indicators(cls, value: Any) -> Any:
        return list(INDICATORS) if value == "all" else value

    @model_validator(mode="after")
    def _consistent(self) -> SurveySpec:
        unknown = [name for name in self.indicators if name not in INDICATORS]
        if unknown:
            raise ValueError(f"unknown indicators {unknown}; choose from {list(INDICATORS)}")
        for kind, codes in (
            ("program", [p.code for p in self.programs]),
            ("poverty line", [line.code for line in self.poverty_lines]),
            ("domain", [d.column for d in self.domains]),
        ):
            repeated = sorted({c for c in codes if codes.count(c) > 1})
            if repeated:
                raise ValueError(f"{kind} {repeated[0]!r} is listed twice; give each once")
        clash = {p.code for p in self.programs} & set(AREA_UNITS.values())
        if clash or "all_social_protection" in {p.code for p in self.programs}:
            raise ValueError("a program code may not be the name of a program area")
        reserved = {"all", "quintile_pre", "quintile_post"} & {d.column for d in self.domains}
        if reserved:
            raise ValueError(f"domain {sorted(reserved)[0]!r} is added automatically; remove it")
        return self

    def units(self) -> list[str]:
        """Program codes, then the area aggregates that have at least one program."""
        present = [a for a in AREAS if any(p.area == a for p in self.programs)]
        return [p.code for p in self.programs] + [
            *(AREA_UNITS[a] for a in present),
            "all_social_protection",
        ]

    def unit_programs(self, unit: str) -> list[Program]:
        """The programs a unit (a program or an area aggregate) sums over."""
        if unit == "all_social_protection":
            return list(self.programs)
        for area, name in AREA_UNITS.items():
            if unit == name:
                return [p for p in self.programs if p.area == area]
        return [p for p in self.programs if p.code == unit]


def _level_text(value: Any) -> str:
    """A domain level as text, the way the engine reports it (1.0 and 1 both read '1')."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def parse_spec(raw: Any, *, source: str = "spec") -> SurveySpec:
    """Return the checked spec from parsed YAML; the member state is checked too."""
    if not isinstance(raw, dict):
        raise SurveySpecError(f"{source}: the spec must be a YAML mapping; see docs/cli.md")
    try:
        spec = SurveySpec.model_validate(raw)
    except ValidationError as error:
        first = error.errors()[0]
        where = ".".join(str(part) for part in first["loc"]) or "spec"
        count = error.error_count()
        more = f" ({count - 1} more problems)" if count > 1 else ""
        raise SurveySpecError(
            f"{source}: {where}: {first['msg']}{more}; fix the spec (docs/methodology/survey.md)"
        ) from None
    _check_member_state(spec.survey.country, source)
    return spec


def load_spec(path: str | Path) -> SurveySpec:
    """Return the checked spec read from a YAML file."""
    file = Path(path)
    try:
        raw = yaml.safe_load(file.read_text(encoding="utf-8"))
    except OSError as error:
        raise SurveySpecError(f"{file}: cannot read the spec ({error.strerror})") from None
    except yaml.YAMLError as error:
        raise SurveySpecError(f"{file}: not valid YAML ({str(error).splitlines()[0]})") from None
    return parse_spec(raw, source=str(file))


def _check_member_state(iso3: str, source: str) -> None:
    catalogue = load_catalogue()
    try:
        catalogue.member_state(iso3)
    except UnknownCode:
        codes = ", ".join(state.iso3 for state in catalogue.member_states)
        raise SurveySpecError(
            f"{source}: survey.country {iso3!r} is not an ASEAN member state; use one of {codes}"
        ) from None
