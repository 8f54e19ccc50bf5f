"""Ibis's SQL compilers loaded one at a time, as a backend asks for its own.

The package ``ibis.backends.sql.compilers`` imports the compilers of all twenty SQL backends
Ibis ships when any one of them is imported (about 0.1 CPU s, a tenth of a small survey's
start-up), though a survey run needs DuckDB's (or Spark's) only. :func:`load_compilers_lazily`
puts a module in the package's place before Ibis's backends load: it reads the same folder, so
``ibis.backends.sql.compilers.duckdb`` imports DuckDB's compiler (and the base it builds on)
only, and any other name the package offers (a compiler class, as
``from ibis.backends.sql.compilers import PostgresCompiler``) runs the package's own
``__init__`` into it on first use, so it then holds everything the package would.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
import types
from typing import Any

__all__ = ["PACKAGE", "load_compilers_lazily"]

PACKAGE = "ibis.backends.sql.compilers"


def load_compilers_lazily() -> bool:
    """Put the lazy package in place; return whether it is (not when Ibis's backends have
    already loaded their compilers, or the package is not where this Ibis version keeps it)."""
    if PACKAGE in sys.modules:
        return isinstance(sys.modules[PACKAGE], _LazyCompilers)
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except ImportError:
        return False
    if spec is None or spec.origin is None or not spec.submodule_search_locations:
        return False
    if PACKAGE in sys.modules:  # finding it imported its parents, which may have loaded it
        return isinstance(sys.modules[PACKAGE], _LazyCompilers)
    package = _LazyCompilers(PACKAGE)
    package.__file__ = spec.origin
    package.__path__ = list(spec.submodule_search_locations)
    package.__package__ = PACKAGE
    package.__spec__ = spec
    sys.modules[PACKAGE] = package
    parent, _, name = PACKAGE.rpartition(".")
    setattr(sys.modules[parent], name, package)
    return True


class _LazyCompilers(types.ModuleType):
    """The compilers package: a submodule imported when asked for, anything else from the
    package's own ``__init__``, run once on first use."""

    _complete = False

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__") and name != "__all__":
            raise AttributeError(name)
        if not name.startswith("_") and name.islower():
            try:
                return importlib.import_module(f"{PACKAGE}.{name}")
            except ModuleNotFoundError as error:
                if error.name != f"{PACKAGE}.{name}":
                    raise
        if not self._complete:
            self._complete = True
            spec = self.__spec__
            assert spec is not None and spec.loader is not None
            spec.loader.exec_module(self)
            if name in self.__dict__:
                return self.__dict__[name]
        raise AttributeError(f"module {PACKAGE!r} has no attribute {name!r}")
