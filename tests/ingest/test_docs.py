"""Docs as tests: every command, finding code and rule is in the guides."""

from __future__ import annotations

from pathlib import Path

from lindung.ingest import FINDING_TYPES, load_rules

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_finding_code_and_rule_is_explained_in_the_submissions_guide() -> None:
    guide = (DOCS / "submissions.md").read_text(encoding="utf-8")
    for kind in FINDING_TYPES:
        assert f"`{kind.code}`" in guide, kind.code
    for rule in load_rules().rules:
        assert f"`{rule.code}`" in guide, rule.code
