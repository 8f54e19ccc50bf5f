"""Every command's --help names values in plain words (FILE, N, YEAR, EMAIL), never Python
types, and shows nothing after a flag."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import typer.main

from lindung.cli.main import app

#: What Typer prints on its own: ``<bool>``, ``<int range> [x>=1]``, ``{email}``, ``<path>``.
PYTHON_WORDS = re.compile(
    r"list\[|<list|<(bool|str|int|float|path|file|dir)( range)?>|\[-?[\d.]*<?=?x[<>]=|\{[a-z_]+\}|x>=|x<="
)


def _paths(command: Any, path: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    yield path
    for name, child in sorted(getattr(command, "commands", {}).items()):
        yield from _paths(child, (*path, name))


COMMANDS = list(_paths(typer.main.get_command(app), ()))


def test_the_walk_reaches_every_command() -> None:
    assert len(COMMANDS) >= 40
    assert ("survey", "synth") in COMMANDS


@pytest.mark.parametrize("path", COMMANDS, ids=lambda path: " ".join(path) or "lindung")
def test_help_shows_no_python_type(path: tuple[str, ...], cli: Callable[..., Any]) -> None:
    outcome = cli(*path, "--help")
    assert outcome.exit_code == 0, outcome.stderr
    assert PYTHON_WORDS.findall(outcome.stdout) == []


def test_values_are_named_in_plain_words_and_flags_take_none(cli: Callable[..., Any]) -> None:
    synth = cli("survey", "synth", "--help").stdout
    assert re.search(r"--households +N \[at least 1\] +Number of households", synth)
    assert re.search(r"--out +FILE +Data file", synth)
    assert re.search(r"--force +Replace the output", synth)
    add = cli("user", "add", "--help").stdout
    assert "Usage: lindung user add [OPTIONS] EMAIL " in add
    assert re.search(r"--as +EMAIL +Which account", add)
