"""DuckDB started, and the CSV files' layouts found, while the survey engine's modules load.

Loading the engine (Ibis, sqlglot, PyArrow, NumPy) takes about half a second on one core, and
nothing it does needs DuckDB; opening DuckDB (about 0.05 s) and sniffing a CSV's layout (0.07 s
for a sample of 20,000 rows) need nothing else. :func:`prepare` does both on a thread of their
own, started by ``lindung survey estimate`` before it loads the engine: DuckDB runs its queries
without Python's lock, so the two go on at once on two cores. The in-process backend
(:class:`~lindung.survey.backend.DuckDB`) then takes the connection if it was opened with the
same settings (:func:`prepared_connection`), and each file's layout if the file has not changed
since (:func:`prepared_layout`); otherwise it opens and sniffs as it would have.

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
    "sniff",
]

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
        self.con = con

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


def prepared_connection(config: dict[str, str | int]) -> duckdb.DuckDBPyConnection | None:
    """Return a connection :func:`prepare` opened with ``config`` (once: it is then the
    caller's), waiting for it if it is still being made; None if there is none."""
    with _LOCK:
        candidates = [s for s in _STARTED if s.config == config]
    for started in candidates:
        con = started.done().con
        if con is not None:
            started.con = None
            return con
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
