"""Opening the store from a command: the URL from $LINDUNG_DATABASE_URL, checked to be ready."""

from __future__ import annotations

from typing import TYPE_CHECKING

from lindung.errors import StoreError

if TYPE_CHECKING:
    from sqlalchemy import Engine


def open_store() -> Engine:
    """Return an engine on an initialised, current store; else say which command to run."""
    from lindung.store import (
        current_revision,
        describe_url,
        head_revision,
        make_engine,
        translate_errors,
    )

    engine = make_engine()
    with translate_errors(engine):
        revision = current_revision(engine)
    where = describe_url(str(engine.url))
    if revision is None:
        raise StoreError(f"the store at {where} is not initialised; run `lindung db init`")
    if revision != head_revision():
        raise StoreError(f"the store at {where} is at schema {revision}; run `lindung db upgrade`")
    return engine
