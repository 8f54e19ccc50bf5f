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

Then each value is checked against its column's domain (:func:`checked_values`), in one pass
over the file on the counting engine: a yes/no flag that is neither (``maybe``), a decile
outside 1 to 10, an age or birth year no person has, an amount or score that is not a number, a
period that is not a month. Counting such a file would count something else without a word (a
``maybe`` is not poor), so it is refused, naming the file, the column, the first such value,
its line and how many rows hold one. A missing value is not refused: it is counted as the
definitions say (no, unknown level, not a valid payment).
"""

from __future__ import annotations

import difflib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import ibis
import ibis.expr.types as ir

from lindung.errors import RegistryInputError
from lindung.text import counted

__all__ = [
    "BENEFICIARIES",
    "FALSE_TEXT",
    "REGISTRY",
    "TRUE_TEXT",
    "Layout",
    "checked_columns",
    "checked_values",
    "month",
    "read_table",
]

TRUE_TEXT = ("1", "true", "t", "yes", "y")
"""A yes/no flag's texts for yes (compared trimmed and in lower case)."""
FALSE_TEXT = ("0", "false", "f", "no", "n")
"""A yes/no flag's texts for no."""
OLDEST = 130
"""No person is older: an age or birth year beyond it is a mistake in the file."""
_MONTH = r"^[0-9]{4}-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?$"


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
    if path.stat().st_size == 0:
        raise RegistryInputError(
            f"{path}: the file is empty; give the file with its header line and rows"
        )
    suffix = path.suffix.lower()
    try:
        if suffix in {".csv", ".txt", ".gz"}:
            return con.read_csv(str(path))
        if suffix in {".parquet", ".pq"}:
            return con.read_parquet(str(path))
    except Exception as error:
        raise RegistryInputError(
            f"{path}: {_unreadable(str(error) or type(error).__name__)}"
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


def _unreadable(message: str) -> str:
    """Return why a file could not be read, and the fix, from the engine's message."""
    lines = [line.strip() for line in message.splitlines() if line.strip()]
    where = next((line for line in lines if line.lower().startswith("csv error on line")), "")
    line = where.rsplit(":", 1)[-1].strip() if where else ""
    at = f" (line {line})" if line.isdigit() else ""
    lowered = message.lower()
    if "unicode" in lowered or "utf-8" in lowered or "utf8" in lowered:
        return (
            f"the file is not UTF-8 text{at}; save it as UTF-8 (for example "
            "`iconv -f WINDOWS-1252 -t UTF-8 FILE > NEW`, naming the encoding it is in)"
        )
    reason = lines[0] if lines else "no reason given"
    return f"unreadable{at} ({reason}); give a valid CSV or Parquet file"


def month(column: ir.Value) -> ir.StringValue:
    """Return a period column as its month, ``YYYY-MM`` (a date, or a ``YYYY-MM-DD`` text, is
    taken as its month)."""
    if column.type().is_temporal():
        return column.strftime("%Y-%m")
    text = column.cast("string").strip()
    return text.substr(0, 7)


def _flag_rule(column: ir.Value) -> tuple[ir.BooleanValue, str] | None:
    kind = column.type()
    if kind.is_boolean():
        return None
    if kind.is_numeric():
        return ~column.isin([0, 1]), "is not a yes/no value; give 1 or 0, true or false, yes or no"
    if kind.is_string():
        known = column.strip().lower().isin([*TRUE_TEXT, *FALSE_TEXT])
        return ~known, "is not a yes/no value; give 1 or 0, true or false, yes or no"
    return ibis.literal(True), f"is of type {kind}; give the column as true/false, 1/0 or yes/no"


def _number_rule(
    column: ir.Value, kind: str, low: int | None = None, high: int | None = None, what: str = ""
) -> tuple[ir.BooleanValue, str]:
    number = column.try_cast(kind)
    if kind == "int64" and column.type().is_floating():
        number = ibis.ifelse(column == column.floor(), column.cast("int64"), ibis.null("int64"))
    bad = number.isnull()
    if low is not None:
        bad = bad | (number < low)
    if high is not None:
        bad = bad | (number > high)
    return bad, what


def _rules(
    layout: Layout, table: ir.Table, names: dict[str, str], year: int
) -> dict[str, tuple[ir.BooleanValue, str]]:
    """Return, by column, when one of its values is outside its domain, and what to say."""
    rules: dict[str, tuple[ir.BooleanValue, str] | None] = {}
    if layout is REGISTRY:
        rules["poor"] = _flag_rule(table.poor)
        rules["disability"] = _flag_rule(table.disability)
        if "age" in names:
            rules["age"] = _number_rule(
                table.age, "int64", 0, OLDEST, f"is not an age in whole years, 0 to {OLDEST}"
            )
        else:
            rules["birth_year"] = _number_rule(
                table.birth_year,
                "int64",
                year - OLDEST,
                year,
                f"is not a year of birth from {year - OLDEST} to {year} (the reference year)",
            )
        if "decile" in names:
            rules["decile"] = _number_rule(
                table.decile, "int64", 1, 10, "is not a decile, a whole number from 1 to 10"
            )
        else:
            rules["pmt_score"] = _number_rule(
                table.pmt_score, "float64", what="is not a number; give the score as a plain number"
            )
    else:
        rules["amount"] = _number_rule(
            table.amount,
            "float64",
            what="is not a number; give amounts as plain numbers (1500.5), without a currency "
            "sign or thousands separators",
        )
        if not table.period.type().is_temporal():
            text = table.period.cast("string").strip()
            rules["period"] = (
                ~text.re_search(_MONTH),
                "is not a month; give it as YYYY-MM (or a date, YYYY-MM-DD)",
            )
    return {
        name: (rule[0] & table[name].notnull(), rule[1])
        for name, rule in rules.items()
        if rule is not None
    }


def checked_values(
    table: ir.Table,
    path: Path,
    names: dict[str, str],
    layout: Layout,
    year: int,
    locate: Callable[[Path, str, str], int | None] | None = None,
) -> None:
    """Refuse a value outside its column's domain (a flag that is not yes/no, a decile outside
    1 to 10, an amount that is not a number...): RegistryInputError naming the file, the column,
    the first such value (in text order) and its line (``locate``, default :func:`line_of`),
    how many rows hold one, and the fix. One aggregate query over the file."""
    rules = _rules(layout, table, names, year)
    if not rules:
        return
    counts = table.aggregate(
        **{f"n{i}": bad.cast("int64").sum() for i, (bad, _) in enumerate(rules.values())},
        **{
            f"e{i}": table[name].cast("string").min(where=bad)
            for i, (name, (bad, _)) in enumerate(rules.items())
        },
    ).to_pyarrow()
    for i, (name, (_, what)) in enumerate(rules.items()):
        bad_rows = int(counts[f"n{i}"][0].as_py() or 0)
        if not bad_rows:
            continue
        example = str(counts[f"e{i}"][0].as_py())
        line = (locate or line_of)(path, name, example)
        row = "row" if path.suffix.lower() in {".parquet", ".pq"} else "line"
        at = f", {row} {line}" if line is not None else ""
        others = f" ({counted(bad_rows, 'row')} in all)" if bad_rows > 1 else ""
        raise RegistryInputError(f"{path}{at}, column {name!r}: {example!r} {what}{others}")


def line_of(path: Path, column: str, value: str) -> int | None:
    """Return the line of the file (the header is line 1 of a CSV; a Parquet file's rows count
    from 1) where ``column`` first holds ``value`` as text; None when it cannot be told. Only
    on the way to an error: a scan of the file in its order, on one thread."""
    import duckdb

    con = duckdb.connect()
    try:
        con.execute("SET threads = 1")
        con.execute("SET enable_progress_bar = false")
        if path.suffix.lower() in {".parquet", ".pq"}:
            source, number, offset = "read_parquet(?, file_row_number = true)", "file_row_number", 1
        else:
            source, number, offset = "read_csv(?, all_varchar = true)", "row_number() OVER ()", 1
        quoted = '"' + column.replace('"', '""') + '"'
        found = con.execute(
            f"SELECT n FROM (SELECT {number} AS n, CAST({quoted} AS VARCHAR) AS v FROM {source}) "
            "WHERE v = ? OR trim(v) = ? ORDER BY n LIMIT 1",
            [str(path), value, value],
        ).fetchone()
    except duckdb.Error:
        return None
    finally:
        con.close()
    # A CSV's first row is line 2 (after the header); a Parquet file's first row is row 1.
    return None if found is None else int(found[0]) + offset


def _renaming(name: str, unknown: list[str]) -> str:
    close = difflib.get_close_matches(name, unknown, n=1, cutoff=0.6)
    if close:
        return f"; the file has {close[0]!r}: rename it {name!r} if that is what it holds"
    return ""
