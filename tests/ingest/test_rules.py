"""Validation rules as data: expressions, operators, missing-value strategies, bad rule files."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import pytest

from lindung.errors import CatalogueInvalid
from lindung.ingest.rules import (
    ExpressionError,
    Rule,
    evaluate,
    load_rules,
    parse_expression,
)

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
