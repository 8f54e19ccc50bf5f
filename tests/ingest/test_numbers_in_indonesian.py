"""Numbers in Indonesian messages are written as Indonesian writes them: 20.000 baris, 56,3
(CLDR id: '.' groups thousands, ',' marks decimals), never the plain 20000 or the English
20,000 and 56.3."""

from __future__ import annotations

import re
import string

import pytest

from lindung.ingest import findings as F
from lindung.ingest.finding import RuleViolation
from lindung.ingest.findings import CATALOGUE, Location
from lindung.ingest.rules import load_rules

WHERE = Location(file="IDN_2019.csv", row=3, column="value")
#: Indonesian nouns that follow a count in the catalogue's messages.
COUNT_NOUNS = "baris|sel|kolom|kali|karakter|byte|bagian|temuan|observasi|poin|lembar|nilai"


def _fields(template: str) -> dict[str, str]:
    return {
        name: spec or ""
        for _, name, spec, _ in string.Formatter().parse(template)
        if name is not None
    }


def _texts() -> list[tuple[str, dict[str, str]]]:
    found = [(cls.code, cls.template) for cls in CATALOGUE]
    found += [(cls.code + " fix", cls.fix_template) for cls in CATALOGUE]
    for rule in load_rules().rules:
        found.append((rule.code, rule.message.model_dump()))
        found.append((rule.code + " fix", rule.fix.model_dump()))
    return found


@pytest.mark.parametrize(("code", "texts"), _texts(), ids=lambda v: v if isinstance(v, str) else "")
def test_a_count_is_marked_as_a_count_in_both_languages(code: str, texts: dict[str, str]) -> None:
    english, indonesian = _fields(texts["en"]), _fields(texts["id"])
    counts = {name for name, spec in english.items() if spec.startswith("~")}
    assert counts == {name for name, spec in indonesian.items() if spec.startswith("~")}
    bare = re.findall(r"\{(\w+)\} (?:" + COUNT_NOUNS + r")\b", texts["id"])
    assert bare == [], f"{code}: write {{{bare[0]}:~noun}} so the number is grouped"


@pytest.mark.parametrize("cls", CATALOGUE, ids=lambda cls: cls.code)
def test_every_count_of_every_finding_reads_20_000_in_indonesian(cls: type[F.Finding]) -> None:
    names = {**_fields(cls.template["en"]), **_fields(cls.fix_template["en"])}
    counts = {name for name, spec in names.items() if spec.startswith("~")}
    if not counts:
        pytest.skip("no count in this message")
    finding = cls(WHERE, **{name: 20000 if name in counts else "x" for name in names})
    indonesian = finding.message("id") + finding.fix("id")
    assert "20000" not in indonesian and "20,000" not in indonesian
    assert "20.000" in indonesian
    assert "20,000" in finding.message("en") + finding.fix("en")


def test_the_row_limit_reads_as_indonesian_writes_it() -> None:
    assert (
        F.TooManyRows(WHERE, limit=20000).message("id") == "berkas memiliki lebih dari 20.000 baris"
    )
    assert F.TooManyRows(WHERE, limit=20000).message("en") == "the file has more than 20,000 rows"
    text = F.TextTooLong(WHERE, length=1500, limit=1000)
    assert text.message("id") == "panjang teks 1.500 karakter; batasnya 1.000 karakter"


def test_a_rule_writes_its_values_with_indonesian_marks() -> None:
    finding = RuleViolation(
        WHERE,
        code="bounds",
        title="t",
        severity="warning",
        message={
            "en": "{value} is not {right} ({tolerance:~point})",
            "id": "{value} bukan {right} ({tolerance:~poin})",
        },
        fix={"en": "", "id": ""},
        value=270626000.0,
        right=(56.3, 0.1 + 0.2),
        tolerance=0.5,
    )
    assert finding.message("en") == "270,626,000 is not 56.3, 0.3 (0.5 points)"
    assert finding.message("id") == "270.626.000 bukan 56,3; 0,3 (0,5 poin)"
