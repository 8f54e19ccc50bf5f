"""Writing the estimates table: CSV, JSON (records) or Parquet.

A survey run's estimates are written from its rows as they are, with no pandas or Arrow
table made for CSV and JSON (importing pandas alone takes a quarter of a second, a good part
of a small survey's run).
"""

from __future__ import annotations

import csv
import enum
import json
import math
from collections.abc import Mapping, Sequence
from numbers import Integral, Real
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa

from lindung.errors import SurveySpecError
from lindung.survey.engine import COLUMNS, SurveyResult
from lindung.text import neutralise

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["OutputFormat", "write_estimates"]


class OutputFormat(enum.StrEnum):
    """File formats of ``lindung survey estimate --out``."""

    csv = "csv"
    json = "json"
    parquet = "parquet"


def write_estimates(
    estimates: SurveyResult | pa.Table | pd.DataFrame, path: Path, fmt: OutputFormat
) -> None:
    """Write the estimates (a run's, or a table of them); a missing estimate is an empty CSV
    cell or a JSON null.

    CSV numbers are written as pandas' ``%.17g`` wrote them: a whole number without a point,
    every other one with the 17 significant digits that give back the same double.
    """
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        if fmt is OutputFormat.parquet:
            import pyarrow.parquet as pq

            pq.write_table(_table(estimates), path)
            return
        names, rows = _rows(estimates)
        if fmt is OutputFormat.csv:
            _write_csv(names, rows, path)
        else:
            records = [
                {
                    k: (None if isinstance(v, float) and not math.isfinite(v) else v)
                    for k, v in row.items()
                }
                for row in rows
            ]
            path.write_text(json.dumps(records, indent=1, default=str), encoding="utf-8")
    except OSError as error:
        raise SurveySpecError(f"{path}: cannot write the estimates ({error.strerror})") from None


def _table(estimates: SurveyResult | pa.Table | pd.DataFrame) -> pa.Table:
    if isinstance(estimates, SurveyResult):
        return estimates.table
    if isinstance(estimates, pa.Table):
        return estimates
    # A NaN as a missing value, as pandas' own to_parquet writes it.
    return pa.Table.from_pandas(estimates, preserve_index=False)


def _rows(
    estimates: SurveyResult | pa.Table | pd.DataFrame,
) -> tuple[list[str], Sequence[Mapping[str, object]]]:
    if isinstance(estimates, SurveyResult):
        return list(COLUMNS), estimates.rows
    table = _table(estimates)
    return table.column_names, table.to_pylist()


def _write_csv(names: list[str], rows: Sequence[Mapping[str, object]], path: Path) -> None:
    # A column of the estimates holds a few dozen distinct values over thousands of rows:
    # each is formatted (and looked at for formulas) once.
    cells: dict[tuple[type, object], str] = {}
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(names)
        for row in rows:
            line = []
            for name in names:
                value = row[name]
                key = (type(value), value)
                cell = cells.get(key)
                if cell is None:
                    cell = _cell(value)
                    cells[key] = cell
                line.append(cell)
            writer.writerow(line)


def _cell(value: object) -> str:
    """Return one CSV cell: a number formatted, text with a formula-like value marked as text
    (:func:`~lindung.text.neutralise`); a missing value is an empty cell."""
    if type(value) is float:
        # Most cells (estimates, SEs, bounds), each distinct: no abstract class looked up.
        return "" if math.isnan(value) else format(value, ".17g")
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, Integral):
        return str(int(value))
    if isinstance(value, Real):
        number = float(value)
        # A data cell, not a message: 17 significant digits, exponent and all.
        return "" if math.isnan(number) else format(number, ".17g")
    return str(neutralise(str(value)))
