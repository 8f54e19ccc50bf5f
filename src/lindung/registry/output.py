"""Writing the coverage and data-quality tables: CSV (safe to open in a spreadsheet) or Parquet."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from lindung.text import neutralise

__all__ = ["write_table"]


def write_table(table: pd.DataFrame, path: Path, fmt: str) -> None:
    """Write ``table`` as ``csv`` (text cells a spreadsheet would run as a formula neutralised,
    each number in the shortest text that reads back as the same float, ``0.1`` rather than
    ``0.10000000000000001``; a missing ratio as an empty cell) or ``parquet``."""
    if fmt == "parquet":
        table.to_parquet(path, index=False)
        return
    text = table.select_dtypes(include=["object", "string"]).columns
    safe = table.assign(**{name: table[name].map(neutralise) for name in text})
    safe.to_csv(path, index=False)
