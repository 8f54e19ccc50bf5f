"""Validation rules as data, DHIS2-style: ``left operator right``, a severity, a missing-value
strategy, and a message and fix in English and Bahasa Indonesia.

A rule runs once for every observation it ``applies_to`` (by unit, series pattern,
computation method and the row's own codes). Its expressions are arithmetic over numbers and
references resolved at that row's key::

    value                       this row's value
    value(sex=F)                the same key with sex F (other codes unchanged)
    sum(sex=F|M)                also min, max and mean, over the codes listed
    numerator, denominator      the formula's series at the same key
    multiplier                  the formula's multiplier (e.g. 100 for a percentage)
    previous                    the country's latest published value of this key before now
    international               the international agencies' value of this key (reference data)
    abs(...)                    absolute value

Missing values follow DHIS2, side by side: ``skip_if_any_missing`` (default) skips the rule
when any reference of either side is missing; ``skip_if_all_missing`` skips it when every
reference of one side is missing, and otherwise counts a missing value as 0; ``never_skip``
always runs it, counting a missing value as 0.

A ``where`` condition may list several codes (``income_wealth_quantile: [Q1, Q2, Q3]``): the
rule then runs once for the set, at the first of its rows the file holds, so that a set given
in part (four quintiles of five) is judged rather than skipped.
"""

from __future__ import annotations

import fnmatch
import functools
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from lindung.errors import CatalogueInvalid, ExpressionError
from lindung.store import DIMENSIONS
from lindung.yaml_text import load_yaml

DEFAULT_RULES = Path(__file__).parent / "rules" / "default.yaml"
OPERATORS = ("==", "!=", "<", "<=", ">", ">=", "between", "within")
REFERENCES = ("value", "previous", "international", "numerator", "denominator", "multiplier")
AGGREGATES = ("sum", "min", "max", "mean")
TOKEN = re.compile(r"\s*(?:(\d+\.?\d*(?:[eE][+-]?\d+)?)|([A-Za-z_][A-Za-z0-9_]*)|(.))")

Key = tuple[Any, ...]
Lookup = Callable[[str, Mapping[str, str]], float | None]


@dataclass(frozen=True)
class Node:
    """One node of a parsed expression: a number, a reference, a function or an operation."""

    kind: str
    value: Any = None
    children: tuple[Node, ...] = ()


def parse_expression(text: str) -> Node:
    """Return the expression's tree; raise ExpressionError naming the first bad token."""
    tokens = [m.group(1) or m.group(2) or m.group(3) for m in TOKEN.finditer(text.strip())]
    tokens = [token for token in tokens if token]
    parser = _Parser(tokens, text)
    node = parser.expression()
    if parser.position != len(tokens):
        raise ExpressionError(f"unexpected {tokens[parser.position]!r} in {text!r}")
    return node


class _Parser:
    def __init__(self, tokens: list[str], text: str) -> None:
        self.tokens = tokens
        self.text = text
        self.position = 0

    def peek(self) -> str | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self, expected: str | None = None) -> str:
        token = self.peek()
        if token is None or (expected is not None and token != expected):
            raise ExpressionError(f"expected {expected or 'more'} in {self.text!r}")
        self.position += 1
        return token

    def expression(self) -> Node:
        node = self.term()
        while self.peek() in ("+", "-"):
            node = Node("op", self.take(), (node, self.term()))
        return node

    def term(self) -> Node:
        node = self.unary()
        while self.peek() in ("*", "/"):
            node = Node("op", self.take(), (node, self.unary()))
        return node

    def unary(self) -> Node:
        if self.peek() == "-":
            self.take()
            return Node("op", "-", (Node("number", 0.0), self.unary()))
        return self.atom()

    def atom(self) -> Node:
        token = self.take()
        if token == "(":
            node = self.expression()
            self.take(")")
            return node
        if re.fullmatch(r"\d+\.?\d*(?:[eE][+-]?\d+)?", token):
            return Node("number", float(token))
        if token == "abs":
            self.take("(")
            inner = self.expression()
            self.take(")")
            return Node("abs", children=(inner,))
        if token in AGGREGATES or (token == "value" and self.peek() == "("):
            self.take("(")
            selector = self.selector()
            self.take(")")
            return Node(token, selector)
        if token in REFERENCES:
            return Node("ref", token)
        raise ExpressionError(f"unknown name {token!r} in {self.text!r}")

    def selector(self) -> tuple[tuple[str, tuple[str, ...]], ...]:
        parts = []
        while True:
            dimension = self.take()
            if dimension not in DIMENSIONS:
                raise ExpressionError(f"unknown dimension {dimension!r} in {self.text!r}")
            self.take("=")
            codes = [self.take()]
            while self.peek() == "|":
                self.take()
                codes.append(self.take())
            parts.append((dimension, tuple(codes)))
            if self.peek() != ",":
                return tuple(parts)
            self.take()


def evaluate(node: Node, lookup: Lookup, zero_missing: bool) -> tuple[float | None, int, int]:
    """Return (value, references missing, references made); None when a missing one counts."""
    if node.kind == "number":
        return float(node.value), 0, 0
    if node.kind == "ref":
        found = lookup(node.value, {})
        return _fill(found, zero_missing), int(found is None), 1
    if node.kind in AGGREGATES or node.kind == "value":
        names = [dimension for dimension, _ in node.value]
        combos = [dict(zip(names, combo, strict=True)) for combo in _combos(node.value)]
        found_values = [lookup("value", codes) for codes in combos]
        missing = sum(v is None for v in found_values)
        values = [_fill(v, zero_missing) for v in found_values]
        present = [v for v in values if v is not None]
        if len(present) < len(values) or not present:
            return None, missing, len(values)
        reductions: dict[str, Callable[[list[float]], float]] = {
            "sum": sum,
            "value": sum,
            "min": min,
            "max": max,
            "mean": lambda numbers: sum(numbers) / len(numbers),
        }
        return reductions[node.kind](present), missing, len(values)
    parts = [evaluate(child, lookup, zero_missing) for child in node.children]
    missing = sum(p[1] for p in parts)
    made = sum(p[2] for p in parts)
    values = [p[0] for p in parts]
    if any(v is None for v in values):
        return None, missing, made
    if node.kind == "abs":
        return abs(values[0] or 0.0), missing, made
    left, right = float(values[0] or 0.0), float(values[1] or 0.0)
    if node.value == "/" and right == 0:
        return None, missing, made
    operations: dict[str, Callable[[float, float], float]] = {
        "+": lambda a, b: a + b,
        "-": lambda a, b: a - b,
        "*": lambda a, b: a * b,
        "/": lambda a, b: a / b,
    }
    return operations[node.value](left, right), missing, made


def _fill(value: float | None, zero_missing: bool) -> float | None:
    return 0.0 if value is None and zero_missing else value


def _combos(selector: tuple[tuple[str, tuple[str, ...]], ...]) -> list[tuple[str, ...]]:
    combos: list[tuple[str, ...]] = [()]
    for _, codes in selector:
        combos = [(*combo, code) for combo in combos for code in codes]
    return combos


class Texts(BaseModel):
    """A text in English and Bahasa Indonesia; ``{...}`` names the values to fill in."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    en: str = Field(min_length=1)
    id: str = Field(min_length=1)


class Scope(BaseModel):
    """Which observations a rule runs on; every condition given must hold."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    unit: list[str] = []
    series: list[str] = []
    exclude_series: list[str] = []
    method: list[Literal["reported", "formula", "survey", "registry"]] = []
    where: dict[str, str | list[str]] = {}

    def grouped(self) -> tuple[str, ...]:
        """Return the dimensions whose ``where`` lists several codes (the rule runs once)."""
        return tuple(name for name, code in self.where.items() if not isinstance(code, str))


class Tolerance(BaseModel):
    """How far apart two sides may be: the larger of an absolute and a relative allowance."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    absolute: float = Field(default=0.0, ge=0)
    relative: float = Field(default=1e-9, ge=0)

    def allowed(self, reference: float) -> float:
        """Return the allowed difference around ``reference``."""
        return max(self.absolute, self.relative * abs(reference))


class Rule(BaseModel):
    """One validation rule: ``left operator right`` over observations in ``applies_to``."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    code: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    description: str = Field(min_length=1)
    applies_to: Scope = Scope()
    left: str
    operator: Literal["==", "!=", "<", "<=", ">", ">=", "between", "within"]
    right: str | list[str]
    tolerance: Tolerance = Tolerance()
    severity: Literal["error", "warning"]
    missing_value_strategy: Literal["skip_if_any_missing", "skip_if_all_missing", "never_skip"] = (
        "skip_if_any_missing"
    )
    message: Texts
    fix: Texts

    @field_validator("left")
    @classmethod
    def _left_parses(cls, text: str) -> str:
        parse_expression(text)
        return text

    @field_validator("right")
    @classmethod
    def _right_parses(cls, right: str | list[str]) -> str | list[str]:
        for text in [right] if isinstance(right, str) else right:
            parse_expression(text)
        return right

    def sides(self) -> tuple[Node, list[Node]]:
        """Return the parsed left expression and the right one (two bounds for between)."""
        right = [self.right] if isinstance(self.right, str) else list(self.right)
        return _parsed(self.left), [_parsed(text) for text in right]

    def covers(self, observation: Mapping[str, Any], unit: str, method: str) -> bool:
        """Return whether this rule runs on the observation."""
        return self.covers_series(observation["series"], unit, method) and self.covers_codes(
            observation
        )

    def covers_series(self, series: str, unit: str, method: str) -> bool:
        """Return whether this rule runs on a series of this unit and computation method,
        whatever an observation's codes (the part of ``covers`` a check judges once a series)."""
        scope = self.applies_to
        if scope.unit and unit not in scope.unit:
            return False
        if scope.method and method not in scope.method:
            return False
        if scope.series and not any(fnmatch.fnmatchcase(series, p) for p in scope.series):
            return False
        return not any(fnmatch.fnmatchcase(series, p) for p in scope.exclude_series)

    def covers_codes(self, observation: Mapping[str, Any]) -> bool:
        """Return whether the observation's codes are the ones ``where`` asks for."""
        return all(
            observation.get(name) == code
            if isinstance(code, str)
            else observation.get(name) in code
            for name, code in self.applies_to.where.items()
        )


@functools.cache
def _parsed(text: str) -> Node:
    return parse_expression(text)


class RuleSet(BaseModel):
    """A file of rules."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    version: str
    rules: list[Rule]


def load_rules(path: Path | None = None) -> RuleSet:
    """Return the rules in ``path`` (the shipped default set if None); every problem at once."""
    return _load(path or DEFAULT_RULES)


@functools.cache
def _load(path: Path) -> RuleSet:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"{mark.line + 1}:{mark.column + 1}" if mark else "(file)"
        raise CatalogueInvalid([f"{path.name}:{where}: {error.problem or error}"]) from None
    except (OSError, yaml.YAMLError) as error:
        raise CatalogueInvalid([f"{path.name}: (file): -: {error}".replace("\n", " ")]) from None
    try:
        ruleset = RuleSet.model_validate(data)
    except ValidationError as error:
        raise CatalogueInvalid(
            [
                f"{path.name}: {'.'.join(str(p) for p in e['loc'][:2])}: "
                f"{'.'.join(str(p) for p in e['loc'][2:]) or '-'}: {e['msg']}"
                for e in error.errors()
            ]
        ) from None
    codes = [rule.code for rule in ruleset.rules]
    duplicates = sorted({code for code in codes if codes.count(code) > 1})
    if duplicates:
        raise CatalogueInvalid([f"{path.name}: rules: code: duplicate {c}" for c in duplicates])
    return ruleset
