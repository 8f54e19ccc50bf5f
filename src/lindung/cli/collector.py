"""Python's cyclic garbage collector while a command loads its engine, in the ``lindung`` process.

Loading the survey engine (Ibis, sqlglot, PyArrow, NumPy) makes several hundred thousand
objects that live as long as the process. While they are made, the collector runs its full
passes again and again over all of them, and finds nothing to free: about a tenth of a second
of the small survey's run, on the one core that loads the modules. :func:`loading` keeps the
collector off while a command imports what it needs, then freezes what was loaded (the
collector leaves those objects alone from then on) and turns it back on, so the command's own
work is collected as it always was.

This is a setting of the whole process, so it is made only in the process the ``lindung``
command owns (:func:`own_process`, called by :func:`lindung.cli.main.run`). Elsewhere (tests,
a notebook calling :func:`lindung.cli.main.main`) :func:`loading` changes nothing: objects
frozen there would never be freed.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["loading", "own_process", "owns_process"]

_OWNED: list[bool] = [False]


def own_process() -> None:
    """Say that this process is the ``lindung`` command's own, to be ended when it is done."""
    _OWNED[0] = True


def owns_process() -> bool:
    """Whether :func:`own_process` was called in this process."""
    return _OWNED[0]


@contextmanager
def loading() -> Iterator[None]:
    """Within the block, in the command's own process, the collector is off; on leaving, the
    objects made so far are frozen and the collector is as it was."""
    if not _OWNED[0] or not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.enable()
