"""The total and every breakdown of the wide persons table counted in one query.

Two scans of the wide table answer all domains, each ``GROUP BY GROUPING SETS`` with one set per
breakdown. Persons' sums (beneficiaries, eligible beneficiaries, amounts...) need no household:
sets ``()`` for the total, ``(region)``, ``(sex)``... Households are counted in two steps, by
household within level (sets ``(household_id)``, ``(region, household_id)``...), holding only
whether each has a beneficiary of each group, then by level: one grouping instead of a distinct
set per program, and the large grouping carries a few flags rather than every sum.

Ibis has no grouping sets, so this one query is SQL text, written in DuckDB's dialect and
translated by Ibis (sqlglot) to the backend's: DuckDB and Spark SQL both have ``GROUPING SETS``
and ``GROUPING(column)``. Every name in it is one of ours (the breakdowns of
:data:`~lindung.registry.coverage.DOMAINS` and the wide table's ``b``, ``h``, ``a`` columns),
never a user's text.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis.expr.types as ir
import pandas as pd

__all__ = ["counted_domains"]


def _name(identifier: str) -> str:
    return f'"{identifier}"'


def counted_domains(
    wide: ir.Table, by: Sequence[str], suffixes: Sequence[str], total: str
) -> pd.DataFrame:
    """Return one row per breakdown ``by`` and level (``by = level = total`` for the total)
    with the persons, households and eligible persons and, for each group suffix, its
    beneficiary persons and households, persons in beneficiary households, eligible
    beneficiaries and amount (columns ``beneficiary_persons{suffix}``...)."""
    chosen = [(f"GROUPING({_name(name)}) = 0", name) for name in by]
    label = _case([(test, f"'{name}'") for test, name in chosen], f"'{total}'")
    level = _case([(test, _name(name)) for test, name in chosen], f"'{total}'")
    table = _name(wide.op().name)
    sums = [
        _whole("COUNT(*)", "registered_persons"),
        _whole('SUM(CAST("eligible" AS BIGINT))', "eligible_persons"),
    ]
    flags = []
    for s in suffixes:
        b, h, a = _name(f"b{s}"), _name(f"h{s}"), _name(f"a{s}")
        sums += [
            _whole(f"SUM(CAST({b} AS BIGINT))", f"beneficiary_persons{s}"),
            _whole(f"SUM(CAST({h} AS BIGINT))", f"persons_in_beneficiary_households{s}"),
            _whole(f'SUM(CAST(({b} AND "eligible") AS BIGINT))', f"eligible_beneficiaries{s}"),
            f"CAST(SUM({a}) AS DOUBLE) AS {_name(f'amount_total{s}')}",
        ]
        flags.append((f"MAX(CAST({b} AS INT)) AS {b}", f"SUM({b})", f"beneficiary_households{s}"))
    # Persons: summed by level, no household in the key.
    persons = (
        f'SELECT {label} AS "by", {level} AS "level", {", ".join(sums)} FROM {table} '
        f"GROUP BY GROUPING SETS ({', '.join(['()', *(f'({_name(name)})' for name in by)])})"
    )
    # Households: one row per household within level, holding only whether it has a
    # beneficiary of each group, then counted by level.
    home = _name("household_id")
    inner = ", ".join(flag for flag, _, _ in flags)
    outer = [_whole("COUNT(*)", "registered_households")]
    outer += [_whole(total_of, name) for _, total_of, name in flags]
    sets = ", ".join([f"({home})", *(f"({_name(name)}, {home})" for name in by)])
    households = (
        f'SELECT "by", "level", {", ".join(outer)} FROM ('
        f'SELECT {label} AS "by", {level} AS "level"{", " + inner if inner else ""} '
        f"FROM {table} GROUP BY GROUPING SETS ({sets})"
        ') AS per_home GROUP BY "by", "level"'
    )
    frames = [_run(wide, query, items) for query, items in ((persons, sums), (households, outer))]
    merged: pd.DataFrame = frames[0].merge(frames[1], on=["by", "level"], how="outer")
    return merged


def _run(wide: ir.Table, query: str, items: list[str]) -> pd.DataFrame:
    """Return the result of ``query`` (DuckDB's dialect) on the backend of ``wide``."""
    names = [item.rsplit(" AS ", 1)[1].strip('"') for item in items]
    schema = {
        "by": "string",
        "level": "string",
        **{name: "float64" if name.startswith("amount") else "int64" for name in names},
    }
    # Ibis's own ``Table.sql`` asks the backend for the schema (DuckDB's DESCRIBE, broken with
    # duckdb 2); the schema is known, so it is given.
    frame: pd.DataFrame = wide.get_backend().sql(query, schema=schema, dialect="duckdb").to_pandas()
    return frame


def _whole(total: str, name: str) -> str:
    """A count, as a 64-bit integer on every backend (DuckDB's sums of integers are 128-bit)."""
    return f"CAST({total} AS BIGINT) AS {_name(name)}"


def _case(branches: list[tuple[str, str]], otherwise: str) -> str:
    if not branches:
        return otherwise
    whens = " ".join(f"WHEN {test} THEN {value}" for test, value in branches)
    return f"CASE {whens} ELSE {otherwise} END"
