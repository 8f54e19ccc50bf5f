"""``lindung countries``: the ASEAN Member States and their codes."""

from __future__ import annotations

import typer

from lindung.cli.output import Format, print_rows
from lindung.framework import load_catalogue


def countries(
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, json or csv."),
) -> None:
    """List the member states: ISO3 and M49 codes, names, year of accession."""
    rows = [
        {
            "iso3": state.iso3,
            "m49": state.m49,
            "name": state.name.model_dump(),
            "member_since": state.member_since,
        }
        for state in load_catalogue().member_states
    ]
    print_rows(rows, fmt, title="ASEAN Member States")
