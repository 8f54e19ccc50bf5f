"""The observation key every assessment groups by: SDG DSD dimension names, "_T" for totals."""

from __future__ import annotations

from lindung.store.schema import DIMENSIONS

__all__ = ["DIMENSIONS"]
