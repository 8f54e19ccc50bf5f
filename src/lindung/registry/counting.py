"""The total and every breakdown of the wide persons table counted in one query.

One scan of the wide table answers all domains: ``GROUP BY GROUPING SETS`` with one set per
breakdown (``(household_id)`` for the total, ``(region, household_id)``, ``(sex,
household_id)``...). Households are counted in two steps, by household within level and then by
level, rather than as distinct ids: one grouping instead of a distinct set per program.

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
    home = _name("household_id")
    sets = ", ".join([f"({home})", *(f"({_name(name)}, {home})" for name in by)])
    chosen = [(f"GROUPING({_name(name)}) = 0", name) for name in by]
    label = _case([(test, f"'{name}'") for test, name in chosen], f"'{total}'")
    level = _case([(test, _name(name)) for test, name in chosen], f"'{total}'")
    per_home = [
        "COUNT(*) AS persons",
        'SUM(CAST("eligible" AS BIGINT)) AS eligible',
    ]
    per_level = [
        _whole("SUM(persons)", "registered_persons"),
        _whole("COUNT(*)", "registered_households"),
        _whole("SUM(eligible)", "eligible_persons"),
    ]
    for s in suffixes:
        b, h, a = _name(f"b{s}"), _name(f"h{s}"), _name(f"a{s}")
        per_home += [
            f"SUM(CAST({b} AS BIGINT)) AS {_name(f'b{s}')}",
            f"SUM(CAST({h} AS BIGINT)) AS {_name(f'h{s}')}",
            f'SUM(CAST(({b} AND "eligible") AS BIGINT)) AS {_name(f"e{s}")}',
            f"SUM({a}) AS {_name(f'a{s}')}",
        ]
        per_level += [
            _whole(f"SUM({b})", f"beneficiary_persons{s}"),
            _whole(f"SUM(CASE WHEN {b} > 0 THEN 1 ELSE 0 END)", f"beneficiary_households{s}"),
            _whole(f"SUM({h})", f"persons_in_beneficiary_households{s}"),
            _whole(f"SUM({_name(f'e{s}')})", f"eligible_beneficiaries{s}"),
            f"CAST(SUM({a}) AS DOUBLE) AS {_name(f'amount_total{s}')}",
        ]
    query = (
        f'SELECT "by", "level", {", ".join(per_level)} FROM ('
        f'SELECT {label} AS "by", {level} AS "level", {", ".join(per_home)} '
        f"FROM {_name(wide.op().name)} GROUP BY GROUPING SETS ({sets})"
        ') AS per_home GROUP BY "by", "level"'
    )
    names = [item.rsplit(" AS ", 1)[1].strip('"') for item in per_level]
    schema = {
        "by": "string",
        "level": "string",
        **{name: "float64" if name.startswith("amount") else "int64" for name in names},
    }
    # Ibis's own ``Table.sql`` asks the backend for the schema (DuckDB's DESCRIBE, broken with
    # duckdb 2); the schema is known, so it is given.
    con = wide.get_backend()
    frame: pd.DataFrame = con.sql(query, schema=schema, dialect="duckdb").to_pandas()
    return frame


def _whole(total: str, name: str) -> str:
    """A count, as a 64-bit integer on every backend (DuckDB's sums of integers are 128-bit)."""
    return f"CAST({total} AS BIGINT) AS {_name(name)}"


def _case(branches: list[tuple[str, str]], otherwise: str) -> str:
    if not branches:
        return otherwise
    whens = " ".join(f"WHEN {test} THEN {value}" for test, value in branches)
    return f"CASE {whens} ELSE {otherwise} END"
