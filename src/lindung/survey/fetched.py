"""The household table in this process (DuckDB): fetched whole as float columns, or a block
of strata at a time.

A household table of many PSUs need not be held whole: stored in PSU order, it comes back a
block of whole strata at a time (:func:`psu_blocks`), each block's columns contiguous, derived
and cut into quintiles as they come, for the block's PSU totals
(:mod:`lindung.survey.blocked`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa

from lindung.survey.arrays import float_values, int_values
from lindung.survey.backend import Backend, count
from lindung.survey.totals import DeclaredScores, PartTotals, RowSet, array_totals
from lindung.survey.variance import FloatArray, IntArray

__all__ = ["FETCH_BATCH", "Block", "BlockRows", "HouseholdColumns", "batch_columns", "psu_blocks"]

FETCH_BATCH = 1 << 17
"""Household rows fetched to this process at a time."""

Derive = Callable[[dict[str, FloatArray]], None]
"""What a batch's columns become (a dict changed in place: columns added, replaced, dropped)."""


def batch_columns(
    batch: pa.RecordBatch, derive: Derive | None = None
) -> tuple[dict[str, FloatArray], IntArray]:
    """Return a fetched batch of households as float columns (NaN where missing; ``derive``
    applied) and each household's PSU row (column ``_row``)."""
    found: dict[str, FloatArray] = {}
    psu_row: IntArray = np.zeros(batch.num_rows, dtype=np.int64)
    for i, column in enumerate(batch.schema.names):
        values = batch.column(i)
        if column == "_row":
            psu_row = int_values(values)
        else:
            found[column] = float_values(values)
    if derive is not None:
        derive(found)
    return found, psu_row


Block = tuple[int, int]
"""A block of whole strata: its first PSU row and the end of its range."""

BlockRows = Iterator[tuple[Block, dict[str, FloatArray], IntArray]]
"""Blocks of strata, each with its households' columns and PSU rows (:func:`psu_blocks`)."""


def psu_blocks(
    batches: Iterator[pa.RecordBatch], blocks: list[Block], derive: Derive | None = None
) -> BlockRows:
    """Yield each block of ``blocks`` (in order) with its households' columns and PSU rows,
    from ``batches`` of households in PSU order (a block with no household is left out): a
    batch is cut where a block ends, and a block's pieces are joined into one array per
    column."""
    held: list[tuple[dict[str, FloatArray], IntArray]] = []
    number = 0

    def joined() -> tuple[Block, dict[str, FloatArray], IntArray]:
        if len(held) == 1:
            ((columns, rows),) = held
        else:
            columns = {name: np.concatenate([c[name] for c, _ in held]) for name in held[0][0]}
            rows = np.concatenate([r for _, r in held])
        held.clear()
        return blocks[number], columns, rows

    for batch in batches:
        found, rows = batch_columns(batch, derive)
        start = 0
        while start < len(rows):
            while blocks[number][1] <= rows[start]:
                # The block is done: the next rows' PSUs lie past it.
                if held:
                    yield joined()
                number += 1
            end = int(np.searchsorted(rows, blocks[number][1]))
            held.append(({name: v[start:end] for name, v in found.items()}, rows[start:end]))
            start = end
    if held:
        yield joined()


@dataclass(frozen=True)
class HouseholdColumns:
    """The household table fetched to this process as float columns (NaN where missing; the
    quintiles as numbers) for :func:`~lindung.survey.totals.array_totals` and the Gini's sorted
    sums, and each household's PSU row."""

    columns: dict[str, FloatArray]
    psu_row: IntArray

    @staticmethod
    def fetch(
        con: Backend,
        homes: ir.Table,
        name: str,
        *,
        order_by: str,
        workers: int = 1,
        derive: Callable[[dict[str, FloatArray]], None] | None = None,
        keep: set[str] | None = None,
        drop: bool = True,
    ) -> HouseholdColumns:
        """Fetch ``homes`` (a query of the stored table ``name``) in ``order_by`` order, then
        drop the stored table (unless not ``drop``): from here on nothing reads it, and the
        two copies need not be held at once. ``workers`` threads put the columns in order.
        ``derive`` replaces a batch's columns (a dict it changes in place) by those kept, row
        by row; of those, only ``keep`` are kept (default: all)."""
        size = count(homes)
        names = homes.columns
        psu_row = np.empty(size, dtype=np.int64)
        columns: dict[str, FloatArray] = {}
        # In batches, each converted (and derived) as it comes: the whole table as Arrow (and
        # DuckDB's result buffer for it) would be held beside the NumPy columns, and columns
        # derived from whole ones would be new arrays beside them (the units' from the
        # programs' raised the peak at 5 million persons by 0.24 GB).
        done = 0
        for batch in con.batches(homes, FETCH_BATCH):
            end = done + batch.num_rows
            found, psu_row[done:end] = batch_columns(batch, derive)
            for column, values in found.items():
                if keep is not None and column not in keep:
                    continue
                if column in columns:
                    columns[column][done:end] = values
                elif end - done == size and values.flags.owndata and values.flags.writeable:
                    # The whole table in one batch: an array made for it (derived) is kept.
                    columns[column] = values
                else:
                    columns[column] = np.empty(size)
                    columns[column][done:end] = values
            done = end
        if not columns:
            # No rows: the kept columns, empty.
            columns = {c: np.empty(0) for c in names if c != "_row"}
            if derive is not None:
                derive(columns)
            if keep is not None:
                columns = {c: v for c, v in columns.items() if c in keep}
        if drop:
            con.drop(name)
        # Arrow's allocator keeps what was freed for reuse: handed back, it does not stay in
        # the process beside the NumPy columns.
        pa.default_memory_pool().release_unused()
        # Put in order here, not by the query: DuckDB's sort carries all of the some fifty
        # columns through it, and holds its buffers beside the columns. One sort of the key
        # and a gather of each column, on the cores at once, take about as long, and the 1.2
        # million persons' peak is some 70 MB lower.
        # Each column is gathered into a work array of its thread, which takes its place, and
        # its own array is the work array of the thread's next column: no array is allocated
        # per column (new arrays, and the freed ones the allocator keeps, raised the peak at
        # 5 million persons by 0.3 GB), and none is copied back.
        order = np.argsort(columns[order_by], kind="stable")
        scratch = threading.local()

        def reorder(column: str) -> None:
            spare = getattr(scratch, "values", None)
            values = columns[column]
            if spare is None:
                spare = np.empty(size)
            np.take(values, order, out=spare)
            columns[column] = spare
            scratch.values = values

        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            list(pool.map(reorder, list(columns)))
        return HouseholdColumns(columns, psu_row.take(order))

    def totals(self, rows: RowSet, group: DeclaredScores) -> PartTotals:
        """Return one group's totals over ``rows``."""
        return array_totals(rows, group, self.columns, self.psu_row)
