"""The CSV file of ``lindung assess spi --csv``: spending and beneficiaries by program area, as
written by hand or saved by Excel in any locale.

Excel saves "CSV" with the computer's list separator: in Indonesia (and much of the world)
columns are separated by ``;`` and decimals written with ``,``. The separator and decimal mark
are told from the header by the submission check's reader (``lindung.ingest.dialect``), so
that both read a file the same way; a number that reader cannot tell (``1.500`` in a
decimal-comma file: thousands or decimals?) is refused rather than guessed.
"""

from __future__ import annotations

import math
from pathlib import Path

import pandas as pd

from lindung.errors import AssessmentError, UsageError
from lindung.ingest.dialect import Dialect, csv_dialect
from lindung.text import in_number

TEXT_COLUMNS = ("ref_area", "program", "sex", "poverty")
NUMBER_COLUMNS = (
    "time_period",
    "expenditure",
    "beneficiaries",
    "intended_beneficiaries",
    "gdp_per_capita",
)
REQUIRED = ("ref_area", "program", *NUMBER_COLUMNS)
KEY = ("ref_area", "time_period", "program", "sex", "poverty")
SEPARATORS = {",": "commas", ";": "semicolons", "\t": "tabs"}


def read_spi_csv(path: Path) -> pd.DataFrame:
    """Return SPI inputs from a CSV file (columns listed in docs/methodology/spi.md), its
    separator and decimal mark detected; raise AssessmentError naming the row and column of
    the first cell that is not what its column needs."""
    if not path.is_file():
        raise UsageError(f"--csv {path}: not a regular file; give a CSV file")
    dialect = csv_dialect(path, (*TEXT_COLUMNS, *NUMBER_COLUMNS))
    try:
        frame = pd.read_csv(
            path, sep=dialect.delimiter, dtype=str, keep_default_na=False, encoding="utf-8-sig"
        )
    except (OSError, ValueError) as error:
        raise AssessmentError(f"cannot read {path}: {error}") from None
    frame.columns = [str(name).strip() for name in frame.columns]
    missing = [name for name in REQUIRED if name not in frame.columns]
    if missing:
        raise AssessmentError(
            f"{path}: missing {in_number(len(missing), 'column')} {', '.join(missing)} "
            "(columns read with "
            f"{SEPARATORS[dialect.delimiter]} between them); see docs/methodology/spi.md"
        )
    for column in NUMBER_COLUMNS:
        frame[column] = _numbers(path, frame[column], column, dialect)
    frame["time_period"] = frame["time_period"].astype(int)
    for column in TEXT_COLUMNS:
        if column not in frame:
            frame[column] = "_T"
        frame[column] = frame[column].str.strip().replace("", "_T")
    twice = frame.index[frame.duplicated(subset=list(KEY))]
    if len(twice):
        row = frame.loc[twice[0], list(KEY)].tolist()
        raise AssessmentError(
            f"{path}: row {int(twice[0]) + 2} repeats {', '.join(map(str, row))} "
            f"({', '.join(KEY)}); keep one row per program area and part"
        )
    return frame


def _numbers(path: Path, cells: pd.Series, column: str, dialect: Dialect) -> pd.Series:
    """The column's cells as finite numbers; the first that is not one (a year in
    ``time_period``) raises AssessmentError with its row as a spreadsheet shows it (the header
    is row 1)."""
    values = []
    for index, text in enumerate(cells):
        value = dialect.number(str(text).strip())
        if (
            value is None
            or not math.isfinite(value)
            or (column == "time_period" and value % 1 != 0)
        ):
            shown = f"'{text}'" if str(text).strip() else "empty"
            kind = "a year" if column == "time_period" else "a number"
            comma = dialect.decimal == ","
            how = (
                f"write a plain number in every row, e.g. 2019 or {'1234,5' if comma else '1234.5'}"
            )
            if comma:
                how += (
                    f" (this file has {SEPARATORS[dialect.delimiter]} between columns, so "
                    "decimals take a comma and numbers no thousands separator)"
                )
            raise AssessmentError(
                f"{path}: row {index + 2}, column {column}: {shown} is not {kind}; {how}"
            )
        values.append(value)
    return pd.Series(values, index=cells.index, dtype=float)
