"""Every option that takes a year (--from, --to, --year, --since, --base-year, ...) takes one
from 1900 to 2100 and refuses anything else as it reads the command line: a usage error naming
the option (exit status 2), never a database's overflow (SQLite's OverflowError beyond 2**63,
PostgreSQL's integer out of range beyond 2**31)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
import typer.main

from lindung.cli.main import app

YEAR_FLAGS = {"--from", "--to", "--since"}


def _year_options(command: Any, path: tuple[str, ...]) -> Iterator[tuple[tuple[str, ...], str]]:
    for param in command.params:
        flag = next((o for o in param.opts if o.startswith("--")), None)
        if flag and ("year" in (param.name or "") or flag in YEAR_FLAGS):
            yield path, flag
    for name, child in sorted(getattr(command, "commands", {}).items()):
        yield from _year_options(child, (*path, name))


YEAR_OPTIONS = list(_year_options(typer.main.get_command(app), ()))


def test_the_walk_finds_the_year_options_of_every_command_group() -> None:
    found = {(path[0], flag) for path, flag in YEAR_OPTIONS}
    assert {
        ("data", "--from"),
        ("data", "--to"),
        ("export", "--from"),
        ("assess", "--year"),
        ("assess", "--since"),
        ("assess", "--base-year"),
        ("assess", "--target-year"),
        ("registry", "--year"),
        ("report", "--year"),
        ("template", "--year"),
    } <= found
    assert len(YEAR_OPTIONS) >= 20


@pytest.mark.parametrize(
    ("path", "flag"), YEAR_OPTIONS, ids=lambda x: " ".join(x) if isinstance(x, tuple) else x
)
@pytest.mark.parametrize("value", ["99999999999999999999", "3000000000", "1899", "2101", "-5"])
def test_a_year_out_of_range_is_a_usage_error_naming_the_option(
    cli: Callable[..., Any], path: tuple[str, ...], flag: str, value: str
) -> None:
    outcome = cli(*path, flag, value)
    assert outcome.exit_code == 2, outcome.stderr
    assert outcome.stderr.startswith(
        f"Error: Invalid value for '{flag}': {int(value)} is not a year from 1900 to 2100\n"
    ), outcome.stderr
    assert "Traceback" not in outcome.stderr


def test_a_word_for_a_year_is_a_usage_error(cli: Callable[..., Any]) -> None:
    outcome = cli("data", "query", "--series", "SI_POV_DAY1", "--to", "next")
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith("Error: Invalid value for '--to': 'next' is not a year")


def test_the_first_and_last_year_are_taken_on_both_engines(lindung: Callable[..., Any]) -> None:
    assert lindung("db", "init").exit_code == 0
    outcome = lindung("data", "query", "--series", "SI_POV_DAY1", "--from", "1900", "--to", "2100")
    assert outcome.exit_code == 0, outcome.stderr
    outcome = lindung("assess", "progress", "--series", "SI_POV_DAY1", "--year", "2100")
    assert outcome.exit_code == 0, outcome.stderr
