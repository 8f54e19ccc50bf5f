"""Which database Lindung uses, and opening it with errors a user can act on."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import platformdirs
import sqlalchemy.exc
from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import make_url

from lindung import settings
from lindung.errors import StoreError

ENV_VAR = settings.DATABASE_URL.env
log = logging.getLogger(__name__)


def default_database_url() -> str:
    """Return the embedded SQLite store's URL: a file in the user's data directory."""
    folder = Path(platformdirs.user_data_dir("lindung", appauthor=False))
    return f"sqlite:///{folder / 'lindung.sqlite'}"


def database_url(url: str | None = None) -> str:
    """Return the URL to use: the one given, else $LINDUNG_DATABASE_URL, else the default."""
    return url or settings.DATABASE_URL.value() or default_database_url()


def describe_url(url: str) -> str:
    """Return the URL with any password hidden, for messages."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sqlalchemy.exc.ArgumentError:
        return "<unparseable URL>"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def make_engine(url: str | None = None, *, connections: int | None = None) -> Engine:
    """Return an engine for the store; raise StoreError if the URL is unusable.

    ``connections`` keeps that many connections open for reuse, and opens no more (a server's
    threads wait for one): a pool that opens extra connections under load closes them again as
    soon as they are returned, and PostgreSQL spends more on opening one than on most reads.
    SQLite (a file opened in-process) keeps its own pool.
    """
    resolved = database_url(url)
    pool: dict[str, int] = {}
    try:
        parsed = make_url(resolved)
        if connections is not None and parsed.get_backend_name() != "sqlite":
            pool = {"pool_size": connections, "max_overflow": 0}
        if parsed.get_backend_name() == "sqlite" and parsed.database:
            Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(parsed, future=True, **pool)
    except (sqlalchemy.exc.ArgumentError, sqlalchemy.exc.NoSuchModuleError, ImportError) as error:
        raise StoreError(
            f"cannot use database URL {describe_url(resolved)!r}: {error}; "
            f"set {ENV_VAR} to sqlite:///PATH or postgresql+psycopg://USER@HOST/DB"
        ) from None
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    log.info("store: %s", describe_url(resolved))
    return engine


@contextmanager
def translate_errors(engine: Engine) -> Iterator[None]:
    """Turn driver errors (unreachable server, locked file) into a one-line StoreError."""
    try:
        yield
    except sqlalchemy.exc.OperationalError as error:
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise StoreError(
            f"cannot reach the database {describe_url(str(engine.url))}: {reason}; "
            f"check that it is running and that {ENV_VAR} is right"
        ) from None


@contextmanager
def transaction(engine: Engine) -> Iterator[Connection]:
    """Yield a connection in one transaction: everything commits, or nothing does."""
    with translate_errors(engine), engine.begin() as connection:
        yield connection
