"""Codes and identifiers as the command line takes them: in any case, always in range.

Series and area codes are upper case in the catalogue (``SI_COV_BENFTS``, ``IDN``, ``ASEAN``),
so every command accepts them in any case, without surrounding spaces, and works (and
speaks, in its messages) with the canonical code. Identifiers of stored records are checked
against what either engine can hold, so an id too large for SQLite is "not found" there just
as on PostgreSQL.
"""

from __future__ import annotations

from typing import TypeVar

import typer

from lindung.errors import NotFound
from lindung.keys import MAX_ID

Codes = TypeVar("Codes", str, list[str], str | None)


def canonical(value: Codes) -> Codes:
    """Return a code (or each of a list of codes) in upper case without surrounding spaces;
    a Typer callback for code options."""
    if isinstance(value, list):
        return [code.strip().upper() for code in value]
    if isinstance(value, str):
        return value.strip().upper()
    return value


def submission_id(value: int) -> int:
    """Return a submission id, or raise NotFound for one that no store can hold; a Typer
    callback for submission id arguments."""
    if not 1 <= value <= MAX_ID:
        raise NotFound(f"no submission with id {value}; `lindung submission list` shows them")
    return value


SUBMISSION_ID = typer.Argument(..., help="Submission id.", callback=submission_id)
