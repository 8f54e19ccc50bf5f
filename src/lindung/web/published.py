"""What a web process derives from published values, kept while the store's publications stay
as they are.

Pages read the same large frames on every visit: an indicator's current values across every
area and breakdown, the UN population that weights each aggregate; and they derive the same
tables, charts and answers from them. Reading a frame is a query over every stored version of
its keys and a frame built from the rows, a second of CPU at a million observations. Published
values change only when a submission is published or observations are added, and
``store.observations.publication_stamp`` says so in one small query; so each process keeps
what it read or derived under the stamp it did so at, and does it again once the stamp moves.
Only what published values decide is kept (never a reviewer's preview of unpublished ones, nor
anything that depends on who asks).
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime
from typing import Any, TypeVar

import pandas as pd
from sqlalchemy import Connection, Engine

from lindung.store.observations import publication_stamp

#: Frames kept per store, the least recently used going first: an indicator's values are a
#: few thousand rows in a real store, some twenty thousand in the million-row benchmark.
FRAMES = 32
#: Derived values (a page's tables and chart, an API answer's bytes) kept per store.
DERIVED = 512

Stamp = tuple[int, datetime | None, int]
T = TypeVar("T")

_lock = threading.Lock()
#: By store (an application's engine; tests make many) and kind, what was kept under which
#: stamp.
_kept: weakref.WeakKeyDictionary[Engine, dict[int, OrderedDict[Hashable, tuple[Stamp, Any]]]] = (
    weakref.WeakKeyDictionary()
)


def _remember(connection: Connection, size: int, what: Hashable, make: Callable[[], T]) -> T:
    stamp = publication_stamp(connection)
    with _lock:
        kept = _kept.setdefault(connection.engine, {}).setdefault(size, OrderedDict())
        found = kept.get(what)
        if found is not None and found[0] == stamp:
            kept.move_to_end(what)
            value: T = found[1]
            return value
    made = make()
    with _lock:
        kept[what] = (stamp, made)
        kept.move_to_end(what)
        while len(kept) > size:
            kept.popitem(last=False)
    return made


def published_frame(
    connection: Connection, what: Hashable, read: Callable[[Connection], pd.DataFrame]
) -> pd.DataFrame:
    """Return a copy of the frame ``read(connection)`` returns, read again only when the store
    has published something since this process last read ``what``. ``read`` must read published
    values only, and ``what`` name everything it reads (e.g. the series). A copy, so that no
    page can change what the next one sees."""
    return _remember(connection, FRAMES, what, lambda: read(connection)).copy()


def published_derived(connection: Connection, what: Hashable, make: Callable[[], T]) -> T:
    """Return what ``make()`` returns, made again only when the store has published something
    since this process last made ``what``. ``make`` must depend on published values only and
    ``what`` name all else it depends on (the code, the breakdown, the language); the value is
    shared, so callers must not change it."""
    return _remember(connection, DERIVED, what, make)
