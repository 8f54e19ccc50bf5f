"""Every number Lindung prints goes through ``lindung.text.shown_number``: thousands grouped,
six significant digits, no scientific notation for ordinary magnitudes, in messages and tables."""

from __future__ import annotations

import ast
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

SOURCE = Path(__file__).resolve().parents[1] / "src" / "lindung"
#: The packages whose f-strings are messages and tables (writers of files keep full precision).
SPOKEN = ("cli", "assess", "survey", "registry")
#: A format that may print 5.71247e+06: g, e, or n, with or without a precision.
SCIENTIFIC = re.compile(r"[gGeEn]$")


def _scientific_formats(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.FormattedValue) and node.format_spec is not None:
            spec = ast.unparse(node.format_spec)
            if SCIENTIFIC.search(spec.strip("'\"f")):
                found.append(f"{path.relative_to(SOURCE)}:{node.lineno}: {ast.unparse(node)}")
    return found


def test_no_message_formats_a_number_that_could_print_in_scientific_notation() -> None:
    offending = [
        line
        for package in SPOKEN
        for path in sorted((SOURCE / package).rglob("*.py"))
        for line in _scientific_formats(path)
    ]
    assert offending == []


#: A run of four or more digits not grouped, outside a year, an id or a time.
UNGROUPED = re.compile(r"(?<![\d,.:/-])\d{4,}(?![\d,.:])")
YEAR = re.compile(r"^(19|20)\d\d$")


def _ungrouped(text: str) -> list[str]:
    return [m.group(0) for m in UNGROUPED.finditer(text) if not YEAR.match(m.group(0))]


def test_survey_commands_print_grouped_numbers_without_scientific_notation(
    cli: Callable[..., Any], tmp_path: Path
) -> None:
    data, spec = tmp_path / "hh.csv", tmp_path / "spec.yaml"
    synth = cli(
        "survey", "synth", "--households", "600", "--out", str(data), "--spec-out", str(spec)
    )
    assert synth.exit_code == 0, synth.stderr
    out = tmp_path / "e.csv"
    estimate = cli("survey", "estimate", str(spec), "--data", str(data), "--out", str(out))
    assert estimate.exit_code == 0, estimate.stderr
    describe = cli("survey", "describe", str(spec), "--data", str(data))
    assert describe.exit_code == 0, describe.stderr
    # Paths hold the temporary folder's digits; leave them out of the check.
    printed = "\n".join(o.stdout + o.stderr for o in (synth, estimate, describe))
    printed = printed.replace(str(tmp_path), "TMP")
    assert "e+" not in printed and "e-0" not in printed
    assert re.search(r"poverty line p20 = \d{1,3}(,\d{3})+(\.\d+)? ", printed)
    assert re.search(r"\(\d,\d{3} defined\)", printed) and re.search(
        r"\d,\d{3} of \d,\d{3} rows", printed
    )
    assert _ungrouped(printed) == []
