"""``lindung export`` and ``lindung import``: the framework's data as SDMX, and SDMX data from
the agencies into the store."""

from __future__ import annotations

from pathlib import Path

import typer

from lindung.cli.codes import canonical
from lindung.cli.output import console, output_files
from lindung.cli.store_access import open_store
from lindung.errors import UnknownCode, UsageError
from lindung.exchange.sdmx_out import SdmxFormat
from lindung.framework import load_catalogue
from lindung.text import counted

export_app = typer.Typer(help="Export the framework's data (SDMX).", no_args_is_help=True)

#: The suffix each format's file has; without --format, .csv is SDMX-CSV 2.0.
SUFFIXES = {SdmxFormat.csv1: ".csv", SdmxFormat.csv2: ".csv", SdmxFormat.ml: ".xml"}


def _format(out: Path, chosen: SdmxFormat | None) -> SdmxFormat:
    suffix = out.suffix.lower()
    if chosen is None:
        by_suffix = {".csv": SdmxFormat.csv2, ".xml": SdmxFormat.ml}
        if suffix not in by_suffix:
            raise UsageError(f"{out.name}: give a file name ending in .csv or .xml")
        return by_suffix[suffix]
    if suffix != SUFFIXES[chosen]:
        raise UsageError(
            f"{out.name} ends in {out.suffix or 'nothing'} but --format {chosen.value} writes "
            f"{SUFFIXES[chosen]}; name the file {out.stem}{SUFFIXES[chosen]}"
        )
    return chosen


@export_app.command("sdmx")
def export_sdmx(
    out: Path = typer.Option(..., "--out", help="File to write (.csv or .xml)."),
    series: list[str] = typer.Option(
        [], "--series", help="Series code (repeatable; default every series).", callback=canonical
    ),
    area: list[str] = typer.Option(
        [], "--area", help="ISO3 code or aggregate (repeatable).", callback=canonical
    ),
    year_from: int | None = typer.Option(None, "--from", help="First year."),
    year_to: int | None = typer.Option(None, "--to", help="Last year."),
    fmt: SdmxFormat | None = typer.Option(
        None, "--format", help="csv1 (SDMX-CSV 1.0), csv2 (SDMX-CSV 2.0) or ml (SDMX-ML 2.1)."
    ),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists."),
) -> None:
    """Write the current published values as an SDMX data message keyed to the SDG DSD
    (Lindung's own ASP_ series under Lindung's DSD, agency ASEAN)."""
    from lindung.exchange.sdmx_out import write_message
    from lindung.store import current_observations, transaction

    chosen = _format(out, fmt)
    catalogue = load_catalogue()
    for code in series:
        catalogue.indicator(code)
    for code in area:
        if code not in catalogue.areas:
            raise UnknownCode("area", code, f"use one of {', '.join(catalogue.areas)}")
    engine = open_store()
    with transaction(engine) as connection:
        rows = current_observations(
            connection,
            series=series or None,
            areas=area or None,
            year_from=year_from,
            year_to=year_to,
        )
    message = write_message(rows, catalogue, chosen)
    with output_files(out, force=force) as (staged,):
        staged.write_text(message, encoding="utf-8")
    console.print(f"Wrote {counted(len(rows), 'observation')} to {out} ({chosen.value}).")
