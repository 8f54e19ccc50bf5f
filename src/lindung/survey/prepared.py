"""DuckDB started, and the CSV files' layouts found, while the survey engine's modules load.

Loading the engine (Ibis, sqlglot, PyArrow, NumPy) takes about half a second on one core, and
nothing it does needs DuckDB; opening DuckDB (about 0.05 s) and sniffing a CSV's layout (0.07 s
for a sample of 20,000 rows) need nothing else. :func:`prepare` does both on a thread of their
own, started by ``lindung survey estimate`` before it loads the engine: DuckDB runs its queries
without Python's lock, so the two go on at once on two cores. The in-process backend
(:class:`~lindung.survey.backend.DuckDB`) then takes the connection if it was opened with the
same settings (:func:`prepared_connection`), and each file's layout if the file has not changed
since (:func:`prepared_layout`); otherwise it opens and sniffs as it would have.

A small CSV file (:data:`READ_AHEAD_BYTES` in all) is also read, on that thread, into a
temporary table of the connection, as the backend would read it with that layout; the backend
then reads the table (:func:`prepared_table`) instead of parsing the file on the main thread's
time. A large one is not: its parse would outlast the imports, and the process would hold its
rows twice while the persons table is made from them.

This module imports only DuckDB and the standard library, so that starting it costs nothing
the engine would not load anyway.
"""

from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

import duckdb

from lindung import settings

log = logging.getLogger(__name__)

__all__ = [
    "CSV_TYPES",
    "NOT_SNIFFED",
    "CsvLayout",
    "NotSniffed",
    "duckdb_config",
    "prepare",
    "prepared_connection",
    "prepared_layout",
    "prepared_table",
    "read_ahead_sql",
    "sniff",
]

READ_AHEAD_BYTES = 16 * 1024 * 1024
"""The CSV files of a command are read ahead when their sizes add up to no more than this.

On the machines Lindung is measured on, DuckDB parses some 100 MB of CSV a second per core, and
the engine's modules load in about a quarter of a second: 16 MB is read within that time. The
survey of 20,000 households (5.9 MB) is read in 0.05 s, which the main thread no longer waits
for (0.04 s of its 1.1 s run)."""

CSV_TYPES = ["BIGINT", "DOUBLE", "VARCHAR"]
"""The types DuckDB may guess for a CSV column."""


class CsvLayout(TypedDict):
    """A CSV's layout as DuckDB's ``read_csv`` takes it with detection off."""

    columns: dict[str, str]
    delim: str
    quote: str
    escape: str
    new_line: str
    comment: str
    skip: int
    header: bool


def duckdb_config(threads: int | None = None, memory: str | None = None) -> dict[str, str | int]:
    """Return the configuration the survey engine opens DuckDB with: memory capped at
    ``memory`` (default the ``duckdb_memory`` setting), spilling to the temporary folder, on
    ``threads`` threads (default one per core)."""
    spill = Path(tempfile.gettempdir()) / "lindung-duckdb"
    # Settings go to DuckDB as configuration values, never spliced into SQL text: a folder
    # name (from $TMPDIR) with a quote in it stays a folder name.
    config: dict[str, str | int] = {
        "memory_limit": memory or settings.DUCKDB_MEMORY.value(),
        "temp_directory": spill.as_posix(),
        # Memory DuckDB frees goes back to the system (its allocator's background threads,
        # and a flush after any task that peaked above 16 MB) instead of staying in the
        # process while NumPy works on the results: the full suite on 1.2 million persons
        # peaks at 0.75 GB instead of 1.05 GB, in the same time (measured).
        "allocator_background_threads": "true",
        "allocator_flush_threshold": "16MB",
    }
    if threads is not None:
        config["threads"] = int(threads)
    return config


def _sniffed_text(value: str | None) -> str:
    """A quote, escape or comment character as ``sniff_csv`` shows it ('(empty)': none)."""
    return "" if value in (None, "(empty)") else str(value)


def sniff(con: duckdb.DuckDBPyConnection, path: Path) -> CsvLayout | None:
    """Return what DuckDB's CSV sniffer finds in the file (dialect, header, each column's
    type), as ``read_csv`` options that turn detection off, or None where it finds nothing.

    DuckDB detects a CSV's layout each time a query names the file (about 0.1 CPU s for a
    sample of 20,000 rows), and Ibis's ``read_csv`` has it done three times before the
    persons are read: the view, its schema, then the read. Detected once and spelled out, the
    file reads the same with none of that (DuckDB's own ``sniff_csv`` prompt).
    """
    try:
        rows = con.execute(
            "SELECT Delimiter, Quote, Escape, NewLineDelimiter, Comment, SkipRows, "
            "HasHeader, Columns FROM sniff_csv(?, auto_type_candidates = ?)",
            [str(path), CSV_TYPES],
        ).fetchall()
    except duckdb.Error:
        return None
    if not rows or not rows[0][7]:
        return None
    delim, quote, escape, new_line, comment, skip, header, columns = rows[0]
    return CsvLayout(
        columns={str(c["name"]): str(c["type"]) for c in columns},
        delim=str(delim),
        quote=_sniffed_text(quote),
        escape=_sniffed_text(escape),
        new_line=str(new_line),
        comment=_sniffed_text(comment),
        skip=int(skip),
        header=bool(header),
    )


def read_ahead_sql(name: str) -> str:
    """Return the statement that reads a CSV file, its layout spelled out
    (:func:`sniff`), into temporary table ``name`` (a name of Lindung's, never a user's); its
    parameters are the path and the layout's values, in :func:`_read_ahead_parameters`'s
    order. The options are those Ibis's ``read_csv`` gives DuckDB for that layout, so that the
    table holds what reading the file would give: the same columns, types and values."""
    return (
        f'CREATE TEMPORARY TABLE "{name}" AS SELECT * FROM read_csv(?, delim = ?, quote = ?, '
        "escape = ?, new_line = ?, comment = ?, skip = ?, header = ?, auto_detect = false, "
        "columns = ?)"
    )


def _read_ahead_parameters(path: Path, layout: CsvLayout) -> list[object]:
    return [
        str(path),
        layout["delim"],
        layout["quote"],
        layout["escape"],
        layout["new_line"],
        layout["comment"],
        layout["skip"],
        layout["header"],
        layout["columns"],
    ]


class NotSniffed:
    """The type of :data:`NOT_SNIFFED`: no layout found ahead for a file."""

    def __repr__(self) -> str:
        return "NOT_SNIFFED"


NOT_SNIFFED = NotSniffed()
"""What :func:`prepared_layout` returns for a file it has no layout of."""

_Stamp = tuple[int, int]
"""A file's size and modification time (ns): a file whose stamp changed is sniffed again."""


def _stamp(path: Path) -> _Stamp | None:
    try:
        found = path.stat()
    except OSError:
        return None
    return found.st_size, found.st_mtime_ns


@dataclass
class _Started:
    """What one :func:`prepare` call opened and found, once its thread is done."""

    config: dict[str, str | int]
    thread: threading.Thread | None = None
    con: duckdb.DuckDBPyConnection | None = None
    layouts: dict[Path, tuple[_Stamp, CsvLayout | None]] = field(default_factory=dict)
    tables: dict[Path, tuple[_Stamp, str]] = field(default_factory=dict)
    """The files read ahead: each one's stamp then, and its temporary table."""
    taken: duckdb.DuckDBPyConnection | None = None
    """The connection, once :func:`prepared_connection` has handed it over."""

    def run(self, paths: Sequence[Path]) -> None:
        try:
            con = duckdb.connect(config=dict(self.config))
        except duckdb.Error as error:
            # The backend opens DuckDB itself and reports the problem where it always has.
            log.debug("DuckDB not opened ahead: %s", error)
            return
        for path in paths:
            stamp = _stamp(path)
            if stamp is not None:
                self.layouts[path.resolve()] = (stamp, sniff(con, path))
        self._read_ahead(con, paths)
        self.con = con

    def _read_ahead(self, con: duckdb.DuckDBPyConnection, paths: Sequence[Path]) -> None:
        """Read each file into a table of its own if they are small, plain CSV and sniffed."""
        found: list[tuple[Path, _Stamp, CsvLayout]] = []
        for path in paths:
            stamp, layout = self.layouts.get(path.resolve(), (None, None))
            if stamp is None or layout is None or path.suffix.lower() == ".gz":
                return
            found.append((path, stamp, layout))
        if not found or sum(stamp[0] for _, stamp, _ in found) > READ_AHEAD_BYTES:
            return
        for number, (path, stamp, layout) in enumerate(found):
            name = f"_lindung_read_ahead_{number}"
            try:
                con.execute(read_ahead_sql(name), _read_ahead_parameters(path, layout))
            except duckdb.Error as error:
                # A row that does not fit the layout: the backend reads the file itself and
                # reports it as it always has.
                log.debug("%s not read ahead: %s", path, error)
                return
            self.tables[path.resolve()] = (stamp, name)

    def done(self) -> _Started:
        if self.thread is not None:
            self.thread.join()
        return self


_LOCK = threading.Lock()
_STARTED: list[_Started] = []


@contextmanager
def prepare(paths: Sequence[Path], threads: int | None = None) -> Iterator[None]:
    """Within the block, DuckDB opened as the survey engine will open it
    (:func:`duckdb_config`) and the CSV files among ``paths`` sniffed, on a thread of their own
    started on entering. On leaving, a connection no one took is closed and what was found is
    forgotten."""
    csv = [Path(p) for p in paths if Path(p).suffix.lower() in (".csv", ".txt", ".gz")]
    # The threads as the engine settles them (the --threads option, else the setting).
    started = _Started(
        duckdb_config(settings.DUCKDB_THREADS.value() if threads is None else threads)
    )
    started.thread = threading.Thread(
        target=started.run, args=(csv,), name="lindung-prepare", daemon=True
    )
    with _LOCK:
        _STARTED.append(started)
    started.thread.start()
    try:
        yield
    finally:
        started.done()
        with _LOCK:
            _STARTED.remove(started)
        if started.con is not None:
            started.con.close()
            started.con = None
        started.taken = None


def prepared_connection(config: dict[str, str | int]) -> duckdb.DuckDBPyConnection | None:
    """Return a connection :func:`prepare` opened with ``config`` (once: it is then the
    caller's), waiting for it if it is still being made; None if there is none."""
    with _LOCK:
        candidates = [s for s in _STARTED if s.config == config]
    for started in candidates:
        con = started.done().con
        if con is not None:
            started.con = None
            started.taken = con
            return con
    return None


def prepared_table(con: duckdb.DuckDBPyConnection, path: Path) -> str | None:
    """Return the temporary table of ``con`` that :func:`prepare` read ``path`` into, if
    ``con`` is the connection it opened and the file has not changed since; else None."""
    with _LOCK:
        started = [s for s in _STARTED if s.taken is con]
    key = Path(path).resolve()
    for each in started:
        found = each.tables.get(key)
        if found is not None and found[0] == _stamp(Path(path)):
            return found[1]
    return None


def prepared_layout(path: Path) -> CsvLayout | NotSniffed | None:
    """Return the layout :func:`prepare` sniffed for ``path`` if the file has not changed
    since (None: the sniffer found nothing), else :data:`NOT_SNIFFED`."""
    with _LOCK:
        started = list(_STARTED)
    key = Path(path).resolve()
    for each in started:
        found = each.done().layouts.get(key)
        if found is not None and found[0] == _stamp(Path(path)):
            return found[1]
    return NOT_SNIFFED
