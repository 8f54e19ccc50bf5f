"""The Spark backend: the survey engine's queries on Apache Spark, and the session they run on.

:class:`Spark` runs the engine's Ibis expressions through Ibis's PySpark backend, in local
mode or on a cluster, on the session of :func:`spark_session` (loopback only on this machine,
no web UI, folders under the temporary folder, :func:`shuffle_partitions` partitions per
shuffle). Spark has no temporary tables, so an intermediate table is a temporary view of a
cached DataFrame. Imported only when ``--engine spark`` is asked for.
"""

from __future__ import annotations

import itertools
import logging
import os
import re
import sys
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import ibis
import ibis.expr.types as ir
import pandas as pd
import pyarrow as pa

from lindung import settings
from lindung.errors import UsageError
from lindung.survey.backend import in_memory
from lindung.text import counted

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

log = logging.getLogger(__name__)

__all__ = [
    "SPARK_INSTALL",
    "Spark",
    "shuffle_partitions",
    "spark_memory",
    "spark_session",
]

SPARK_INSTALL = (
    "the Spark engine needs PySpark and Java 17: pip install 'lindung[spark]' "
    "(ibis-framework[pyspark] and pyspark>=3.5,<4.1), or use --engine duckdb"
)


_SPARK_FOLDER = Path(tempfile.gettempdir()) / "lindung-spark"
"""Spark's warehouse, scratch and event folders: under the temporary folder, never the
working directory (a ``spark-warehouse`` folder left there makes a rerun fail)."""


def spark_session(
    master: str | None = None, *, threads: int | None = None, memory: str | None = None
) -> SparkSession:
    """Return the Spark session to run on: the one already active in this process when there
    is one (and ``master`` and ``memory`` are not other), else a new one on ``master``
    (default ``local[threads]``, else ``local[*]``).

    ``memory`` (a size as ``--memory-limit`` takes it: ``4GB``, ``512MiB``) is the heap of the
    JVM that does the work: in local mode the driver's (``spark.driver.memory``, where the
    executor runs inside the driver), on a cluster each executor's (``spark.executor.memory``).
    It is given to Spark as whole mebibytes before its JVM starts; unset, Spark's own default
    (``spark-defaults.conf``, else 1 GiB) holds.

    In local mode and on a cluster at 127.0.0.1 or localhost, Spark is told to stay on the
    loopback interface (``SPARK_LOCAL_IP``, the driver's host and bind address); a cluster
    elsewhere must reach the driver, which then listens where ``SPARK_LOCAL_IP`` says (Spark's
    default: the machine's address). There is no web UI; the folders are under
    ``<temporary folder>/lindung-spark``; SQL runs without ANSI mode (a failed cast is a
    missing value, as in DuckDB's ``TRY_CAST``); each shuffle has :func:`shuffle_partitions`
    partitions. Raises :class:`UsageError` saying what to install when PySpark is missing.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise UsageError(SPARK_INSTALL) from None
    url = master or f"local[{threads or '*'}]"
    active = SparkSession.getActiveSession()
    if active is not None:
        running = active.sparkContext.master
        if master is not None and running != master:
            raise UsageError(
                f"a Spark session on {running} is already running in this process; "
                f"stop it before asking for {master}"
            )
        key = _memory_key(running or url)
        held = active.sparkContext.getConf().get(key) or "1g"  # Spark's default
        if memory is not None and held != spark_memory(memory):
            raise UsageError(
                f"a Spark session is already running in this process with {key}={held}; "
                f"stop it before asking for --memory-limit {memory} ({spark_memory(memory)})"
            )
        return active
    # Executors start Python workers with the interpreter running Lindung.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    _SPARK_FOLDER.mkdir(parents=True, exist_ok=True)
    scratch = tempfile.mkdtemp(prefix="run-", dir=_SPARK_FOLDER)
    config = {
        "spark.ui.enabled": "false",
        "spark.ui.showConsoleProgress": "false",
        "spark.sql.warehouse.dir": str(Path(scratch) / "warehouse"),
        "spark.local.dir": str(Path(scratch) / "local"),
        "spark.sql.ansi.enabled": "false",
        "spark.sql.execution.arrow.pyspark.enabled": "true",
        "spark.sql.session.timeZone": "UTC",
    }
    if _on_this_machine(url):
        os.environ.setdefault("SPARK_LOCAL_IP", "127.0.0.1")
        config["spark.driver.host"] = "127.0.0.1"
        config["spark.driver.bindAddress"] = "127.0.0.1"
    if memory is not None:
        config[_memory_key(url)] = spark_memory(memory)
    builder = SparkSession.builder.master(url).appName("lindung")
    for key, value in config.items():
        builder = builder.config(key, value)
    log.info("Spark: starting a session on %s (folders under %s)", url, scratch)
    try:
        session = builder.getOrCreate()
    except Exception as error:  # Java missing, cluster unreachable: Py4J's own error types
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else ""
        raise UsageError(
            f"Spark did not start on {url} ({first_line or type(error).__name__}); "
            "check that Java 17 is installed and the --spark-master URL is reachable"
        ) from None
    session.sparkContext.setLogLevel("ERROR")
    context = session.sparkContext
    partitions = shuffle_partitions(
        context.master or url,
        dict(context.getConf().getAll()),
        lambda: _registered_cores(context),
    )
    if partitions is not None:
        # A runtime setting: on a cluster the cores are known once the session is up.
        session.conf.set(_SHUFFLE_PARTITIONS, str(partitions))
    log.info("Spark: %s %s", _SHUFFLE_PARTITIONS, session.conf.get(_SHUFFLE_PARTITIONS))
    return session


_SHUFFLE_PARTITIONS = "spark.sql.shuffle.partitions"

SHUFFLE_PARTITIONS_PER_CORE = 2
"""Shuffle partitions per core of the Spark application (docs/scaling.md: two to four)."""

_LOCAL = re.compile(r"local(?:\[(?P<threads>[0-9]+|\*)(?:,[0-9]+)?\])?")


def shuffle_partitions(
    master: str, conf: Mapping[str, str], executor_cores: Callable[[], int]
) -> int | None:
    """Return the shuffle partitions (``spark.sql.shuffle.partitions``) for a new Spark session
    on ``master`` whose configuration is ``conf``, or None to keep the one ``conf`` has.

    The ``spark_shuffle_partitions`` setting when it is set; else a value in Spark's own
    configuration (``spark-defaults.conf``, ``--conf``), kept; else two per core of the
    application, where a core is in local mode one of ``local[N]``'s threads (``local[*]``:
    this machine's cores; at least four partitions), on a cluster ``spark.default.parallelism``
    if set, else ``spark.cores.max``, else ``spark.executor.instances`` (with dynamic
    allocation ``spark.dynamicAllocation.maxExecutors``) times ``spark.executor.cores``, else
    what ``executor_cores()`` counts (the executors' cores once registered; not asked with
    dynamic allocation, whose executors come and go: None). Spark's own default of 200 is
    meant for large clusters: every cached table keeps the partitions of the shuffle that made
    it, and each is a task in every later query (docs/scaling.md).
    """
    chosen = settings.SPARK_SHUFFLE_PARTITIONS.value()
    if chosen is not None:
        return chosen
    if _SHUFFLE_PARTITIONS in conf:
        return None
    local = _LOCAL.fullmatch(master)
    if local is not None:
        threads = local.group("threads") or "1"
        cores = (os.cpu_count() or 1) if threads == "*" else int(threads)
        return max(4, SHUFFLE_PARTITIONS_PER_CORE * cores)
    found = _cluster_cores(conf, executor_cores)
    return None if found is None else SHUFFLE_PARTITIONS_PER_CORE * found


def _cluster_cores(conf: Mapping[str, str], executor_cores: Callable[[], int]) -> int | None:
    """The cores a cluster's configuration gives the application, else the registered ones
    (None: not known, executors allocated dynamically)."""
    for key in ("spark.default.parallelism", "spark.cores.max"):
        if conf.get(key, "").isdigit():
            return max(1, int(conf[key]))
    dynamic = conf.get("spark.dynamicAllocation.enabled", "").lower() == "true"
    count = "spark.dynamicAllocation.maxExecutors" if dynamic else "spark.executor.instances"
    instances, each = conf.get(count, ""), conf.get("spark.executor.cores", "")
    if instances.isdigit() and each.isdigit():
        return max(1, int(instances) * int(each))
    return None if dynamic else max(1, executor_cores())


EXECUTOR_PATIENCE = 30.0
"""Seconds to wait for a cluster's first executor (Spark's own
``spark.scheduler.maxRegisteredResourcesWaitingTime``)."""

EXECUTORS_SETTLED = 2.0
"""Seconds with no new executor after which a cluster's executors count as all there."""


def _registered_cores(context: Any) -> int:
    """Return the cores of the executors registered with ``context``, waiting for the first
    (at most :data:`EXECUTOR_PATIENCE` seconds) and then until no other has come for
    :data:`EXECUTORS_SETTLED` seconds. A standalone cluster's executors register after the
    application does, so right after the session starts there may be none."""
    start = time.monotonic()
    seen, since = 0, start
    while time.monotonic() - start < EXECUTOR_PATIENCE:
        # The block managers of the driver and of each executor.
        executors = int(context._jsc.sc().getExecutorMemoryStatus().size()) - 1
        now = time.monotonic()
        if executors != seen:
            log.debug("Spark: %s after %.1f s", counted(executors, "executor"), now - start)
            seen, since = executors, now
        elif seen and now - since >= EXECUTORS_SETTLED:
            break
        time.sleep(0.2)
    log.info("Spark: %s registered", counted(seen, "executor"))
    # Spark's own count of the registered executors' cores (at least 2).
    cores: int = context.defaultParallelism
    return cores


_SIZE_UNITS = {
    "b": 1,
    "kb": 10**3,
    "mb": 10**6,
    "gb": 10**9,
    "tb": 10**12,
    "kib": 2**10,
    "mib": 2**20,
    "gib": 2**30,
    "tib": 2**40,
}


def spark_memory(size: str) -> str:
    """Return a size as ``--memory-limit`` takes it (``4GB`` is 4 * 10^9 bytes, as DuckDB reads
    it; ``4GiB`` 4 * 2^30) in Spark's spelling: whole mebibytes, ``3814m``."""
    found = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-z]+)\s*", size.lower())
    if found is None or found.group(2) not in _SIZE_UNITS:
        raise UsageError(f"memory size {size!r}: give a number and a unit such as 512MB or 2GB")
    mebibytes = int(float(found.group(1)) * _SIZE_UNITS[found.group(2)]) // 2**20
    return f"{max(1, mebibytes)}m"


def _memory_key(url: str) -> str:
    """The Spark setting that holds the working JVM's heap on master ``url``: the driver's in
    local mode (its executor runs inside it), else each executor's."""
    return "spark.driver.memory" if url.startswith("local") else "spark.executor.memory"


def _on_this_machine(url: str) -> bool:
    """Whether a Spark master URL is local mode or a cluster on this machine's loopback."""
    if url.startswith("local"):
        return True
    host = url.split("://", 1)[-1].split("/", 1)[0].rsplit(":", 1)[0]
    return host in {"127.0.0.1", "localhost", "[::1]"}


_VIEW_NUMBERS = itertools.count()


class Spark:
    """Apache Spark through Ibis's PySpark backend, on the session of :func:`spark_session`.

    An intermediate table is a temporary view of a cached DataFrame, computed once when it is
    made; dropping it frees the cache and the view. A session that this backend started is
    stopped on :meth:`disconnect`; one that was running already is left running.
    """

    def __init__(
        self, master: str | None = None, threads: int | None = None, memory: str | None = None
    ) -> None:
        try:
            from pyspark.sql import SparkSession
        except ImportError:
            raise UsageError(SPARK_INSTALL) from None
        self._owned = SparkSession.getActiveSession() is None
        self._session = spark_session(master, threads=threads, memory=memory)
        self._con: Any = ibis.pyspark.connect(self._session)
        self._views: dict[str, tuple[str, ir.Table]] = {}

    @property
    def con(self) -> ibis.BaseBackend:
        con: ibis.BaseBackend = self._con
        return con

    @property
    def local(self) -> bool:
        # Local mode: the executor is this machine's JVM, so the household rows come over a
        # loopback socket in Arrow, and NumPy's sorts replace some thirty windowed Spark jobs.
        # On a cluster the rows stay with the executors and the Gini's sums are queries.
        master = self._session.sparkContext.master or ""
        return master.startswith("local")

    @property
    def ordered(self) -> bool:
        return False

    def read(self, path: Path, kind: Literal["csv", "parquet"]) -> ir.Table:
        if kind == "parquet":
            return self._con.read_parquet(str(path))
        # Spark guesses whole numbers, numbers and text, as DuckDB is told to; it also guesses
        # booleans (true/false), which the engine reads as 1 and 0 either way.
        return self._con.read_csv(str(path), inferSchema=True, header=True)

    def from_frame(self, name: str, frame: pd.DataFrame) -> ir.Table:
        return self.materialise(name, in_memory(pa.Table.from_pandas(frame, preserve_index=False)))

    def materialise(
        self, name: str, table: ir.Table, *, read_beside: bool = False, order_by: str = ""
    ) -> ir.Table:
        # Spark keeps no row order in a table: ``order_by`` would cost a global sort for nothing.
        self.drop(name)
        view = f"{name}_{next(_VIEW_NUMBERS)}"
        self._con.create_view(view, table, overwrite=True)
        cached = self._con.table(view).cache()
        # Computed now: the tables it was made from may be dropped next.
        cached.count().execute()
        self._views[name] = (view, cached)
        kept: ir.Table = cached
        return kept

    def drop(self, name: str) -> None:
        found = self._views.pop(name, None)
        if found is not None:
            view, cached = found
            cached.release()
            self._con.drop_view(view, force=True)

    def beside(self, queries: list[ir.Table], parallel: int) -> _Jobs:
        return _Jobs(self._con, queries, parallel)

    def batches(self, table: ir.Table, rows: int) -> Iterator[pa.RecordBatch]:
        yield from table.to_pyarrow_batches(chunk_size=rows)

    def disconnect(self) -> None:
        for name in list(self._views):
            self.drop(name)
        if self._owned:
            self._session.stop()


_JOB_GROUPS = itertools.count()


class _Jobs:
    """Queries run as Spark jobs from threads of their own (Spark schedules them side by side);
    leaving the block on an error cancels them."""

    def __init__(self, con: Any, queries: list[ir.Table], parallel: int) -> None:
        self._con = con
        self._queries = queries
        self._group = f"lindung-beside-{next(_JOB_GROUPS)}"
        for query in queries:
            # In-memory tables are registered here, not from several threads at once.
            con._run_pre_execute_hooks(query)
        self._pool = ThreadPoolExecutor(max_workers=max(1, parallel)) if parallel else None
        self._futures: list[Future[pa.Table]] = (
            [self._pool.submit(self._run, q) for q in queries] if self._pool else []
        )

    def __enter__(self) -> _Jobs:
        return self

    def __exit__(self, kind: object, error: BaseException | None, trace: object) -> None:
        if self._pool is None:
            return
        if error is not None:
            for future in self._futures:
                future.cancel()
            self._con._session.sparkContext.cancelJobGroup(self._group)
        self._pool.shutdown(wait=True, cancel_futures=True)

    def results(self) -> list[pa.Table]:
        if self._pool is None:
            return [self._run(q) for q in self._queries]
        return [future.result() for future in self._futures]

    def _run(self, query: ir.Table) -> pa.Table:
        self._con._session.sparkContext.setJobGroup(self._group, "lindung", True)
        found: pa.Table = self._con.to_pyarrow(query)
        return found
