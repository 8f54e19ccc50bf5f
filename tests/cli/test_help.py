"""Every command's --help names values in plain words (FILE, N, YEAR, EMAIL), never Python
types, and shows nothing after a flag."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest
import typer.main

from lindung.cli.help_text import plain_help
from lindung.cli.main import app, command_tree

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


def _help_from(command: Any, path: tuple[str, ...], capsys: pytest.CaptureFixture[str]) -> str:
    plain_help(command)
    capsys.readouterr()
    with pytest.raises(SystemExit) as done:
        command.main(args=[*path, "--help"], prog_name="lindung")
    assert done.value.code == 0
    return capsys.readouterr().out


@pytest.mark.parametrize("path", COMMANDS[1:], ids=" ".join)
def test_a_command_run_from_its_own_group_has_the_help_of_the_whole_tree(
    path: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    # `lindung survey estimate ...` builds the root and the survey group alone.
    whole = _help_from(typer.main.get_command(app), path, capsys)
    alone = command_tree(list(path))
    assert sorted(alone.commands) == [path[0]]
    assert _help_from(alone, path, capsys) == whole


def test_the_root_alone_or_a_mistyped_command_gets_the_whole_tree() -> None:
    every = sorted(cast(Any, typer.main.get_command(app)).commands)
    assert sorted(command_tree([]).commands) == every
    assert sorted(command_tree(["--help"]).commands) == every
    assert sorted(command_tree(["survy", "estimate"]).commands) == every
    alone = command_tree(["-v", "survey", "estimate"])
    assert sorted(alone.commands) == ["survey"]
    # The root's own options (--version, --verbose) come with it.
    whole = cast(Any, typer.main.get_command(app))
    assert [p.name for p in alone.params] == [p.name for p in whole.params] != []


#: Command lines whose every output (stdout, stderr, exit status) is the same from the partial
#: tree as from the whole one: help, usage errors and the root's options around a command.
SAME_BOTH_WAYS = [
    ["survey", "estimate", "--no-such-option"],
    ["survey", "estimat"],
    ["survey"],
    ["--help", "survey"],
    ["-v", "--help", "survey", "estimate"],
    ["-v", "survey", "--help"],
    ["--verbose", "survey", "synth", "--households", "abc"],
    ["--version", "survey"],
    ["survey", "--version"],
    ["--bogus", "survey"],
    ["user", "add"],
]


@pytest.mark.parametrize("args", SAME_BOTH_WAYS, ids=" ".join)
def test_a_command_line_reads_the_same_from_its_group_as_from_the_whole_tree(
    args: list[str], cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    alone = cli(*args)
    monkeypatch.setattr("lindung.cli.main.command_tree", lambda _args: typer.main.get_command(app))
    whole = cli(*args)
    assert (alone.exit_code, alone.stdout, alone.stderr) == (
        whole.exit_code,
        whole.stdout,
        whole.stderr,
    )
    assert alone.stdout + alone.stderr != ""


def test_the_roots_help_before_a_command_lists_every_command(cli: Callable[..., Any]) -> None:
    shown = cli("--help", "survey").stdout
    assert all(name in shown for name in ("survey", "registry", "submission", "user"))
