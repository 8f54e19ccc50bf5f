"""Opening the store from a command, and who is acting: the login saved for that store.

The URL comes from $LINDUNG_DATABASE_URL, checked to be ready. The acting user is proven by
a token: $LINDUNG_TOKEN if set (for scripts), else the login saved by ``lindung login`` for this
store — the active account, or the one ``--as EMAIL`` chooses among those logged in here.
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

from lindung.cli.credentials import saved_login
from lindung.errors import StoreError, Unauthenticated
from lindung.settings import TOKEN

if TYPE_CHECKING:
    from sqlalchemy import Connection, Engine

    from lindung.store.users import User


def open_store() -> Engine:
    """Return an engine on an initialised, current store; else say which command to run."""
    from sqlalchemy.engine import make_url

    from lindung.store import (
        current_revision,
        database_url,
        describe_url,
        head_revision,
        make_engine,
        translate_errors,
    )

    url = make_url(database_url())
    # SQLite creates a missing file on connect: an empty store left behind a typo'd path.
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = os.path.expanduser(str(url.database))
        if not url.database.startswith("file:") and not os.path.exists(path):
            raise StoreError(f"no store at {path}; run `lindung db init`")
    engine = make_engine()
    with translate_errors(engine):
        revision = current_revision(engine)
    where = describe_url(str(engine.url))
    if revision is None:
        raise StoreError(f"the store at {where} is not initialised; run `lindung db init`")
    if revision != head_revision():
        raise StoreError(f"the store at {where} is at schema {revision}; run `lindung db upgrade`")
    return engine


def store_key() -> str:
    """Return the name under which logins to the current store are saved (URL, no password)."""
    from sqlalchemy.engine import make_url

    from lindung.store import database_url, describe_url

    url = database_url()
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database:
        # The same file named two ways (relative, via ~) is one store.
        parsed = parsed.set(database=os.path.abspath(os.path.expanduser(parsed.database)))
        return parsed.render_as_string(hide_password=True)
    return describe_url(url)


def current_user(connection: Connection, choose: str | None = None) -> User | None:
    """Return the logged-in user acting here, or None if nobody is logged in to this store.

    ``choose`` (the ``--as`` option) picks one of the accounts logged in to this store.
    """
    from lindung.ingest.accounts import authenticate

    token = TOKEN.value()
    if token and choose is None:
        return authenticate(connection, token)
    login = saved_login(store_key(), choose)
    if login is None:
        if choose is not None:
            raise Unauthenticated(
                f"{choose} is not logged in to this store; run `lindung login {choose}`"
            )
        return None
    return authenticate(connection, login[1])


def signed_in(connection: Connection, choose: str | None, action: str) -> User:
    """Return the logged-in user acting; raise Unauthenticated naming ``action`` if nobody is."""
    user = current_user(connection, choose)
    if user is None:
        raise Unauthenticated(f"to {action}, log in first: `lindung login EMAIL`")
    return user
