"""Docs as tests: every command and setting of `lindung` is in the CLI guide."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

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
