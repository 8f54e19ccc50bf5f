"""Printing rows the way every listing command does: a Rich table, JSON or CSV."""

from __future__ import annotations

import csv
import enum
import io
import json
import sys
from collections.abc import Mapping, Sequence
from typing import Any

from rich.console import Console
from rich.table import Table


def _console() -> Console:
    """Terminals wrap at their width; a pipe or file gets whole rows (Rich would cut at 80)."""
    if sys.stdout.isatty():
        return Console()
    return Console(width=PIPE_WIDTH, height=25)


PIPE_WIDTH = 240
console = _console()
error_console = Console(stderr=True)


class Format(enum.StrEnum):
    """Output formats of listing commands."""

    table = "table"
    json = "json"
    csv = "csv"


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Mapping):
        return str(value.get("en", next(iter(value.values()), ""))) if value else ""
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def print_rows(
    rows: Sequence[Mapping[str, Any]],
    fmt: Format,
    *,
    title: str | None = None,
    columns: Sequence[str] | None = None,
) -> None:
    """Print rows as a table (only ``columns`` if given), as JSON (every key) or as CSV."""
    if fmt is Format.json:
        print(json.dumps(list(rows), ensure_ascii=False, indent=2, default=str))
        return
    cols = list(columns) if columns else (list(rows[0].keys()) if rows else [])
    if fmt is Format.csv:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=cols, extrasaction="ignore")
        writer.writeheader()
        for row in rows:
            writer.writerow({c: _cell(row.get(c)) for c in cols})
        print(buffer.getvalue(), end="")
        return
    table = Table(title=title)
    for c in cols:
        table.add_column(c)
    for row in rows:
        table.add_row(*(_cell(row.get(c)) for c in cols))
    console.print(table)


def broken_down(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The observation dimensions that some row breaks down (not all ``_T``), for a table that
    shows only what varies; JSON and CSV keep every dimension."""
    from lindung.keys import DIMENSIONS

    return [name for name in DIMENSIONS if any(row[name] != "_T" for row in rows)]
