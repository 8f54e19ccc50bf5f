"""Validation rules as data: expressions, operators, missing-value strategies, bad rule files."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pytest

from lindung.errors import CatalogueInvalid
from lindung.framework import load_catalogue
from lindung.ingest.check import StoreFigures, apply_rules
from lindung.ingest.findings import Location
from lindung.ingest.rules import (
    ExpressionError,
    Rule,
    RuleSet,
    evaluate,
    load_rules,
    parse_expression,
)
from lindung.store import DIMENSIONS

#: A country's rows, by the codes that differ from the total.
ROWS = {
    (): 50.0,
    (("sex", "F"),): 40.0,
    (("sex", "M"),): 62.0,
    (("income_wealth_quantile", "Q1"),): 10.0,
    (("income_wealth_quantile", "Q2"),): 20.0,
}


def lookup(name: str, codes: Mapping[str, str]) -> float | None:
    if name == "previous":
        return 44.0
    if name == "international":
        return None
    return ROWS.get(tuple(sorted(codes.items())))


def value_of(text: str, zero_missing: bool = False) -> float | None:
    return evaluate(parse_expression(text), lookup, zero_missing)[0]


def test_expressions_follow_arithmetic_precedence() -> None:
    # Hand calculation: 2 + 3 * 4 = 14; (2 + 3) * 4 = 20; -2 * 3 = -6; abs(44 - 50) = 6.
    assert value_of("2 + 3 * 4") == 14.0
    assert value_of("(2 + 3) * 4") == 20.0
    assert value_of("-2 * 3") == -6.0
    assert value_of("abs(previous - value)") == 6.0


def test_references_resolve_at_the_rows_key_with_codes_replaced() -> None:
    assert value_of("value") == 50.0
    assert value_of("value(sex=F)") == 40.0
    # sum 40 + 62 = 102; min 40; max 62; mean 51.
    assert value_of("sum(sex=F|M)") == 102.0
    assert value_of("min(sex=F|M)") == 40.0
    assert value_of("max(sex=F|M)") == 62.0
    assert value_of("mean(sex=F|M)") == 51.0


def test_a_missing_reference_skips_unless_the_strategy_counts_it_as_zero() -> None:
    assert evaluate(parse_expression("sum(income_wealth_quantile=Q1|Q2|Q3)"), lookup, False) == (
        None,
        1,
        3,
    )
    # never_skip / skip_if_all_missing count a missing value as 0 (DHIS2): 10 + 20 + 0.
    assert value_of("sum(income_wealth_quantile=Q1|Q2|Q3)", zero_missing=True) == 30.0
    assert value_of("international") is None


def test_division_by_zero_gives_no_value() -> None:
    assert value_of("value / (value - 50)") is None


@pytest.mark.parametrize(
    "text", ["value +", "valu", "sum(sex=F", "sum(colour=F)", "value ) 2", "2 ** 3"]
)
def test_malformed_expressions_are_refused_with_the_expression_named(text: str) -> None:
    with pytest.raises(ExpressionError, match="in '"):
        parse_expression(text)


def test_the_default_rules_load_and_cover_the_issues_checks() -> None:
    codes = {rule.code for rule in load_rules().rules}
    assert {
        "percent-out-of-range",
        "numerator-exceeds-denominator",
        "sex-rate-outside-female-male",
        "quintile-rate-outside-range",
        "jump-from-previous",
        "far-from-international",
    } <= codes
    for rule in load_rules().rules:
        assert rule.message.en and rule.message.id and rule.fix.en and rule.fix.id


def test_a_rule_applies_by_unit_series_pattern_and_the_rows_codes() -> None:
    rule = Rule.model_validate(
        {
            "code": "r",
            "description": "d",
            "applies_to": {
                "series": ["SI_COV_*"],
                "exclude_series": ["SI_COV_POOR"],
                "where": {"sex": "_T"},
            },
            "left": "value",
            "operator": "<=",
            "right": "100",
            "severity": "error",
            "message": {"en": "m", "id": "m"},
            "fix": {"en": "f", "id": "f"},
        }
    )
    assert rule.covers({"series": "SI_COV_BENFTS", "sex": "_T"}, "percent", "reported")
    assert not rule.covers({"series": "SI_COV_POOR", "sex": "_T"}, "percent", "reported")
    assert not rule.covers({"series": "SI_COV_BENFTS", "sex": "F"}, "percent", "reported")
    assert not rule.covers({"series": "ASP_COV", "sex": "_T"}, "percent", "reported")


def test_a_broken_rules_file_names_the_rule_and_field(tmp_path: Path) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(
        "version: '1'\nrules:\n"
        "  - {code: ok-rule, description: d, left: 'value +', operator: '<=', right: '1',\n"
        "     severity: fatal, message: {en: m, id: m}, fix: {en: f, id: f}}\n",
        encoding="utf-8",
    )
    with pytest.raises(CatalogueInvalid) as raised:
        load_rules(path)
    text = str(raised.value)
    assert "rules.0: left" in text and "rules.0: severity" in text


def _rule(operator: str, left: str, right: str | list[str], **extra: Any) -> Rule:
    return Rule.model_validate(
        {
            "code": "r",
            "description": "d",
            "left": left,
            "operator": operator,
            "right": right,
            "severity": "error",
            "message": {"en": "{left} vs {right}", "id": "{left} vs {right}"},
            "fix": {"en": "f", "id": "f"},
            **extra,
        }
    )


def _violations(rule: Rule, values: dict[str, float]) -> list[tuple[str, str, str]]:
    """Return (sex, left, right) of each violation, over a country's rows of one percent series."""
    catalogue = load_catalogue()
    rows = []
    for sex, value in values.items():
        row: dict[str, Any] = {name: "_T" for name in DIMENSIONS}
        row.update(series="SI_COV_BENFTS", ref_area="IDN", time_period=2019, sex=sex, value=value)
        rows.append(row)
    where = [Location(file="f.csv", row=number) for number in range(2, len(rows) + 2)]
    found = apply_rules(rows, where, catalogue, RuleSet(version="t", rules=[rule]), StoreFigures())
    return [
        (str(rows[where.index(f.location)]["sex"]), *f.message("en").split(" vs ")) for f in found
    ]


SEX_ADDS_UP = {"left": "sum(sex=F|M)", "right": "value", "applies_to": {"where": {"sex": "_T"}}}


@pytest.mark.parametrize(
    ("strategy", "values", "expected"),
    [
        # F and M both given: 40 + 60 = 100 = total, under every strategy.
        ("skip_if_any_missing", {"_T": 100, "F": 40, "M": 60}, []),
        ("skip_if_all_missing", {"_T": 100, "F": 40, "M": 60}, []),
        ("never_skip", {"_T": 100, "F": 40, "M": 60}, []),
        # M missing: skipped by the first; the others count it as 0, and 40 + 0 != 100.
        ("skip_if_any_missing", {"_T": 100, "F": 40}, []),
        ("skip_if_all_missing", {"_T": 100, "F": 40}, [("_T", "40", "100")]),
        ("never_skip", {"_T": 100, "F": 40}, [("_T", "40", "100")]),
        # F and M missing: the whole left side is missing, so skip_if_all_missing skips too;
        # never_skip compares 0 + 0 with 100.
        ("skip_if_any_missing", {"_T": 100}, []),
        ("skip_if_all_missing", {"_T": 100}, []),
        ("never_skip", {"_T": 100}, [("_T", "0", "100")]),
    ],
)
def test_each_missing_value_strategy_skips_or_counts_zero_as_computed_by_hand(
    strategy: str, values: dict[str, float], expected: list[tuple[str, str, str]]
) -> None:
    rule = _rule("within", **SEX_ADDS_UP, missing_value_strategy=strategy)
    assert _violations(rule, values) == expected


@pytest.mark.parametrize(
    ("operator", "value", "holds"),
    [
        # Against 50 with an absolute tolerance of 0.5:
        ("==", 50.3, True),  # |50.3 - 50| = 0.3 <= 0.5
        ("==", 49.0, False),  # |49 - 50| = 1 > 0.5
        ("!=", 50.3, False),  # within the tolerance, so "equal"
        ("!=", 49.0, True),
        ("<", 49.9, True),  # strict, no tolerance
        ("<", 50.0, False),
        (">", 50.1, True),
        (">", 50.0, False),
        ("<=", 50.4, True),  # 50.4 <= 50 + 0.5
        ("<=", 50.6, False),
        (">=", 49.6, True),  # 49.6 >= 50 - 0.5
        (">=", 49.4, False),
    ],
)
def test_every_operator_compares_as_computed_by_hand(
    operator: str, value: float, holds: bool
) -> None:
    rule = _rule(operator, "value", "50", tolerance={"absolute": 0.5})
    assert (_violations(rule, {"_T": value}) == []) is holds


def test_between_takes_its_bounds_in_either_order_with_the_tolerance() -> None:
    # Bounds 60 and 40 (reversed), tolerance 1: 39.5 and 60.9 hold, 38.9 and 61.1 do not.
    rule = _rule("between", "value", ["60", "40"], tolerance={"absolute": 1})
    assert [_violations(rule, {"_T": v}) == [] for v in (39.5, 60.9, 38.9, 61.1)] == [
        True,
        True,
        False,
        False,
    ]


def test_a_where_listing_several_codes_runs_once_for_the_set_at_its_first_row() -> None:
    # F = 30 and M = 30 add up to 60, not 100: one finding, at F's row, not one per row.
    rule = _rule(
        "within",
        "sum(sex=F|M)",
        "100",
        applies_to={"where": {"sex": ["F", "M"]}},
        missing_value_strategy="never_skip",
    )
    assert _violations(rule, {"_T": 60, "F": 30, "M": 30}) == [("F", "60", "100")]


def test_a_rules_file_that_gives_a_key_twice_is_refused_at_its_line_and_column(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text("version: '1'\nversion: '2'\nrules: []\n", encoding="utf-8")
    with pytest.raises(CatalogueInvalid, match=r"rules\.yaml:2:1: key 'version' is given twice"):
        load_rules(path)
