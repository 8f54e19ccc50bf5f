"""Checks across catalogue entries: unique codes and references that must resolve.

Each check returns problems as 'file: entry: field: message' strings, the form
``CatalogueInvalid`` carries.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Generic, TypeVar

from lindung.framework.models import Aggregate, Codelist, Indicator, MemberState, Pillar

T = TypeVar("T")

REQUIRED_CODELISTS = (
    "sex",
    "age",
    "urbanisation",
    "income_wealth_quantile",
    "disability_status",
    "group",
    "program",
    "nature",
)


@dataclass(frozen=True)
class Located(Generic[T]):
    """A validated entry with the file it came from and the label used in problem messages."""

    file: str
    label: str
    value: T

    def problem(self, field: str, message: str) -> str:
        """Return a problem about ``field`` of this entry."""
        return f"{self.file}: {self.label}: {field}: {message}"


def duplicates(items: Iterable[Located[T]], key: Callable[[T], object], field: str) -> list[str]:
    """Return a problem for every entry whose ``key`` repeats an earlier entry's."""
    first: dict[object, Located[T]] = {}
    problems = []
    for item in items:
        value = key(item.value)
        if value in first:
            message = f"duplicate {value}; first defined in {first[value].file}"
            problems.append(item.problem(field, message))
        else:
            first[value] = item
    return problems


def _indicator_references(
    item: Located[Indicator],
    declared: Mapping[str, set[str]],
    codelists: dict[str, Codelist],
) -> list[str]:
    indicator = item.value
    problems = []
    if indicator.pillar not in declared["pillars"]:
        problems.append(item.problem("pillar", f"unknown pillar {indicator.pillar!r}"))
    computation = indicator.computation
    for part in ("numerator", "denominator"):
        code = getattr(computation, part)
        if code is None:
            continue
        if code == indicator.code:
            problems.append(item.problem(f"computation.{part}", "refers to the indicator itself"))
        elif code not in declared["indicators"]:
            problems.append(item.problem(f"computation.{part}", f"unknown series {code!r}"))
    for position, dimension in enumerate(indicator.disaggregations):
        if dimension.lower() not in declared["codelists"]:
            message = f"no codelist for dimension {dimension!r}"
            problems.append(item.problem(f"disaggregations.{position}", message))
    for dimension, listed in indicator.codes.items():
        codelist = codelists.get(dimension.lower())
        if dimension not in indicator.disaggregations:
            message = f"codes for {dimension!r}, which is not among its disaggregations"
            problems.append(item.problem(f"codes.{dimension}", message))
        elif codelist is not None:
            for code in listed:
                if code not in codelist.code_set():
                    message = f"unknown {dimension.lower()} code {code!r}"
                    problems.append(item.problem(f"codes.{dimension}", message))
    groups = codelists.get("group")
    for position, group in enumerate(indicator.groups):
        if groups is not None and group not in groups.code_set():
            problems.append(item.problem(f"groups.{position}", f"unknown group {group!r}"))
    return problems


def cross_check(
    indicators: list[Located[Indicator]],
    pillars: list[Located[Pillar]],
    codelists: list[Located[Codelist]],
    member_states: list[Located[MemberState]],
    aggregates: list[Located[Aggregate]],
    declared: Mapping[str, set[str]],
) -> list[str]:
    """Return every problem that needs more than one entry to see.

    References resolve against ``declared``: the codes of every entry of each section, valid or
    not, so that one broken entry is reported once, not again by everything that refers to it.
    """
    problems = duplicates(indicators, lambda i: i.code, "code")
    problems += duplicates(pillars, lambda p: p.code, "code")
    problems += duplicates(codelists, lambda c: c.name, "name")
    problems += duplicates(member_states, lambda m: m.iso3, "iso3")
    problems += duplicates(member_states, lambda m: m.m49, "m49")
    problems += duplicates(aggregates, lambda a: a.code, "code")
    for codelist in codelists:
        problems += duplicates(
            (Located(codelist.file, codelist.label, code) for code in codelist.value.codes),
            lambda c: c.code,
            "codes",
        )
    by_name = {item.value.name: item.value for item in codelists}
    problems += [
        f"(catalogue): codelists: {name}: missing; every catalogue needs this codelist"
        for name in REQUIRED_CODELISTS
        if name not in declared["codelists"]
    ]
    if not indicators:
        problems.append("(catalogue): indicators: -: the catalogue defines no indicator")
    for item in indicators:
        problems += _indicator_references(item, declared, by_name)
    for aggregate in aggregates:
        for position, member in enumerate(aggregate.value.members):
            if member not in declared["member_states"]:
                message = f"{member!r} is not a member state"
                problems.append(aggregate.problem(f"members.{position}", message))
    return problems
