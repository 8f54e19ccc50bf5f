"""Arrow columns to NumPy arrays and back, without pyarrow's pandas bridge.

pyarrow's own conversions (``Array.to_numpy``, ``pa.array`` of a NumPy array or a list, a
Python number as a scalar) look for pandas first, and so import it where it is installed:
about a quarter of a second, a good part of a small survey's whole run, for a library the
survey path does not use. The engine's columns are plain numbers, so their buffers are read
(and written) directly here; everything else goes through Arrow's compute functions.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from lindung.survey.variance import FloatArray, IntArray

__all__ = ["float_values", "int_array", "int_values"]


def float_values(values: pa.Array | pa.ChunkedArray) -> FloatArray:
    """Return a numeric (or boolean) column as float64, a missing value as NaN (read-only
    where nothing is missing: a view of Arrow's buffer)."""
    floats = _whole(values).cast(pa.float64())
    found = _buffer(floats, np.dtype(np.float64))
    if floats.null_count:
        missing = _buffer(pc.is_null(floats).cast(pa.uint8()), np.dtype(np.uint8))
        found = np.where(missing.astype(bool), np.nan, found)
    return found


def int_values(values: pa.Array | pa.ChunkedArray) -> IntArray:
    """Return a column of whole numbers (or booleans) that has no missing value as int64
    (read-only: a view of Arrow's buffer)."""
    found: IntArray = _buffer(_whole(values).cast(pa.int64()), np.dtype(np.int64))
    return found


def int_array(values: IntArray) -> pa.Array:
    """Return a NumPy int64 array as an Arrow array (sharing its memory)."""
    held = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(held), [None, pa.py_buffer(held)])


def _whole(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    if isinstance(values, pa.ChunkedArray):
        return values.combine_chunks()
    return values


def _buffer(values: pa.Array, dtype: np.dtype[Any]) -> NDArray[Any]:
    """Return the values of a fixed-width array as a read-only view of its buffer (whatever
    lies in the slots of missing values)."""
    if len(values) == 0:
        return np.zeros(0, dtype=dtype)
    offset = values.offset * dtype.itemsize
    return np.frombuffer(values.buffers()[1], dtype=dtype, count=len(values), offset=offset)
