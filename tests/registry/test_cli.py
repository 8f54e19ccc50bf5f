"""``lindung registry``'s command line: the breakdowns it offers and what it writes is safe."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path
from typing import Any

from tests.registry.conftest import CCT, REGISTRY

from lindung.cli.registry import AREAS, BREAKDOWNS
from lindung.registry import AREAS as ENGINE_AREAS
from lindung.registry import DOMAINS


def test_the_command_offers_exactly_the_engine_breakdowns() -> None:
    # The CLI spells them out so as not to import the registry engine at start-up.
    assert BREAKDOWNS == DOMAINS
    assert AREAS == ENGINE_AREAS


def test_a_region_code_that_is_a_formula_is_written_as_text(
    tmp_path: Path, cli: Callable[..., Any]
) -> None:
    registry = tmp_path / "reg.csv"
    registry.write_text(REGISTRY.replace(",A,", ',"=HYPERLINK(""http://x"")",'), encoding="utf-8")
    lists = tmp_path / "cct.csv"
    lists.write_text(CCT, encoding="utf-8")
    out = tmp_path / "coverage.csv"
    done = cli(
        "registry",
        "coverage",
        "--registry",
        str(registry),
        "--beneficiaries",
        f"CCT={lists}",
        "--year",
        "2026",
        "--by",
        "region",
        "--out",
        str(out),
    )
    assert done.exit_code == 0, done.stderr
    with out.open(encoding="utf-8", newline="") as handle:
        levels = [row["level"] for row in csv.DictReader(handle) if row["by"] == "region"]
    assert levels == ['\'=HYPERLINK("http://x")', "B"]


def test_an_existing_output_is_kept_without_force(tmp_path: Path, cli: Callable[..., Any]) -> None:
    registry = tmp_path / "reg.csv"
    registry.write_text(REGISTRY, encoding="utf-8")
    out = tmp_path / "coverage.csv"
    out.write_text("keep me", encoding="utf-8")
    done = cli(
        "registry",
        "coverage",
        "--registry",
        str(registry),
        "--beneficiaries",
        f"CCT={registry}",
        "--year",
        "2026",
        "--out",
        str(out),
    )
    assert done.exit_code == 2
    assert "already exists" in done.stderr
    assert out.read_text(encoding="utf-8") == "keep me"
