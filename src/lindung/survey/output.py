"""Writing the estimates table: CSV, JSON (records) or Parquet."""

from __future__ import annotations

import enum
import json
import math
from pathlib import Path

import pandas as pd
from pandas.api.types import is_numeric_dtype

from lindung.errors import SurveySpecError
from lindung.text import neutralise

__all__ = ["OutputFormat", "write_estimates"]


class OutputFormat(enum.StrEnum):
    """File formats of ``lindung survey estimate --out``."""

    csv = "csv"
    json = "json"
    parquet = "parquet"


def write_estimates(estimates: pd.DataFrame, path: Path, fmt: OutputFormat) -> None:
    """Write the estimates; a missing estimate is an empty CSV cell or a JSON null."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt is OutputFormat.csv:
            # Every column that is not a number, whatever its dtype (categorical labels too).
            text = [c for c in estimates.columns if not is_numeric_dtype(estimates[c])]
            safe = estimates.assign(**{name: _neutralised(estimates[name]) for name in text})
            safe.to_csv(path, index=False, float_format="%.17g")
        elif fmt is OutputFormat.parquet:
            estimates.to_parquet(path, index=False)
        else:
            records = [
                {
                    k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                    for k, v in row.items()
                }
                for row in estimates.to_dict(orient="records")
            ]
            path.write_text(json.dumps(records, indent=1, default=str), encoding="utf-8")
    except OSError as error:
        raise SurveySpecError(f"{path}: cannot write the estimates ({error.strerror})") from None


def _neutralised(column: pd.Series) -> pd.Series:
    """Return a text column with every formula-like value marked as text
    (:func:`~lindung.text.neutralise`), each distinct value looked at once: a column of the
    estimates holds a few dozen values over thousands of rows."""
    values = column.astype(object)
    marked = {}
    for value in values.dropna().unique():
        safe = neutralise(value)
        if safe is not value:
            marked[value] = safe
    return values.replace(marked) if marked else values
