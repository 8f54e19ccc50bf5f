"""The sqlglot pin in pyproject.toml (``sqlglot<30.18``) stays until these Ibis calls work.

sqlglot 30.18 and later render ``DROP VIEW IF EXISTS`` without the name on DuckDB, so
Ibis's ``create_table(overwrite=True)``, ``drop_table`` and ``cache().release()`` fail
with a parser error (ibis-project/ibis issues 12101 and 12124). The survey engine relies
on all three to materialise and free its intermediate tables. Oracle: DuckDB itself,
asked through its own catalogue (``duckdb_tables()``), not through Ibis.

To lift the pin, install the newest sqlglot and run this file: when it passes, widen the
range in pyproject.toml.
"""

from __future__ import annotations

import ibis
import pandas as pd


def _duckdb_tables(con: ibis.BaseBackend) -> set[str]:
    rows = con.con.execute(  # type: ignore[attr-defined]
        "select table_name from duckdb_tables()"
    ).fetchall()
    return {str(r[0]) for r in rows}


def test_create_table_overwrite_replaces_the_table() -> None:
    con = ibis.duckdb.connect()
    con.create_table("households", pd.DataFrame({"w": [1.0, 2.0]}))
    replaced = con.create_table("households", pd.DataFrame({"w": [1.0, 2.0, 3.0]}), overwrite=True)
    assert replaced.count().execute() == 3


def test_drop_table_removes_it_from_the_catalogue() -> None:
    con = ibis.duckdb.connect()
    con.create_table("households", pd.DataFrame({"w": [1.0]}))
    assert "households" in _duckdb_tables(con)
    con.drop_table("households")
    assert "households" not in _duckdb_tables(con)


def test_cache_release_frees_the_cached_table() -> None:
    con = ibis.duckdb.connect()
    t = con.create_table("households", pd.DataFrame({"w": [1.0, 2.0, 3.0]}))
    cached = t.filter(t.w > 1.0).cache()
    assert cached.count().execute() == 2
    assert len(_duckdb_tables(con)) == 2
    cached.release()
    assert _duckdb_tables(con) == {"households"}
