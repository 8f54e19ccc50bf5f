"""Every count Lindung prints has its noun in the right number ("1 row", "2 rows"), through
``lindung.text.counted`` (or a finding template's ``{n:~noun}``): never "1 strata", "1 errors"
or "error(s)"."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from lindung.ingest import findings as F
from lindung.ingest.finding import Location, fill
from lindung.text import counted

SOURCE = Path(__file__).resolve().parents[1] / "src" / "lindung"
#: Nouns that Lindung counts in its messages, in the plural.
COUNTED = [
    "rows",
    "errors",
    "warnings",
    "strata",
    "households",
    "persons",
    "cells",
    "columns",
    "bytes",
    "findings",
    "values",
    "estimates",
    "indicators",
    "pairs",
    "draws",
    "points",
    "observations",
    "submissions",
    "users",
    "files",
    "sheets",
    "parts",
    "times",
    "characters",
    "days",
    "hours",
    "minutes",
    "levels",
    "domains",
    "PSUs",
    "series",
]
#: A count then a plural noun in a template's text ("{limit} rows") or an f-string's.
PLURAL_AFTER_COUNT = re.compile(r"^\s*(\(s\)|(" + "|".join(COUNTED) + r")\b)")
TEMPLATE_COUNT = re.compile(r"\{[a-z_]+\}\s+(" + "|".join(COUNTED) + r")\b|\w\(s\)")


def _offending(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.JoinedStr):
            for before, after in zip(node.values, node.values[1:], strict=False):
                if (
                    isinstance(before, ast.FormattedValue)
                    and isinstance(after, ast.Constant)
                    and PLURAL_AFTER_COUNT.match(str(after.value))
                    and not PLURAL_AFTER_COUNT.match(str(after.value)).group(0).endswith("series")
                ):
                    found.append(f"{path.name}:{node.lineno}: {ast.unparse(node)[:80]}")
        elif (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and TEMPLATE_COUNT.search(node.value)
        ):
            found.append(f"{path.name}:{node.lineno}: {node.value[:80]}")
    return found


def test_no_message_prints_a_count_before_a_fixed_plural() -> None:
    offending = [line for path in sorted(SOURCE.rglob("*.py")) for line in _offending(path)]
    assert offending == []


def test_rule_texts_count_through_the_template_too() -> None:
    texts = (SOURCE / "ingest" / "rules" / "default.yaml").read_text(encoding="utf-8")
    english = [line for line in texts.splitlines() if line.strip().startswith("en:")]
    assert [line for line in english if TEMPLATE_COUNT.search(line)] == []


@pytest.mark.parametrize(
    ("number", "expected"),
    [(0, "0 strata"), (1, "1 stratum"), (2, "2 strata"), (1500, "1,500 strata")],
)
def test_a_count_agrees_with_its_noun(number: int, expected: str) -> None:
    assert counted(number, "stratum", "strata") == expected


def test_a_finding_template_counts_with_the_noun_in_the_right_number() -> None:
    assert F.TooManyRows(Location(), limit=1).message() == "the file has more than 1 row"
    assert F.TooManyRows(Location(), limit=20_000).message() == "the file has more than 20,000 rows"
    assert fill("within {tolerance:~point}", {"tolerance": "1"}) == "within 1 point"
    assert fill("within {tolerance:~point}", {"tolerance": "2.5"}) == "within 2.5 points"
    assert fill("{n:~stratum|strata} left", {"n": 3}) == "3 strata left"
