"""The one place the survey engine meets its query backend.

The engine builds Ibis expressions and asks its :class:`Backend` for four things only:
a connection to read the microdata with, an intermediate table made real
(:meth:`Backend.materialise`), that table dropped (:meth:`Backend.drop`) and several queries
run at once beside the main thread (:meth:`Backend.beside`). Nothing else in the engine names
a backend; :class:`DuckDB` is the in-process one.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Protocol

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends.duckdb import Backend as DuckDBBackend

from lindung import settings

log = logging.getLogger(__name__)

__all__ = ["Backend", "Beside", "DuckDB"]


class Beside(Protocol):
    """Queries running beside the main thread; leaving the block on an error stops them."""

    def __enter__(self) -> Beside: ...

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None: ...

    def results(self) -> list[pa.Table]:
        """Return every query's result, in the order the queries were given."""
        ...


class Backend(Protocol):
    """What the survey engine needs of a query backend."""

    @property
    def con(self) -> ibis.BaseBackend:
        """The Ibis connection the microdata are read with."""
        ...

    def materialise(self, name: str, table: ir.Table, *, read_beside: bool = False) -> ir.Table:
        """Compute ``table`` once and keep it as ``name``; with ``read_beside``, the queries of
        :meth:`beside` can read it too."""
        ...

    def drop(self, name: str) -> None:
        """Free the intermediate table ``name`` (nothing happens if there is none)."""
        ...

    def beside(self, queries: list[ir.Table], parallel: int) -> Beside:
        """Start ``queries``, ``parallel`` at a time (0: each when its result is asked for)."""
        ...

    def disconnect(self) -> None:
        """Close the connection and free what it holds."""
        ...


class DuckDB:
    """In-process DuckDB, its memory bounded and spilling to the temporary folder."""

    def __init__(self, threads: int | None = None) -> None:
        spill = Path(tempfile.gettempdir()) / "lindung-duckdb"
        memory = settings.DUCKDB_MEMORY.value()
        log.info(
            "DuckDB: memory cap %s, threads %s, spilling to %s", memory, threads or "all", spill
        )
        # Settings go to DuckDB as configuration values, never spliced into SQL text: a folder
        # name (from $TMPDIR) with a quote in it stays a folder name.
        config: dict[str, str | int] = {"memory_limit": memory, "temp_directory": spill.as_posix()}
        if threads is not None:
            config["threads"] = int(threads)
        self._con: DuckDBBackend = ibis.duckdb.connect(**config)

    @property
    def con(self) -> DuckDBBackend:
        return self._con

    def materialise(self, name: str, table: ir.Table, *, read_beside: bool = False) -> ir.Table:
        # A temporary table is private to the connection's own cursor; the cursors of
        # :meth:`beside` read only ordinary tables.
        return self._con.create_table(name, table, temp=not read_beside)

    def drop(self, name: str) -> None:
        self._con.drop_table(name, force=True)

    def beside(self, queries: list[ir.Table], parallel: int) -> _Cursors:
        return _Cursors(self._con, [self._con.compile(q) for q in queries], parallel)

    def disconnect(self) -> None:
        self._con.disconnect()


class _Cursors:
    """Compiled queries run on cursors of their own while the main thread goes on with the
    connection (with no cursor, as when DuckDB is held to one thread, they run when their
    results are asked for). Leaving the block on an error interrupts them."""

    def __init__(self, con: DuckDBBackend, queries: list[str], cursors: int) -> None:
        self._con = con
        self._queries = queries
        self._stop = threading.Event()
        self._cursors = [con.con.cursor() for _ in range(min(cursors, len(queries)))]
        self._pool = ThreadPoolExecutor(max_workers=max(1, len(self._cursors)))
        count = len(self._cursors)
        self._shares = [
            self._pool.submit(self._run, cursor, queries[i::count])
            for i, cursor in enumerate(self._cursors)
        ]

    def __enter__(self) -> _Cursors:
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if error is not None:
            self._stop.set()
            for cursor in self._cursors:
                cursor.interrupt()
        self._pool.shutdown(wait=True, cancel_futures=True)
        for cursor in self._cursors:
            cursor.close()

    def results(self) -> list[pa.Table]:
        if not self._cursors:
            return self._run(self._con.con, self._queries)
        shares = [share.result() for share in self._shares]
        self._shares.clear()
        count = len(shares)
        return [shares[i % count][i // count] for i in range(len(self._queries))]

    def _run(self, cursor: duckdb.DuckDBPyConnection, queries: list[str]) -> list[pa.Table]:
        found = []
        for query in queries:
            if self._stop.is_set():
                break
            found.append(cursor.sql(query).to_arrow_table())
        return found
