"""Shared fixtures: a fresh, migrated store on SQLite and, where configured, on PostgreSQL.

PostgreSQL tests run when LINDUNG_TEST_DATABASE_URL is set (CI sets it); elsewhere they are
skipped with that reason shown. Each test gets its own PostgreSQL schema, dropped afterwards.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from argon2 import PasswordHasher
from sqlalchemy import Connection, Engine, create_engine, make_url, text

import lindung.store.users as users_module
from lindung.cli.main import main
from lindung.store import make_engine, set_status, upgrade

#: The store's own password hasher, as it is imported (before any test swaps it).
SHIPPED_ARGON2 = users_module._hasher


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--spark-full",
        action="store_true",
        help="also run the slowest Spark tests (marker spark_full; make test-spark)",
    )


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Leave out the spark_full tests unless --spark-full asks for them (deselected, so a
    run says how many it left out, never skipped silently)."""
    if config.getoption("--spark-full"):
        return
    left_out = [item for item in items if item.get_closest_marker("spark_full")]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = [item for item in items if not item.get_closest_marker("spark_full")]


#: A test id that names Spark: its file is test_spark*.py, or one of its parameters is the
#: engine ``spark`` (``test_x[spark]``, ``test_x[spark-2]``).
SPARK_TEST_ID = re.compile(r"(^|/)test_spark[^/]*\.py::|\[(.*-)?spark(-.*)?\]$")


@pytest.hookimpl(optionalhook=True)
def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """Under ``-n N --dist loadfile``, send every Spark test to one worker, as one unit.

    A Spark session takes some 12 s and a gigabyte to start, and each worker is a process of
    its own: with the Spark tests spread over the files' workers, each worker would start one.
    The controller sees only test ids (it collects nothing), so the unit is chosen by id
    (:data:`SPARK_TEST_ID`); every other test is scheduled by its file, as loadfile does. The
    Spark unit is handed out before any file (xdist would otherwise send the units largest
    first, the Spark one after some thirty files), so that its few minutes overlap the others.
    """
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class SparkOnOneWorker(LoadFileScheduling):
        def _split_scope(self, nodeid: str) -> str:
            if SPARK_TEST_ID.search(nodeid):
                return "spark"
            return super()._split_scope(nodeid)

        def _assign_work_unit(self, node: Any) -> None:
            # The Spark unit goes out first, so that it runs beside the other files from the
            # start: it is the longest unit, and last in the queue it would end the run alone.
            if "spark" in self.workqueue:
                self.workqueue.move_to_end("spark", last=False)
            super()._assign_work_unit(node)

    return SparkOnOneWorker(config, log)


SHORT_RUN_JAVA = "-XX:TieredStopAtLevel=1 -XX:+UseParallelGC"
"""JVM options for the tests' short Spark runs: C1 compilation only, since the optimising C2
compiler spends more CPU on Spark's planner than a test's queries gain back (a third of the
JVM's CPU in a short run), and the throughput collector, with no concurrent marking threads
competing for two cores."""


@pytest.fixture(scope="session")
def short_run_java() -> Iterator[None]:
    """Give every JVM started from here on (the local session, a test cluster's master,
    workers and executors, a CLI's driver) :data:`SHORT_RUN_JAVA`, through JAVA_TOOL_OPTIONS,
    which every JVM reads and which every child process inherits."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("JAVA_TOOL_OPTIONS", SHORT_RUN_JAVA)
        yield


SPARK_MEMORY = "1500MB"
"""The memory the tests' Spark session is started with (``spark_session(memory=...)``, as
``--memory-limit`` gives it): 1430 MiB, more than Spark's default 1 GiB, so that
tests/registry/test_spark.py can check on this one JVM that the setting reached its heap."""


@pytest.fixture(scope="session")
def spark(short_run_java: None) -> Iterator[Any]:
    """The local Spark session (``local[2]``, :data:`SPARK_MEMORY`) of every test that runs
    Spark in this process: tests/survey's and tests/registry's alike. Started with the survey
    engine's own :func:`~lindung.survey.spark.spark_session`, which hands the running session
    to every later caller (a backend the engine opens on it leaves it running), so a test run
    starts one JVM, on the one worker :func:`pytest_xdist_make_scheduler` sends the Spark tests
    to."""
    pytest.importorskip("pyspark")
    from lindung.survey.spark import spark_session

    started = spark_session(threads=2, memory=SPARK_MEMORY)
    yield started
    started.stop()


POSTGRES_URL = os.environ.get("LINDUNG_TEST_DATABASE_URL")
SHARED_DATA = Path(__file__).resolve().parent / "data" / "shared"

ENGINES = [
    "sqlite",
    pytest.param(
        "postgresql",
        marks=[
            pytest.mark.postgres,
            pytest.mark.skipif(
                not POSTGRES_URL,
                reason="PostgreSQL tests need LINDUNG_TEST_DATABASE_URL "
                "(e.g. postgresql+psycopg://postgres@127.0.0.1:5432/test)",
            ),
        ],
    ),
]


#: The store's own path from draft to publication, step by step (who may take each step is
#: the workflow's business, tested in tests/ingest/test_workflow.py).
TO_PUBLISHED = (("draft", "submitted"), ("submitted", "validated"), ("validated", "published"))


def publish_through_review(
    connection: Connection, submission_id: int, *, actor: str = "secretariat@example.org"
) -> None:
    """Publish a draft the only way the store allows: submitted, validated, then published."""
    for before, after in TO_PUBLISHED:
        set_status(connection, submission_id, after, expected=before, actor=actor)


#: argon2id at argon2-cffi's cheapest cost (one pass over 8 KiB, one lane; its
#: ``profiles.CHEAPEST``, for tests) with the shipped salt and hash lengths.
CHEAP_ARGON2 = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)


@pytest.fixture(scope="session", autouse=True)
def cheap_password_hashing() -> Iterator[None]:
    """Hash and verify the tests' passwords with :data:`CHEAP_ARGON2` in this process.

    The store's hasher (RFC 9106's low-memory profile: three passes over 64 MiB on four lanes)
    takes a quarter of a second per hash or check on a loaded two-core machine, and most
    tests add and sign in several users: in tests/web/test_roles.py and
    tests/exchange/test_sdmx_import.py that was two thirds of the time. It is still
    argon2id, salted and checked by argon2-cffi, so adding, signing in and refusing accounts
    are tested as they were; that the store hashes at its own cost is tested in
    tests/store/test_password_hashing.py (fixture ``shipped_password_hashing``), and the
    CLI's subprocess tests (``lindung serve``, the review races) run the shipped hasher.
    """
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(users_module, "_hasher", CHEAP_ARGON2)
        yield


@pytest.fixture
def shipped_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Give a test the store's own password hasher back, at the cost it ships with."""
    monkeypatch.setattr(users_module, "_hasher", SHIPPED_ARGON2)


@pytest.fixture(autouse=True)
def saved_logins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Keep every test's logins in its own folder: never the user's real credentials."""
    folder = tmp_path / "config"
    monkeypatch.setenv("LINDUNG_CONFIG_DIR", str(folder))
    monkeypatch.delenv("LINDUNG_TOKEN", raising=False)
    return folder


@pytest.fixture(params=ENGINES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Yield the URL of an empty database on each engine."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'lindung.sqlite'}"
        return
    assert POSTGRES_URL is not None
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(POSTGRES_URL)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in POSTGRES_URL else "?"
    yield f"{POSTGRES_URL}{separator}options={quote(f'-csearch_path={schema}')}"
    with admin.begin() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(scope="session")
def upgraded_sqlite(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a SQLite store upgraded to the newest schema, made once per test process for
    :func:`engine` to copy (every migration run anew takes a quarter of a second of DDL, each
    statement written through to the disk; the migrations themselves are tested in
    tests/store/test_migrations.py)."""
    path = tmp_path_factory.mktemp("upgraded") / "lindung.sqlite"
    store_engine = make_engine(f"sqlite:///{path}")
    upgrade(store_engine)
    store_engine.dispose()
    return path


@pytest.fixture
def engine(database_url: str, upgraded_sqlite: Path) -> Iterator[Engine]:
    """Yield an engine on a fresh database upgraded to the newest schema: on SQLite, a copy
    of :func:`upgraded_sqlite` at the database's path; on PostgreSQL, the test's own schema
    upgraded in place."""
    sqlite_file = make_url(database_url).database if database_url.startswith("sqlite") else None
    if sqlite_file:
        assert not Path(sqlite_file).exists(), "the test's database was used before its engine"
        shutil.copyfile(upgraded_sqlite, sqlite_file)
    store_engine = make_engine(database_url)
    if not sqlite_file:
        upgrade(store_engine)
    yield store_engine
    store_engine.dispose()


@pytest.fixture
def shared_data() -> Path:
    """Return the folder of real survey data and published reference results (copied from
    the team's shared data with its provenance README)."""
    return SHARED_DATA


@dataclass
class Outcome:
    """What a command printed and how it exited."""

    exit_code: int
    stdout: str
    stderr: str


@pytest.fixture
def cli(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> Callable[..., Outcome]:
    """Return a function that runs ``lindung ARGS`` in-process through the console entry point,
    as a user would from a shell (``stdin`` feeds a prompt)."""

    def run(*args: str, stdin: str | None = None) -> Outcome:
        if stdin is not None:
            monkeypatch.setattr("sys.stdin", io.StringIO(stdin))
        capsys.readouterr()
        try:
            main(list(args))
            code = 0
        except SystemExit as done:
            code = done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
        captured = capsys.readouterr()
        return Outcome(code, captured.out, captured.err)

    return run


@pytest.fixture
def lindung(
    cli: Callable[..., Outcome], monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Callable[..., Outcome]:
    """Return the ``cli`` runner working on a fresh, empty database of each engine."""
    monkeypatch.setenv("LINDUNG_DATABASE_URL", database_url)
    return cli


#: The store's first user in the CLI tests: the admin who adds everyone else.
ADMIN = "admin@example.org"
PASSWORD = "a-long-password"


@pytest.fixture
def sign_up(lindung: Callable[..., Outcome]) -> Callable[..., None]:
    """Return a function that adds users through the CLI as an admin does, then logs each in.

    The store's first user is the admin (added if the mapping lacks one); every user given is
    then logged in here, the last one given being the active account, so tests choose who
    acts with ``--as`` as a user with several logins would.
    """

    def add(users: dict[str, tuple[str, str | None]]) -> None:
        def run(*args: str) -> None:
            outcome = lindung(*args, stdin=PASSWORD + "\n")
            assert outcome.exit_code == 0, outcome.stderr

        run("user", "add", ADMIN, "--role", "admin")
        run("login", ADMIN)
        for email, (role, country) in users.items():
            if email != ADMIN:
                extra = ("--country", country) if country else ()
                run("user", "add", email, "--role", role, *extra, "--as", ADMIN)
        for email in users:
            run("login", email)

    return add
