"""``lindung settings``: every setting, where its value comes from, and what it is for."""

from __future__ import annotations

import typer

from lindung.cli.output import Format, print_rows
from lindung.settings import SETTINGS


def settings(
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, json or csv."),
) -> None:
    """List the settings: environment variable, current value, whether set, type and help."""
    rows = []
    for setting in SETTINGS:
        value = setting.value()
        rows.append(
            {
                "name": setting.name,
                "env": setting.env,
                "value": setting.shown(value),
                "source": "environment" if setting.is_set() else "default",
                "type": setting.kind,
                "default": setting.shown(setting.default),
                "help": setting.help,
            }
        )
    print_rows(rows, fmt, title="Settings", columns=["env", "value", "source", "help"])
