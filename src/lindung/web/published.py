"""Published frames a web process keeps while the store's publications stay as they are.

Pages read the same large frames on every visit: an indicator's current values across every
area and breakdown, the UN population that weights each aggregate. Reading one is a query over
every stored version of its keys and a frame built from the rows, a second of CPU at a million
observations. Published values change only when a submission is published or observations are
added, and ``store.observations.publication_stamp`` says so in one small query; so each process
keeps the frames it read under the stamp it read them at, and reads again once the stamp moves.
Only published values are kept (never a reviewer's preview of unpublished ones), and each
caller gets a copy, so that no page can change what the next one sees.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable, Hashable
from datetime import datetime

import pandas as pd
from sqlalchemy import Connection, Engine

from lindung.store.observations import publication_stamp

#: Frames kept per process, the least recently used going first: an indicator's values are a
#: few thousand rows in a real store, some twenty thousand in the million-row benchmark.
KEPT = 32

Stamp = tuple[int, datetime | None, int]

_lock = threading.Lock()
#: By store (an application's engine; tests make many), what was read under which stamp.
_kept: weakref.WeakKeyDictionary[Engine, OrderedDict[Hashable, tuple[Stamp, pd.DataFrame]]] = (
    weakref.WeakKeyDictionary()
)


def published_frame(
    connection: Connection, what: Hashable, read: Callable[[Connection], pd.DataFrame]
) -> pd.DataFrame:
    """Return a copy of the frame ``read(connection)`` returns, read again only when the store
    has published something since this process last read ``what``. ``read`` must read published
    values only, and ``what`` name everything it reads (e.g. the series)."""
    stamp = publication_stamp(connection)
    with _lock:
        kept = _kept.setdefault(connection.engine, OrderedDict())
        found = kept.get(what)
        if found is not None and found[0] == stamp:
            kept.move_to_end(what)
            return found[1].copy()
    frame = read(connection)
    with _lock:
        kept[what] = (stamp, frame)
        kept.move_to_end(what)
        while len(kept) > KEPT:
            kept.popitem(last=False)
    return frame.copy()
