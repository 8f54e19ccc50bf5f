"""Reading a social registry and its beneficiary lists where they lie, columns checked first.

Files are read by DuckDB through Ibis (CSV or Parquet), never into Python. Each file's columns are
checked against what it must hold before anything is counted:

- the registry, one row per person: ``person_id``, ``household_id``, ``region``, ``sex``,
  ``disability``, ``poor`` (the poverty-level flag), ``age`` or ``birth_year``, and ``decile``
  (the welfare decile, 1 poorest) or ``pmt_score`` (the proxy-means-test score, lower poorer);
- a beneficiary list, one row per payment: ``person_id`` or ``household_id``, ``amount`` and
  ``period`` (``YYYY-MM``, or a date taken as its month).

Where both alternatives are present, the first named wins (``age`` over ``birth_year``,
``decile`` over ``pmt_score``, ``person_id`` over ``household_id``). Other columns are ignored,
unless one looks like a misspelling of a column the file lacks: that is refused, since counting
without it would silently count something else.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.types as ir

from lindung.errors import RegistryInputError

__all__ = ["BENEFICIARIES", "REGISTRY", "Layout", "checked_columns", "read_table"]


@dataclass(frozen=True)
class Layout:
    """The columns a kind of file must hold: each of ``required``, and one of each ``choice``."""

    kind: str
    required: tuple[str, ...]
    choices: tuple[tuple[str, ...], ...]

    def expected(self) -> tuple[str, ...]:
        """Every column name the file may use."""
        return self.required + tuple(name for choice in self.choices for name in choice)


REGISTRY = Layout(
    kind="registry",
    required=("person_id", "household_id", "region", "sex", "disability", "poor"),
    choices=(("age", "birth_year"), ("decile", "pmt_score")),
)
BENEFICIARIES = Layout(
    kind="beneficiary list",
    required=("amount", "period"),
    choices=(("person_id", "household_id"),),
)


def read_table(con: ibis.BaseBackend, path: Path) -> ir.Table:
    """Return a CSV or Parquet file as an Ibis table on ``con``, read where it lies."""
    if not path.is_file():
        raise RegistryInputError(f"{path}: no such file; check the path")
    suffix = path.suffix.lower()
    try:
        if suffix in {".csv", ".txt", ".gz"}:
            return con.read_csv(str(path))
        if suffix in {".parquet", ".pq"}:
            return con.read_parquet(str(path))
    except Exception as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise RegistryInputError(
            f"{path}: unreadable ({first_line}); give a valid CSV or Parquet file"
        ) from None
    raise RegistryInputError(f"{path}: unknown format {suffix!r}; give a .csv or .parquet file")


def checked_columns(path: Path, columns: list[str], layout: Layout) -> dict[str, str]:
    """Return, for each column the layout needs, the name the file uses (the first present
    alternative of a choice stands for the choice's first name).

    Raise RegistryInputError naming the file, the missing or misspelled column and the fix.
    """
    present = set(columns)
    unknown = [name for name in columns if name not in layout.expected()]
    wanted: dict[str, str] = {}
    for name in layout.required:
        if name not in present:
            fix = _renaming(name, unknown) or "; add it (docs/registry.md lists the columns)"
            raise RegistryInputError(f"{path}: the {layout.kind} has no column {name!r}{fix}")
        wanted[name] = name
    for choice in layout.choices:
        found = [name for name in choice if name in present]
        if not found:
            either = " or ".join(repr(name) for name in choice)
            hints = [_renaming(name, unknown) for name in choice]
            fix = next((hint for hint in hints if hint), f"; add one of them ({either})")
            raise RegistryInputError(f"{path}: the {layout.kind} has no column {either}{fix}")
        wanted[found[0]] = found[0]
    for name in unknown:
        close = difflib.get_close_matches(name, layout.expected(), n=1, cutoff=0.8)
        if close and close[0] not in present:
            raise RegistryInputError(
                f"{path}: unknown column {name!r} in the {layout.kind}; "
                f"rename it {close[0]!r} if that is what it holds, or drop it"
            )
    return wanted


def _renaming(name: str, unknown: list[str]) -> str:
    close = difflib.get_close_matches(name, unknown, n=1, cutoff=0.6)
    if close:
        return f"; the file has {close[0]!r}: rename it {name!r} if that is what it holds"
    return ""
