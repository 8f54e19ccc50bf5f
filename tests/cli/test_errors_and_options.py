"""How `lindung` refuses: one `Error:` line with control characters escaped, the exit status of
the error's kind, usage errors like the rest plus a pointer to --help; and its global options
--version and --verbose."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from importlib.metadata import version
from pathlib import Path
from typing import Any

import pytest

Run = Callable[..., Any]
BOX = set("╭╮╰╯│─")


def test_version_prints_the_installed_version(cli: Run) -> None:
    result = cli("--version")
    assert result.exit_code == 0
    assert result.stdout == f"lindung {version('lindung')}\n"


@pytest.mark.parametrize(
    ("args", "error", "hint"),
    [
        (
            ("framework", "list", "--bogus"),
            "Error: No such option: --bogus",
            "Try 'lindung framework list --help' for help.",
        ),
        (
            ("framework", "list", "--format", "xml"),
            "Error: Invalid value for '--format' / '-f': ",
            "Try 'lindung framework list --help' for help.",
        ),
        (("nosuch",), "Error: No such command 'nosuch'.", "Try 'lindung --help' for help."),
        (
            ("framework", "validate"),
            "Error: Missing argument 'PATH'.",
            "Try 'lindung framework validate --help' for help.",
        ),
    ],
)
def test_a_usage_error_is_one_error_line_and_a_help_hint_with_exit_status_2(
    cli: Run, args: tuple[str, ...], error: str, hint: str
) -> None:
    result = cli(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    first, second = result.stderr.splitlines()
    assert first.lower().startswith(error.lower()) and second == hint
    assert not BOX & set(result.stderr)


def test_an_error_of_lindung_exits_with_the_status_of_its_kind(
    lindung: Run, tmp_path: Path
) -> None:
    uninitialised = lindung("data", "query", "--series", "SI_COV_BENFTS")
    # SQLite: no file at the path ("no store at ..."); PostgreSQL: a database without the
    # schema ("... is not initialised"). Both are store errors that say what to run.
    assert uninitialised.exit_code == 6 and uninitialised.stderr.startswith("Error: ")
    assert "run `lindung db init`" in uninitialised.stderr
    assert lindung("framework", "show", "SI_COV_BENFT").exit_code == 4
    template = lindung(
        "template", "make", "--country", "IDN", "--year", "1950", "--out", str(tmp_path / "t.xlsx")
    )
    assert template.exit_code == 2 and template.stderr.startswith("Error: year 1950")
    assert template.stderr.splitlines()[1] == "Try 'lindung template make --help' for help."
    assert lindung("db", "init").exit_code == 0
    refused = lindung("assess", "availability", "--include-unpublished")
    assert refused.exit_code == 3 and refused.stderr.count("\n") == 1


def test_a_command_group_alone_prints_its_commands_and_exits_2(cli: Run) -> None:
    result = cli("db")
    assert result.exit_code == 2
    assert "init" in result.stdout and "upgrade" in result.stdout and result.stderr == ""


@pytest.mark.parametrize(
    "args",
    [
        ("framework", "show", "X\rY\x1b[2J\u202eZ\nW"),
        ("framework", "list", "--format", "X\rY\x1b[2J\u202eZ\nW"),
    ],
)
def test_control_characters_in_a_message_are_printed_escaped(
    cli: Run, args: tuple[str, ...]
) -> None:
    result = cli(*args)
    assert result.exit_code in (2, 4)
    line = result.stderr.splitlines()[0]
    assert r"X\rY\x1b[2J\u202eZ\nW" in line
    assert not {"\r", "\x1b", "\u202e"} & set(result.stderr)
    assert result.stderr.count("\n") == (2 if result.exit_code == 2 else 1)


def test_verbose_logs_which_store_is_used_and_only_when_asked(lindung: Run) -> None:
    quiet = lindung("db", "init")
    assert quiet.exit_code == 0 and quiet.stderr == ""
    verbose = lindung("--verbose", "db", "upgrade")
    assert verbose.exit_code == 0
    assert verbose.stderr.startswith("INFO lindung.store.engine: store: ")
    assert lindung("db", "upgrade").stderr == ""


def test_library_logging_is_quiet_unless_the_application_asks() -> None:
    # Python prints a library's warnings on stderr when no handler is found; Lindung has one.
    code = "import logging, lindung; logging.getLogger('lindung.store').warning('heard')"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert done.stderr == ""


@pytest.mark.parametrize(
    ("args", "error"),
    [
        (
            ("survey", "synth", "--households", "0", "--out", "x.csv"),
            "Error: Invalid value for '--households': '0' is less than 1",
        ),
        (
            ("survey", "synth", "--households", "many", "--out", "x.csv"),
            "Error: Invalid value for '--households': 'many' is not a whole number",
        ),
        (
            ("assess", "index", "--min-coverage=half"),
            "Error: Invalid value for '--min-coverage': 'half' is not a number",
        ),
        (
            ("serve", "--port", "99999"),
            "Error: Invalid value for '--port': '99999' is more than 65535",
        ),
        (
            ("framework", "list", "--format", "XML"),
            "Error: Invalid value for '--format' / '-f': 'XML' is not one of 'table', 'json', 'csv'",
        ),
        (("submission", "show", "abc"), "Error: Invalid value for 'ID': it is not a whole number"),
    ],
)
def test_a_bad_option_value_is_refused_in_a_plain_sentence(
    cli: Run, args: tuple[str, ...], error: str
) -> None:
    done = cli(*args)
    assert done.exit_code == 2
    first = done.stderr.splitlines()[0]
    assert first == error
    assert "Input should be" not in done.stderr and "Value error" not in done.stderr
