"""What commands print and write: rows as a Rich table, JSON or CSV, and files put in place.

Every string the consoles render is user text until proven otherwise, so the consoles
interpret no Rich markup or emoji codes and show control characters as escapes: a note or an
e-mail of ``[/red]`` prints as typed. Style what Lindung itself prints with ``rich.text.Text``
(or ``style=``), never with markup in the string.
"""

from __future__ import annotations

import enum
import json
import os
import re
import shutil
import sys
import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    ProgressColumn,
    TaskProgressColumn,
    TextColumn,
    TimeRemainingColumn,
)
from rich.style import Style
from rich.table import Table
from rich.text import Text

from lindung.errors import LindungError, UsageError
from lindung.text import (
    cell_text,
    csv_text,
    for_console,
    json_for_console,
    shown_number,
    timestamp,
)

FORCE_OPTION = typer.Option(False, "--force", help="Replace the output file if it exists.")


class PlainConsole(Console):
    """A Rich console that renders every string as plain text: no markup, no emoji codes,
    control characters and bidi overrides shown as escapes."""

    def render_str(
        self,
        text: str,
        *,
        style: str | Style = "",
        justify: Any = None,
        overflow: Any = None,
        emoji: bool | None = None,
        markup: bool | None = None,
        highlight: bool | None = None,
        highlighter: Any = None,
    ) -> Text:
        """Return the string as a Text, taken literally."""
        return super().render_str(
            for_console(text),
            style=style,
            justify=justify,
            overflow=overflow,
            emoji=False,
            markup=False,
            highlight=highlight,
            highlighter=highlighter,
        )


def _console() -> Console:
    """Terminals wrap at their width; a pipe or file gets whole rows (Rich would cut at 80)."""
    if sys.stdout.isatty():
        return PlainConsole()
    return PlainConsole(width=PIPE_WIDTH, height=25)


PIPE_WIDTH = 240
console = _console()


def progress_text(text: str) -> str:
    """Return ``text`` for a progress bar's description (drawn by :func:`progress_columns`'s
    plain text column): its control characters as escapes."""
    return for_console(text, one_line=True)


def progress_columns() -> tuple[ProgressColumn, ...]:
    """Rich's default progress columns, with the description drawn as plain text: Rich reads
    a description as markup and emoji codes, so a step naming a domain column called ``[/]``
    would stop it with an error, and ``[red]`` or ``:thumbs_up:`` would be obeyed."""
    return (
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TaskProgressColumn(),
        TimeRemainingColumn(),
    )


error_console = PlainConsole(stderr=True)


class Format(enum.StrEnum):
    """Output formats of listing commands."""

    table = "table"
    json = "json"
    csv = "csv"


def labelled(label: str, style: str, message: str) -> Text:
    """Return ``label message`` with only the label styled (e.g. a yellow ``warning:``)."""
    return Text.assemble((label, style), " ", for_console(message))


#: Table columns whose whole numbers are labels (a year, an id), shown without grouping.
_LABEL_COLUMN = re.compile(r"(^|_)(id|year|period|from|to|since|submission|run|version)$")


def _cell(value: Any, *, table: bool, column: str = "") -> str:
    if table and isinstance(value, int) and not isinstance(value, bool):
        return str(value) if _LABEL_COLUMN.search(column) else shown_number(value)
    return cell_text(value, number=shown_number if table else str, seconds=table)


def _json_default(value: Any) -> str:
    if isinstance(value, datetime):
        return timestamp(value)
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
        text = json.dumps(list(rows), ensure_ascii=False, indent=2, default=_json_default)
        print(json_for_console(text))
        return
    cols = list(columns) if columns else (list(rows[0].keys()) if rows else [])
    if fmt is Format.csv:
        print(csv_text(rows, cols), end="")
        return
    table = Table(title=title)
    for c in cols:
        table.add_column(c)
    for row in rows:
        table.add_row(*(_cell(row.get(c), table=True, column=c) for c in cols))
    console.print(table)


def broken_down(rows: Sequence[Mapping[str, Any]]) -> list[str]:
    """The observation dimensions that some row breaks down (not all ``_T``), for a table that
    shows only what varies; JSON and CSV keep every dimension."""
    from lindung.keys import DIMENSIONS

    return [name for name in DIMENSIONS if any(row[name] != "_T" for row in rows)]


def check_suffix(
    path: Path, suffixes: Mapping[str, str], chosen: str | None, *, default: str | None = None
) -> str:
    """Return the format of an output file: ``chosen`` if given, else the one its suffix
    names, else (a name without a suffix) ``default``.

    ``suffixes`` maps each suffix (".csv") to a format. A suffix that is not among them is
    refused whatever else is given (CSV text in ``e.xlsx`` would open as a broken workbook),
    and so is one that names another format than ``chosen``.
    """
    known = ", ".join(sorted(suffixes))
    named = suffixes.get(path.suffix.lower())
    if path.suffix and named is None:
        raise UsageError(f"{path.name}: give a file name ending in one of {known}")
    if chosen is not None and named is not None and named != chosen:
        raise UsageError(
            f"{path.name} ends in {path.suffix} but --format is {chosen}; "
            f"name the file {path.stem}.{chosen} or leave out --format"
        )
    if chosen is None and named is None and default is None:
        raise UsageError(f"{path.name}: give a file name ending in one of {known}")
    return chosen or named or str(default)


def _refusal(target: Path, force: bool, inputs: Sequence[Path]) -> str | None:
    """Why ``target`` must not be written, or None."""
    if target.is_dir():
        return f"{target} is a folder; give the name of a file to write in it"
    if not target.parent.is_dir():
        return f"folder {target.parent} does not exist; create it or choose another file"
    if not target.exists() and not target.is_symlink():
        return None
    if any(_same_file(target, source) for source in inputs):
        return f"{target} is the input file; write to another file so the original is kept"
    if target.exists() and not target.is_file():
        return f"{target} is not a regular file; choose a file in a folder"
    if not force:
        return f"{target} already exists; choose another name or add --force to replace it"
    return None


def _same_file(target: Path, source: Path) -> bool:
    try:
        return os.path.samefile(target, source)
    except OSError:
        return False


def check_writable(*targets: Path, force: bool = False, inputs: Sequence[Path] = ()) -> None:
    """Refuse, with the reason and the way out, to write any target that is a folder, is in a
    missing folder, is one of ``inputs``, is not a regular file, or exists (unless ``force``)."""
    seen: set[Path] = set()
    for target in targets:
        if target.absolute() in seen:
            raise UsageError(f"{target} is given for two outputs; give each its own file")
        seen.add(target.absolute())
        reason = _refusal(target, force, inputs)
        if reason:
            raise UsageError(reason)


@contextmanager
def output_files(
    *targets: Path, force: bool = False, inputs: Sequence[Path] = ()
) -> Iterator[list[Path]]:
    """Yield a staging path for each target, with the same file name; when the block ends
    without an error, move each staged file into place (an atomic rename), else leave every
    target as it was. Targets are first checked as ``check_writable`` does.
    """
    check_writable(*targets, force=force, inputs=inputs)
    stages: dict[Path, Path] = {}
    current = targets[0] if targets else Path()
    try:
        staged = []
        for target in targets:
            current = target
            if target.parent not in stages:
                stages[target.parent] = Path(
                    tempfile.mkdtemp(prefix=".lindung-", dir=target.parent)
                )
            staged.append(stages[target.parent] / target.name)
        yield staged
        for path, target in zip(staged, targets, strict=True):
            current = target
            if path.exists():
                path.replace(target)
    except OSError as error:
        raise LindungError(f"cannot write {current}: {error.strerror or error}") from None
    finally:
        for stage in stages.values():
            shutil.rmtree(stage, ignore_errors=True)
