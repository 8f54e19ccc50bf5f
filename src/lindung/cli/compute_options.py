"""What ``lindung survey estimate`` and ``lindung registry coverage`` share: the query engine
and its resources (``--engine``, ``--spark-master``, ``--threads``, ``--memory-limit``), storing
the result for review (``--store``, ``--as``) and the progress bar of a long computation.

Each check refuses with one line saying how to fix the input, before anything is computed."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, Literal

import typer
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from lindung.cli.output import error_console, progress_text
from lindung.errors import SettingInvalid, UsageError

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: The values of ``lindung.survey.backend.ENGINES``, spelled out because importing the engine
#: brings Ibis and DuckDB into every command's start-up; tests/cli/test_startup.py keeps them equal.
EngineName = Literal["duckdb", "spark"]

ENGINE_OPTION: Any = typer.Option(
    "duckdb",
    "--engine",
    help="Query engine: duckdb (in-process) or spark (needs the spark extra and Java 17).",
)
SPARK_MASTER_OPTION: Any = typer.Option(
    None,
    "--spark-master",
    help="With --engine spark: the cluster to run on, e.g. spark://host:7077 "
    "(default: local mode on this machine).",
    metavar="URL",
)
THREADS_OPTION: Any = typer.Option(
    None,
    "--threads",
    min=1,
    help="Cores to use (default: LINDUNG_DUCKDB_THREADS, else all); 1 keeps the machine free.",
)
MEMORY_OPTION: Any = typer.Option(
    None,
    "--memory-limit",
    help="DuckDB's memory cap, e.g. 4GB (default: LINDUNG_DUCKDB_MEMORY); past it, DuckDB "
    "spills to the temporary folder.",
    metavar="SIZE",
)
ENGINE_MEMORY_OPTION: Any = typer.Option(
    None,
    "--memory-limit",
    help="Memory, e.g. 4GB: DuckDB's cap (default: LINDUNG_DUCKDB_MEMORY), past which it "
    "spills to the temporary folder; with --engine spark, the heap of the JVM that does the "
    "work (spark.driver.memory in local mode, spark.executor.memory on a cluster).",
    metavar="SIZE",
)


def store_option(what: str) -> Any:
    """``--store``: also save ``what`` in the store, for review."""
    return typer.Option(False, "--store", help=f"Also save {what} in the store, for review.")


def actor_option(what: str) -> Any:
    """``--as``: which logged-in account records ``what``."""
    return typer.Option(
        None,
        "--as",
        help=f"With --store: which account logged in here records {what} (default: the active).",
    )


def check_engine(engine: str, spark_master: str | None) -> None:
    """Refuse a cluster URL without the Spark engine."""
    if spark_master and engine != "spark":
        raise UsageError("--spark-master is for --engine spark; add --engine spark or drop it")


def memory_cap(memory_limit: str | None) -> str | None:
    """Return ``--memory-limit`` as DuckDB takes it (``4GB``), or None if not given."""
    from lindung import settings

    if memory_limit is None:
        return None
    try:
        return settings.DUCKDB_MEMORY.parse(memory_limit.strip())
    except SettingInvalid as error:
        raise UsageError(f"--memory-limit {memory_limit!r}: {error}") from None


def recorder(choose: str | None, what: str, country: str | None = None) -> tuple[Engine, str]:
    """Return the store and the email of the logged-in user who records ``what`` (for
    ``country``, whose right to act for it is checked too), before anything is computed."""
    from lindung.cli.store_access import open_store, signed_in
    from lindung.ingest.accounts import require_country
    from lindung.store import transaction

    engine = open_store()
    with transaction(engine) as connection:
        user = signed_in(connection, choose, what)
    if country is not None:
        require_country(user, country.strip().upper(), what)
    return engine, str(user["email"])


@contextmanager
def progress_bar() -> Iterator[Callable[[str, int, int], None]]:
    """Yield a progress callback (step, done, total) drawing a Rich bar on stderr while the
    block runs."""
    with Progress(
        # Plain text, as in :func:`~lindung.cli.output.progress_columns`.
        TextColumn("{task.description}", markup=False),
        BarColumn(),
        TextColumn("{task.completed}/{task.total}"),
        TimeElapsedColumn(),
        console=error_console,
        transient=True,
    ) as bar:
        task = bar.add_task("starting", total=1)

        def advance(step: str, done: int, total: int) -> None:
            bar.update(task, description=progress_text(step), completed=done, total=total)

        yield advance
