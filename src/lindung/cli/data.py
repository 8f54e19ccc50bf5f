"""``lindung data``: load the shipped reference data, query observations."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import typer
from rich.progress import Progress

from lindung.cli.codes import canonical
from lindung.cli.output import (
    Format,
    broken_down,
    console,
    print_rows,
    progress_columns,
    progress_text,
)
from lindung.cli.store_access import current_user, open_store
from lindung.cli.years import year_option
from lindung.errors import UnknownCode
from lindung.framework import load_catalogue
from lindung.text import counted

if TYPE_CHECKING:
    from lindung.ingest.reference import ReferenceBatch

app = typer.Typer(help="Load reference data and query observations.", no_args_is_help=True)


def _table_columns(rows: list[dict[str, Any]], versions: bool) -> list[str]:
    """The key columns, then only the dimensions that some row breaks down (JSON/CSV have all);
    with every version, which submission each came in and where that stands."""
    columns = ["series", "ref_area", "time_period", "value", "unit", *broken_down(rows), "nature"]
    return [*columns, "submission_id", "submission_status"] if versions else columns


@app.command("load-reference")
def load_reference_command() -> None:
    """Load the UN SDG, World Bank, UN population and Maddison data as published observations."""
    from lindung.ingest.reference import load_reference

    engine = open_store()
    with Progress(*progress_columns(), console=console, transient=True) as progress:
        task = progress.add_task("Loading reference data", total=None)

        def advance(batch: ReferenceBatch) -> None:
            progress.update(
                task,
                advance=1,
                description=progress_text(f"Loading {batch.file_name} ({batch.ref_area})"),
            )

        summary = load_reference(engine, progress=advance)
    console.print(
        f"Reference data: {counted(summary.submissions_created, 'submission')} and "
        f"{counted(summary.observations_written, 'observation')} added; "
        f"{counted(summary.batches_already_loaded, 'batch', 'batches')} already loaded."
    )


@app.command("query")
def query(
    series: list[str] = typer.Option(
        ..., "--series", help="Series code (repeatable).", metavar="SERIES", callback=canonical
    ),
    area: list[str] = typer.Option(
        [],
        "--area",
        help="ISO3 code of a member state, ASEAN or WLD (repeatable).",
        metavar="AREA",
        callback=canonical,
    ),
    year_from: int | None = year_option(None, "--from", help="First year."),
    year_to: int | None = year_option(None, "--to", help="Last year."),
    all_versions: bool = typer.Option(
        False, "--history", help="Every stored version, not only the current values."
    ),
    actor: str | None = typer.Option(
        None, "--as", help="Which account logged in here reads (default: the active one)."
    ),
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
) -> None:
    """Print observations: the current published value of each key (or every version: the
    published ones, and the unpublished ones you may see)."""
    from lindung.ingest.accounts import may_read_unpublished
    from lindung.store import KEY, current_observations, history, transaction
    from lindung.store.observations import VALUE_FIELDS

    columns = (*KEY, *VALUE_FIELDS, "submission_id", "submission_status", "framework_version")
    catalogue = load_catalogue()
    for code in series:
        catalogue.indicator(code)
    for code in area:
        if code not in catalogue.areas:
            raise UnknownCode("area", code, f"use one of {', '.join(catalogue.areas)}")
    engine = open_store()
    with transaction(engine) as connection:
        fetch = history if all_versions else current_observations
        rows = fetch(
            connection, series=series, areas=area or None, year_from=year_from, year_to=year_to
        )
        if all_versions:
            user = current_user(connection, actor)
            rows = [
                row
                for row in rows
                if row["submission_status"] == "published"
                or may_read_unpublished(user, row["ref_area"])
            ]
    shown: list[dict[str, Any]] = [{name: row.get(name) for name in columns} for row in rows]
    print_rows(
        shown,
        fmt,
        title=f"{', '.join(series)}: {counted(len(shown), 'observation')}",
        columns=_table_columns(shown, all_versions) if fmt is Format.table else None,
    )
