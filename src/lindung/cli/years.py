"""The one kind of option that takes a year: a whole number from FIRST_YEAR to LAST_YEAR,
checked as the command line is read, so that a year no column holds (99999999999999999999,
3000000000) is a usage error naming the option rather than a database's overflow."""

from __future__ import annotations

from typing import Any

import typer

from lindung.keys import FIRST_YEAR, LAST_YEAR


def parse_year(text: str | int) -> int:
    """Return the year ``text`` names; raise BadParameter (a usage error) if it is none."""
    try:
        year = int(text)
    except ValueError:
        raise typer.BadParameter(f"{text!r} is not a year, e.g. 2024") from None
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise typer.BadParameter(f"{year} is not a year from {FIRST_YEAR} to {LAST_YEAR}")
    return year


def year_option(default: Any, *flags: str, help: str) -> Any:
    """Return a Typer option (``--from``, ``--year``, ``--since``...) that takes a year."""
    return typer.Option(
        default, *flags, parser=parse_year, min=FIRST_YEAR, max=LAST_YEAR, help=help
    )
