"""Checking a submission file: read it, check its structure, run the rules, report.

``check_file`` stores nothing. Given a connection it also compares each value with the
country's previous published value and with the international agencies' figure for the same
key (reference submissions), which the jump and far-from-international rules use.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from lindung import settings
from lindung.framework import Catalogue, Computation, load_catalogue
from lindung.ingest import findings as F
from lindung.ingest.findings import Finding, Location, RuleViolation
from lindung.ingest.reader import Limits, read_file, read_or_refuse
from lindung.ingest.rules import Lookup, Node, Rule, RuleSet, evaluate, load_rules
from lindung.ingest.structure import parse
from lindung.keys import Observation
from lindung.store import COUNTRY_KINDS, DIMENSIONS, KEY, REFERENCE_KIND, current_observations
from lindung.text import counted

Key = tuple[Any, ...]


@dataclass
class Report:
    """What a check found in one file, and the observations it would import."""

    file_name: str
    file_hash: str
    file_format: str
    country: str | None
    year: int | None
    framework_version: str
    observations: list[Observation] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: How many findings the stored report and the printed table list (the counts cover all).
    max_listed: int = field(default_factory=settings.IMPORT_MAX_FINDINGS.value)

    @property
    def errors(self) -> list[Finding]:
        """Return the error-level findings (any one blocks the import)."""
        return [f for f in self.findings if f.severity == "error"]

    @property
    def warnings(self) -> list[Finding]:
        """Return the warning-level findings."""
        return [f for f in self.findings if f.severity == "warning"]

    @property
    def ok(self) -> bool:
        """Return whether the file can be imported (no error-level finding)."""
        return not self.errors

    def listed(self) -> list[Finding]:
        """Return the findings to list: the first ``max_listed``, then one saying how many
        more there are (errors first, so that a flood of warnings hides no error)."""
        ordered = sorted(self.findings, key=lambda f: f.severity != "error")
        if len(ordered) <= self.max_listed:
            return ordered
        more = F.FindingsTruncated(
            Location(file=self.file_name), shown=self.max_listed, total=len(ordered)
        )
        return [*ordered[: self.max_listed], more]

    def summary(self) -> str:
        """Return one line: the file, its country and year, and the counts."""
        return (
            f"{self.file_name}: {counted(len(self.observations), 'value')}, "
            f"{counted(len(self.errors), 'error')}, {counted(len(self.warnings), 'warning')}"
        )

    def as_dict(self, language: str = "en") -> dict[str, Any]:
        """Return the report as JSON data (the submission's stored validation report)."""
        return {
            "file": self.file_name,
            "file_hash": self.file_hash,
            "format": self.file_format,
            "country": self.country,
            "year": self.year,
            "framework_version": self.framework_version,
            "values": len(self.observations),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
            "findings": [f.as_dict(language) for f in self.listed()],
        }


@dataclass
class StoreFigures:
    """Published figures a check compares with: the country's own and the agencies'."""

    previous: dict[Key, float] = field(default_factory=dict)
    international: dict[Key, float] = field(default_factory=dict)


def file_hash(path: Path, limits: Limits | None = None) -> str:
    """Return the SHA-256 of the file's bytes (what makes an import idempotent).

    Raise ValidationFailed, before reading anything, for a path that is not a regular file
    or a file over the size limit: neither could be imported, and hashing them could hang.
    """
    return hashlib.sha256(read_or_refuse(path, limits, empty_ok=True)).hexdigest()


def check_file(
    path: Path,
    *,
    connection: Connection | None = None,
    catalogue: Catalogue | None = None,
    rules: RuleSet | None = None,
    limits: Limits | None = None,
) -> Report:
    """Return the report of every finding in the file; nothing is stored."""
    catalogue = catalogue or load_catalogue()
    rules = rules or load_rules()
    limits = limits or Limits()
    table = read_file(path, limits)
    parsed = parse(table, catalogue)
    report = Report(
        file_name=path.name,
        file_hash=table.file_hash,
        file_format=path.suffix.lower().lstrip("."),
        country=parsed.country,
        year=parsed.year,
        framework_version=catalogue.version,
        findings=list(parsed.findings),
        max_listed=limits.max_findings,
    )
    if not parsed.observations:
        return report
    figures = StoreFigures()
    if connection is not None and parsed.country and parsed.year:
        series = sorted({o["series"] for o in parsed.observations})
        figures = store_figures(connection, parsed.country, parsed.year, series)
    report.findings.extend(
        apply_rules(parsed.observations, parsed.locations, catalogue, rules, figures)
    )
    report.observations = parsed.observations
    return report


def store_figures(
    connection: Connection, country: str, year: int, series: Sequence[str]
) -> StoreFigures:
    """Return the country's latest published values up to ``year`` and the agencies' figures."""
    figures = StoreFigures()
    if not series:
        return figures
    # The store's one rule picks each key's current value; of those, the latest year is the
    # country's previous value.
    national = current_observations(
        connection, series=list(series), areas=[country], year_to=year, kinds=COUNTRY_KINDS
    )
    for row in sorted(national, key=lambda r: r["time_period"]):
        figures.previous[_timeless(row)] = float(row["value"])
    for row in current_observations(
        connection,
        series=list(series),
        areas=[country],
        year_from=year,
        year_to=year,
        kinds=[REFERENCE_KIND],
    ):
        figures.international[tuple(row.get(name) for name in KEY)] = float(row["value"])
    return figures


def _timeless(observation: Mapping[str, Any]) -> Key:
    return tuple(observation[name] for name in KEY if name != "time_period")


#: Where each field of an observation's key is, for references that change some of them.
POSITION: dict[str, int] = {name: index for index, name in enumerate(KEY)}


class _References:
    """Resolves a rule's references (value, previous, international...) at one row's key."""

    __slots__ = ("by_key", "computation", "figures", "key")

    def __init__(
        self,
        by_key: Mapping[Key, float],
        figures: StoreFigures,
        key: Key,
        computation: Computation,
    ) -> None:
        self.by_key = by_key
        self.figures = figures
        self.key = key
        self.computation = computation

    def __call__(self, name: str, codes: Mapping[str, str]) -> float | None:
        if name == "value" and not codes:
            return self.by_key.get(self.key)
        if name == "previous":
            timeless = self.key[:2] + self.key[3:]
            return self.figures.previous.get(timeless)
        if name == "international":
            return self.figures.international.get(self.key)
        if name == "multiplier":
            formula = self.computation.method == "formula"
            return (self.computation.multiplier or 1.0) if formula else None
        target = list(self.key)
        for dimension, code in codes.items():
            target[POSITION[dimension]] = code
        if name in ("numerator", "denominator"):
            target[0] = getattr(self.computation, name)
        return self.by_key.get(tuple(target))


@dataclass(frozen=True)
class _Prepared:
    """A rule with its expressions parsed and its grouping read, once for a whole check."""

    rule: Rule
    left: Node
    right: list[Node]
    grouped: tuple[str, ...]
    where: bool


def apply_rules(
    observations: Sequence[Mapping[str, Any]],
    locations: Sequence[Location],
    catalogue: Catalogue,
    rules: RuleSet,
    figures: StoreFigures,
) -> list[Finding]:
    """Return a finding for every rule that does not hold on an observation it covers.

    Which rules a series is in scope of (unit, method, series patterns) is judged once per
    series; only the ``where`` codes are judged per observation.
    """
    keys = [tuple(o[name] for name in KEY) for o in observations]
    by_key = {key: float(o["value"]) for key, o in zip(keys, observations, strict=True)}
    prepared = [
        _Prepared(rule, *rule.sides(), rule.applies_to.grouped(), bool(rule.applies_to.where))
        for rule in rules.rules
    ]
    in_scope: dict[str, tuple[Computation, list[_Prepared]]] = {}
    found: list[Finding] = []
    judged: set[tuple[Any, ...]] = set()
    for observation, location, key in zip(observations, locations, keys, strict=True):
        series = observation["series"]
        scope = in_scope.get(series)
        if scope is None:
            indicator = catalogue.indicator(series)
            method = indicator.computation.method
            covering = [p for p in prepared if p.rule.covers_series(series, indicator.unit, method)]
            scope = in_scope[series] = (indicator.computation, covering)
        computation, covering = scope
        if not covering:
            continue
        lookup = _References(by_key, figures, key, computation)
        for entry in covering:
            if entry.where and not entry.rule.covers_codes(observation):
                continue
            if entry.grouped:
                # A rule over a set of codes runs once per set, at its first row.
                group = (
                    entry.rule.code,
                    *(None if n in entry.grouped else observation[n] for n in KEY),
                )
                if group in judged:
                    continue
                judged.add(group)
            finding = _judge(entry, observation, location, lookup)
            if finding is not None:
                found.append(finding)
    return found


def _judge(
    entry: _Prepared, observation: Mapping[str, Any], location: Location, lookup: Lookup
) -> Finding | None:
    """Return a finding if the rule fails on this observation, None if it holds or is skipped."""
    rule = entry.rule
    strategy = rule.missing_value_strategy
    zero = strategy != "skip_if_any_missing"
    results = [evaluate(node, lookup, zero) for node in (entry.left, *entry.right)]
    if strategy == "skip_if_any_missing" and any(missing for _, missing, _ in results):
        return None
    if strategy == "skip_if_all_missing" and any(
        made and missing == made for _, missing, made in results
    ):
        return None
    values = [r[0] for r in results]
    if any(v is None for v in values):
        return None
    left, *right = [float(v or 0.0) for v in values]
    if _holds(rule, left, right):
        return None
    breakdown = ", ".join(f"{n}={observation[n]}" for n in DIMENSIONS if observation[n] != "_T")
    return RuleViolation(
        location,
        code=rule.code,
        title=rule.description,
        severity=rule.severity,
        message=rule.message.model_dump(),
        fix=rule.fix.model_dump(),
        series=observation["series"],
        breakdown=breakdown or "total",
        # Numbers, not text: the message writes them as its language does (270.626.000 in id).
        value=float(observation["value"]),
        left=left,
        right=tuple(right),
        tolerance=float(rule.tolerance.absolute)
        if rule.tolerance.absolute
        else f"{rule.tolerance.relative:.0%}",
    )


def _holds(rule: Rule, left: float, right: list[float]) -> bool:
    allowance = rule.tolerance.allowed(right[0] if right else left)
    operator = rule.operator
    if operator == "between":
        low, high = min(right), max(right)
        slack = max(rule.tolerance.allowed(low), rule.tolerance.allowed(high))
        return low - slack <= left <= high + slack
    target = right[0]
    checks = {
        "==": abs(left - target) <= allowance,
        "within": abs(left - target) <= allowance,
        "!=": abs(left - target) > allowance,
        "<": left < target,
        "<=": left <= target + allowance,
        ">": left > target,
        ">=": left >= target - allowance,
    }
    return checks[operator]
