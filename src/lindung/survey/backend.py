"""The one place the survey engine meets its query backend.

The engine builds Ibis expressions and asks its :class:`Backend` for a few things only: the
microdata files read where they lie (:meth:`Backend.read`), an intermediate table made real
(:meth:`Backend.materialise`), that table dropped (:meth:`Backend.drop`) and several queries
run at once beside the main thread (:meth:`Backend.beside`). Two query shapes differ by backend
and are asked for here too: running sums in an order (:func:`running_sums`) and row ids
(:func:`row_ids`). Nothing else in the engine names a backend.

:class:`DuckDB` is the in-process one. :class:`~lindung.survey.spark.Spark` runs the same
expressions on Apache Spark through Ibis's PySpark backend, in local mode or on a cluster
(:mod:`lindung.survey.spark`).
"""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol, cast

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa

from lindung.errors import UsageError
from lindung.survey.prepared import (
    CSV_TYPES,
    CsvLayout,
    NotSniffed,
    duckdb_config,
    prepared_connection,
    prepared_layout,
    prepared_table,
    sniff,
)
from lindung.survey.sql_compilers import load_compilers_lazily

if TYPE_CHECKING:
    import pandas as pd
    from ibis.backends.duckdb import Backend as DuckDBBackend

log = logging.getLogger(__name__)

# Before Ibis loads a backend: only that backend's SQL compiler is imported, not all twenty.
load_compilers_lazily()

__all__ = [
    "ENGINES",
    "Backend",
    "Beside",
    "DuckDB",
    "Engine",
    "arrow_table",
    "count",
    "in_memory",
    "one_row",
    "open_backend",
    "row_ids",
    "running_sums",
    "to_arrow",
]

Engine = Literal["duckdb", "spark"]
ENGINES: tuple[Engine, ...] = ("duckdb", "spark")
"""The query engines a survey can be estimated on (``--engine``)."""


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

    @property
    def local(self) -> bool:
        """Whether the tables live on this machine (in this process, or in the JVM of Spark's
        local mode), so that a table's columns come to NumPy at memory speed (the engine then
        takes the Gini's sorted sums there)."""
        ...

    @property
    def ordered(self) -> bool:
        """Whether a table materialised with ``order_by`` comes back from :meth:`batches` in
        that order (the engine then reads a large survey's PSUs a block of strata at a
        time). DuckDB keeps a table's insertion order; a Spark view's partitions come back in
        any order."""
        ...

    def read(self, path: Path, kind: Literal["csv", "parquet"]) -> ir.Table:
        """Return a CSV or Parquet file as a table, read where it lies (a CSV column is a whole
        number, a number or text; a yes/no column stays text)."""
        ...

    def from_frame(self, name: str, frame: pd.DataFrame) -> ir.Table:
        """Return a data frame (read into Python, as a Stata file is) as table ``name``."""
        ...

    def materialise(
        self, name: str, table: ir.Table, *, read_beside: bool = False, order_by: str = ""
    ) -> ir.Table:
        """Compute ``table`` once and keep it as ``name``; with ``read_beside``, the queries of
        :meth:`beside` can read it too. ``order_by`` asks for the rows to be stored in that
        column's order where the backend keeps an order (a hint for later sorts)."""
        ...

    def drop(self, name: str) -> None:
        """Free the intermediate table ``name`` (nothing happens if there is none)."""
        ...

    def beside(self, queries: list[ir.Table], parallel: int) -> Beside:
        """Start ``queries``, ``parallel`` at a time (0: each when its result is asked for)."""
        ...

    def batches(self, table: ir.Table, rows: int) -> Iterator[pa.RecordBatch]:
        """Yield the rows of ``table`` to this process, at most ``rows`` at a time."""
        ...

    def disconnect(self) -> None:
        """Close the connection and free what it holds."""
        ...


def open_backend(
    engine: Engine = "duckdb",
    *,
    threads: int | None = None,
    master: str | None = None,
    memory: str | None = None,
) -> Backend:
    """Return a connected backend: in-process DuckDB held to ``memory`` (a size such as
    ``4GB``; default the ``duckdb_memory`` setting), or Spark (``master``: a cluster URL such
    as ``spark://host:7077``; default local mode on ``threads`` cores, else all; ``memory``:
    see :func:`spark_session`)."""
    if engine == "spark":
        # Imported here: PySpark and the Spark session code are needed only for Spark.
        from lindung.survey.spark import Spark

        return Spark(master=master, threads=threads, memory=memory)
    if master:
        raise UsageError("--spark-master is for --engine spark; drop it or add --engine spark")
    return DuckDB(threads, memory)


def in_memory(table: pa.Table) -> ir.Table:
    """Return ``table`` as an in-memory table, each column one Arrow array, which both
    backends take as it is.

    A table that came out of Arrow in several batches (a Spark result, one batch per
    partition) holds each column as an array of several chunks. Ibis's PySpark backend hands
    PySpark a pandas frame, and PySpark's Arrow path cannot send a batch of rows that spans
    chunks: it warns ("createDataFrame attempted Arrow optimization") and converts the rows one
    by one instead. In one chunk they go through Arrow.
    """
    return ibis.memtable(table.combine_chunks().replace_schema_metadata(None))


_ARROW_NAMES = itertools.count()


def arrow_table(like: ir.Table, data: pa.Table) -> ir.Table:
    """Return ``data`` as a table of the backend that ``like`` is on, to join with it.

    DuckDB reads the Arrow table where it lies in memory (a view of it registered on the
    connection): an Ibis in-memory table would cost the survey run a pandas import, which
    Ibis's dispatch brings through ``pyarrow.dataset``. Elsewhere it is an in-memory table
    (:func:`in_memory`).
    """
    backend = like.get_backend()
    if backend.name != "duckdb":
        return in_memory(data)
    duck = cast("DuckDBBackend", backend)
    name = f"_arrow_{next(_ARROW_NAMES)}"
    duck.con.register(name, data)
    return duck.table(name)


def to_arrow(query: ir.Table) -> pa.Table:
    """Return the result of ``query`` as Arrow, typed as Ibis types it.

    On DuckDB through the relation Ibis itself makes for ``to_pyarrow`` (with its in-memory
    tables registered), not through ``to_pyarrow``: that imports Ibis's DuckDB result
    converters, whose module imports pandas, whichever result is asked for, and importing
    pandas alone takes about a quarter of a second, a good part of a small survey's whole run.
    DuckDB's own types (a sum of whole numbers is a 128-bit integer) are cast to the query's.
    """
    backend = query.get_backend()
    if backend.name != "duckdb":
        found: pa.Table = query.to_pyarrow()
        return found
    relation = cast("DuckDBBackend", backend)._to_duckdb_relation(query)
    result: pa.Table = relation.to_arrow_table()
    return result.cast(query.schema().to_pyarrow())


def one_row(query: ir.Table) -> dict[str, Any]:
    """Return the one row of ``query`` (an aggregation), a missing value as None."""
    rows: list[dict[str, Any]] = to_arrow(query).to_pylist()
    return rows[0]


def count(query: ir.Table) -> int:
    """Return the number of rows of ``query``."""
    return int(one_row(query.aggregate(_rows=query.count()))["_rows"])


class DuckDB:
    """In-process DuckDB, its memory bounded and spilling to the temporary folder."""

    def __init__(self, threads: int | None = None, memory: str | None = None) -> None:
        config = duckdb_config(threads, memory)
        log.info(
            "DuckDB: memory cap %s, threads %s, spilling to %s",
            config["memory_limit"],
            threads or "all",
            config["temp_directory"],
        )
        # Opened already if the command had it opened while the engine's modules loaded.
        opened = prepared_connection(config)
        self._con: DuckDBBackend = (
            ibis.duckdb.connect(**config) if opened is None else ibis.duckdb.from_connection(opened)
        )

    @property
    def con(self) -> DuckDBBackend:
        return self._con

    @property
    def local(self) -> bool:
        return True

    @property
    def ordered(self) -> bool:
        return True

    def read(self, path: Path, kind: Literal["csv", "parquet"]) -> ir.Table:
        if kind == "parquet":
            return self._con.read_parquet(str(path))
        # Read already, by the thread that opened this connection while the engine loaded.
        ahead = prepared_table(self._con.con, path)
        if ahead is not None:
            return self._con.table(ahead)
        # No boolean guessing: a Yes/No column stays text, as it is in Parquet, Stata and
        # SPSS, so its levels read the same from every format.
        found = self._sniffed(path)
        if found is not None:
            try:
                return self._con.read_csv(str(path), **found)
            except duckdb.Error:
                log.debug("DuckDB: %s read again with its own detection", path)
        return self._con.read_csv(str(path), auto_type_candidates=CSV_TYPES)

    def _sniffed(self, path: Path) -> CsvLayout | None:
        """Return the file's layout (:func:`~lindung.survey.prepared.sniff`), found already if
        the command had it sniffed while the engine's modules loaded."""
        found = prepared_layout(path)
        return sniff(self._con.con, path) if isinstance(found, NotSniffed) else found

    def from_frame(self, name: str, frame: pd.DataFrame) -> ir.Table:
        return self._con.create_table(name, ibis.memtable(frame), temp=True)

    def materialise(
        self, name: str, table: ir.Table, *, read_beside: bool = False, order_by: str = ""
    ) -> ir.Table:
        # A temporary table is private to the connection's own cursor; the cursors of
        # :meth:`beside` read only ordinary tables. Rows stored in order make a later sort by
        # the same column find them nearly in order, which DuckDB's sort turns into less work.
        stored = table.order_by(order_by) if order_by else table
        return self._con.create_table(name, stored, temp=not read_beside)

    def drop(self, name: str) -> None:
        self._con.drop_table(name, force=True)

    def beside(self, queries: list[ir.Table], parallel: int) -> _Cursors:
        return _Cursors(self._con, [self._con.compile(q) for q in queries], parallel)

    def batches(self, table: ir.Table, rows: int) -> Iterator[pa.RecordBatch]:
        # Ibis 12's own to_pyarrow_batches calls a cursor method that DuckDB 2 no longer has
        # (fetch_record_batch); DuckDB's Arrow reader streams the result of the relation Ibis
        # makes (its in-memory tables registered, as in :func:`to_arrow`).
        yield from self._con._to_duckdb_relation(table).to_arrow_reader(rows)

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


def _is_spark(table: ir.Table) -> bool:
    name: str = table.get_backend().name
    return name == "pyspark"


def running_sums(
    table: ir.Table, order_by: str, sums: Mapping[str, str], group_by: str = ""
) -> ir.Table:
    """Return ``table`` with, for each ``name: column`` of ``sums``, column ``name``: the sum of
    ``column`` over the rows at or before this one in ``order_by`` order (within the row's
    ``group_by`` value, which may not be missing). Rows tied in ``order_by`` are summed in
    some order: a caller needs a result that does not depend on it.

    DuckDB runs it as one cumulative window. On Spark a window with no partition puts every
    row in one task, so the sums are taken in two passes over a range partition of
    ``order_by``: running sums within each range, plus the sum of the ranges before it
    (see docs/methodology/survey.md, "Running sums on Spark").
    """
    if _is_spark(table):
        return _ranged_running_sums(table, order_by, sums, group_by)
    window = ibis.cumulative_window(group_by=group_by or None, order_by=table[order_by])
    return table.mutate(**{name: table[column].sum().over(window) for name, column in sums.items()})


SPARK_RANGES_PER_CORE = 16
"""Ranges of the running sums' order per core of the Spark application."""


def _ranged_running_sums(
    table: ir.Table, order_by: str, sums: Mapping[str, str], group_by: str
) -> ir.Table:
    """The two-pass running sums of :func:`running_sums`, each pass partitioned.

    A row's range is a monotone function of its value, so equal values share a range and
    ordering by (range, value) is ordering by value: any ranges give the same sums, only their
    sizes depend on the choice. They are equal widths of sign(y) ln(1 + |y|) between the
    smallest and the largest value, which evens out a skewed variable such as welfare; the
    bounds are exact minimum and maximum (scalar subqueries of the same query, no pass of their
    own), so every part of the query sees the same ranges.
    """
    cores = int(table.get_backend()._session.sparkContext.defaultParallelism)
    ranges = max(2, SPARK_RANGES_PER_CORE * cores)
    value = table[order_by]
    lowest = _spread(value.min().as_scalar())
    span = _spread(value.max().as_scalar()) - lowest
    place = ((_spread(value) - lowest) / span * ranges).floor().cast("int64")
    position = ibis.ifelse(span > 0, ibis.least(place, ranges - 1), 0)
    # Missing values sort last, as in the window.
    tagged = table.mutate(_range=value.isnull().ifelse(ranges, position))
    keys = [group_by, "_range"] if group_by else ["_range"]
    per_range = tagged.group_by(keys).aggregate(
        **{f"_range_{name}": tagged[column].sum() for name, column in sums.items()}
    )
    before = ibis.window(group_by=group_by or None, order_by="_range", rows=(None, -1))
    offsets = per_range.select(
        *keys,
        **{
            f"_before_{name}": per_range[f"_range_{name}"].sum().over(before).fill_null(0)
            for name in sums
        },
    )
    within = ibis.cumulative_window(group_by=keys, order_by=tagged[order_by])
    inside = tagged.mutate(
        **{f"_inside_{name}": tagged[column].sum().over(within) for name, column in sums.items()}
    )
    joined = inside.join(offsets, keys)
    added = {name: joined[f"_before_{name}"] + joined[f"_inside_{name}"] for name in sums}
    spent = ["_range", *(f"_{kind}_{name}" for name in sums for kind in ("before", "inside"))]
    return joined.mutate(**added).drop(*spent)


def _spread(value: ir.NumericValue) -> ir.NumericValue:
    """sign(y) ln(1 + |y|): monotone in y (Java's ``Math.log`` is semi-monotonic)."""
    spread: ir.NumericValue = value.sign() * (value.abs() + 1).ln()
    return spread


def row_ids(table: ir.Table) -> ir.IntegerValue:
    """Return an id unique to each row of ``table`` (not numbered in any order).

    DuckDB numbers the rows; Spark's ``row_number()`` over no order would put every row in one
    task, so there each row gets its partition's number and its place in the partition.
    """
    if _is_spark(table):
        return _monotonically_increasing_id()
    number: ir.IntegerValue = ibis.row_number()
    return number


@ibis.udf.scalar.builtin(name="monotonically_increasing_id")  # type: ignore[untyped-decorator]
def _monotonically_increasing_id() -> int:  # type: ignore[empty-body]
    """Spark's row id: the partition number in the high bits, the row's place in the low."""
