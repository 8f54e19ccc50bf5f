"""Docs as tests: every command and setting of `lindung` is in the CLI guide."""

from __future__ import annotations

import re
import shlex
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import typer

from lindung.cli.main import app
from lindung.store.engine import ENV_VAR

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "cli.md"


def _commands(group: typer.Typer, prefix: str) -> Iterator[str]:
    for command in group.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        yield f"{prefix} {name.replace('_', '-')}"
    for subgroup in group.registered_groups:
        assert subgroup.typer_instance is not None and subgroup.name is not None
        yield from _commands(subgroup.typer_instance, f"{prefix} {subgroup.name}")


def test_every_command_has_its_line_in_the_cli_guide() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    commands = sorted(_commands(app, "lindung"))
    assert len(commands) >= 30
    missing = [command for command in commands if f"`{command}" not in guide]
    assert missing == []


def test_every_command_group_has_its_section_in_the_cli_guide() -> None:
    guide = GUIDE.read_text(encoding="utf-8")
    for group in app.registered_groups:
        assert f"## lindung {group.name}\n" in guide, group.name


def test_the_database_setting_is_documented() -> None:
    assert ENV_VAR in GUIDE.read_text(encoding="utf-8")


README = GUIDE.parents[1] / "README.md"
#: The README's sizes, scaled down so the walk takes seconds; nothing else is changed.
SMALLER = {"--households 20000": "--households 600", "--persons 1000000": "--persons 3000"}


def _readme_commands() -> Iterator[tuple[str, str | None]]:
    """Yield the README's ``lindung`` command lines after "Using it", in order, each with the
    text piped into it; a block stops at its first step a person does by hand (``# ...``)."""
    text = README.read_text(encoding="utf-8").split("## Using it", 1)[1]
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if line.startswith("# ..."):
                break
            command = re.sub(r"\s+#.*$", "", line).strip()
            for big, small in SMALLER.items():
                command = command.replace(big, small)
            stdin = None
            if command.startswith("echo "):
                echoed, command = command.split("|", 1)
                stdin = shlex.split(echoed)[1] + "\n"
            yield command.strip(), stdin


def test_the_readme_runs_top_to_bottom_on_a_fresh_store(
    lindung: Callable[..., Any], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    commands = list(_readme_commands())
    assert len(commands) >= 20
    assert [c for c, _ in commands].index("lindung login focal@example.org") < next(
        number for number, (c, _) in enumerate(commands) if "--store" in c
    )
    for command, stdin in commands:
        words = shlex.split(command)
        assert words[0] == "lindung", command
        done = lindung(*words[1:], stdin=stdin)
        assert done.exit_code == 0, (command, done.stderr)
