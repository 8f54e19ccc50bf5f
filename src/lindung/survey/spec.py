"""The survey spec: which columns hold the design, welfare, programs and breakdowns.

A spec is YAML (see ``docs/methodology/survey.md``); :func:`load_spec` reads and checks it and
returns a :class:`SurveySpec`. Every problem is a :class:`~lindung.errors.SurveySpecError` whose
one-line message names the entry, the rule and the fix.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from lindung.errors import SurveySpecError
from lindung.framework.loader import shipped_codelists, shipped_member_states
from lindung.yaml_text import compose_yaml, load_yaml

__all__ = [
    "AREAS",
    "AREA_UNITS",
    "BOOLEAN_LEVELS",
    "DOMAIN_DIMENSIONS",
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

DOMAIN_DIMENSIONS = ("sex", "age", "urbanisation", "disability_status", "group")
"""The SDG dimensions a domain column may map to (``income_wealth_quantile`` is the quintiles',
``program`` and ``poverty_line`` the engine's own)."""

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


BOOLEAN_LEVELS = {"true": "1", "false": "0"}
"""A true/false level, whatever its case or type (a Parquet boolean, CSV text ``True``), as
the engine reports it: ``1``/``0``, as a Stata or SPSS file stores it."""


def _level_text(value: Any) -> str:
    """A domain level as text, the way the engine reports it (1.0 and 1 both read '1', true and
    'True' both read '1')."""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    text = str(value)
    return BOOLEAN_LEVELS.get(text.strip().lower(), text)


def parse_spec(raw: Any, *, source: str = "spec", positions: Positions | None = None) -> SurveySpec:
    """Return the checked spec from parsed YAML; the member state and the domains' dimensions
    and codes are checked against the framework catalogue too. With ``positions`` (see
    :func:`load_spec`), messages say ``file:line:column``."""
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
            f"{_at(source, positions, first['loc'])}: {where}: {first['msg']}{more}; "
            "fix the spec (docs/methodology/survey.md)"
        ) from None
    _check_member_state(spec.survey.country, _at(source, positions, ("survey", "country")))
    for number in range(len(spec.domains)):
        problem = _domain_problem(spec, number)
        if problem:
            loc, message = problem
            raise SurveySpecError(
                f"{_at(source, positions, ('domains', number, *loc))}: "
                f"{'.'.join(str(p) for p in ('domains', number, *loc))}: {message}"
            )
    return spec


Positions = dict[tuple[str | int, ...], tuple[int, int]]
"""Where each entry of a spec file starts: (line, column), both from 1, by path of keys."""


def _at(source: str, positions: Positions | None, loc: Iterable[str | int]) -> str:
    """Return ``source:line:column`` of the deepest entry of ``loc`` found in the file."""
    path = tuple(loc)
    while positions is not None and path:
        if path in positions:
            line, column = positions[path]
            return f"{source}:{line}:{column}"
        path = path[:-1]
    return source


def _domain_problem(spec: SurveySpec, number: int) -> tuple[tuple[str, ...], str] | None:
    """Return where and why a domain's dimension mapping cannot be stored, if it cannot.

    Each estimate is stored under (dimension, code): an unknown dimension, a code outside its
    codelist, ``_T``, two levels with one code or two domains on one dimension would put a
    level's value under another key (the national total's, or another level's).
    """
    domain = spec.domains[number]
    if domain.dimension is None:
        return None
    if domain.dimension not in DOMAIN_DIMENSIONS:
        return ("dimension",), (
            f"{domain.dimension!r} is not a dimension a domain can map to; "
            f"{_closest(domain.dimension, DOMAIN_DIMENSIONS)}"
        )
    earlier = [d.column for d in spec.domains[:number] if d.dimension == domain.dimension]
    if earlier:
        return ("dimension",), (
            f"domain {earlier[0]!r} already maps to {domain.dimension!r}; map each dimension once"
        )
    if not domain.codes:
        return ("codes",), (
            f"give the {domain.dimension} code of each level of {domain.column!r} "
            "(codes: {level: code})"
        )
    codelist = shipped_codelists()[domain.dimension]
    valid = sorted(codelist.code_set() - {"_T"})
    for level, code in domain.codes.items():
        if code == "_T" or not codelist.accepts(code):
            return ("codes", level), (
                f"{code!r} is not a {domain.dimension} code; {_closest(code, valid)}"
            )
    seen: dict[str, str] = {}
    for level, code in domain.codes.items():
        if code in seen:
            return ("codes", level), (
                f"levels {seen[code]!r} and {level!r} both map to {code!r}; give each its own code"
            )
        seen[code] = level
    return None


def _closest(value: str, choices: Iterable[str]) -> str:
    """Return 'did you mean X?' with the closest choices, and the choices themselves."""
    options = list(choices)
    by_lower = {option.lower(): option for option in options}
    close = difflib.get_close_matches(value.lower(), list(by_lower), n=2, cutoff=0.5)
    listed = ", ".join(options[:20]) + (", ..." if len(options) > 20 else "")
    guess = "did you mean " + " or ".join(repr(by_lower[c]) for c in close) + "? " if close else ""
    return f"{guess}choose from {listed}"


def load_spec(path: str | Path) -> SurveySpec:
    """Return the checked spec read from a YAML file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as error:
        raise SurveySpecError(f"{file}: cannot read the spec ({error.strerror})") from None
    except UnicodeDecodeError:
        raise SurveySpecError(f"{file}: the spec is not UTF-8 text; save it as UTF-8") from None
    try:
        raw = load_yaml(text)
        root = compose_yaml(text)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        where = f"{file}:{mark.line + 1}:{mark.column + 1}" if mark else str(file)
        problem = error.problem or error.context or "invalid YAML"
        raise SurveySpecError(f"{where}: not valid YAML ({problem})") from None
    except yaml.YAMLError as error:
        raise SurveySpecError(f"{file}: not valid YAML ({str(error).splitlines()[0]})") from None
    positions: Positions = {}
    if root is not None:
        _record_positions(root, (), positions)
    return parse_spec(raw, source=str(file), positions=positions)


def _record_positions(node: yaml.Node, path: tuple[str | int, ...], found: Positions) -> None:
    found.setdefault(path, (node.start_mark.line + 1, node.start_mark.column + 1))
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            # An entry's position is its key's, where a reader looks for it.
            name = str(key.value)
            found[(*path, name)] = (key.start_mark.line + 1, key.start_mark.column + 1)
            _record_positions(value, (*path, name), found)
    elif isinstance(node, yaml.SequenceNode):
        for number, item in enumerate(node.value):
            _record_positions(item, (*path, number), found)


def _check_member_state(iso3: str, source: str) -> None:
    states = shipped_member_states()
    if all(state.iso3 != iso3 for state in states):
        codes = ", ".join(state.iso3 for state in states)
        raise SurveySpecError(
            f"{source}: survey.country {iso3!r} is not an ASEAN member state; use one of {codes}"
        ) from None
