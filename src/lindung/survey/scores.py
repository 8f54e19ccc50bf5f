"""Household score columns, written once and evaluated by Ibis (any backend) or by NumPy.

An indicator's totals are weighted sums of per-household scores: a column of the household
table, a product of two, whether a welfare value lies below a poverty line, the relative gap
to the line. The scores are described here as data, so that the queries that Spark runs
(:func:`to_ibis`) and the in-process totals that the DuckDB backend computes from the household
columns in NumPy (:func:`to_numpy`) follow one definition.

Missing values read as SQL reads them: a missing input makes the score missing, and a missing
score adds nothing to a sum (NumPy: NaN, summed as 0); a comparison with a missing value is
missing, and the greatest and least of values leave missing ones out (as DuckDB and Spark do).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import numpy as np

from lindung.survey.variance import FloatArray

__all__ = [
    "Below",
    "BelowAny",
    "Column",
    "Gap",
    "One",
    "Product",
    "Score",
    "inputs",
    "kept",
    "kept_rows",
    "to_ibis",
    "to_numpy",
]


@dataclass(frozen=True)
class One:
    """1 for every row (the population count)."""


@dataclass(frozen=True)
class Column:
    """A household column as it is."""

    name: str


@dataclass(frozen=True)
class Product:
    """The product of two household columns."""

    left: str
    right: str


@dataclass(frozen=True)
class Below:
    """1 where the column lies below the line, else 0 (the poverty headcount's score)."""

    name: str
    line: float


@dataclass(frozen=True)
class Gap:
    """max(0, (line - column) / line): the relative poverty gap; 0 for everyone at a line of 0
    (the absolute gap is 0 there; the relative gap's estimates are undefined, and no score
    divides by zero)."""

    name: str
    line: float


Score = One | Column | Product | Below | Gap


@dataclass(frozen=True)
class BelowAny:
    """The rows where the least of ``names`` lies below ``line`` (rows whose scores may be
    non-zero)."""

    names: tuple[str, ...]
    line: float


def inputs(score: Score) -> list[str]:
    """Return the household columns a score reads."""
    if isinstance(score, One):
        return []
    if isinstance(score, Product):
        return [score.left, score.right]
    return [score.name]


def to_ibis(score: Score, table: ir.Table) -> ir.NumericValue:
    """Return a score as an Ibis expression over ``table``."""
    if isinstance(score, One):
        return ibis.literal(1.0)
    if isinstance(score, Column):
        return table[score.name]
    if isinstance(score, Product):
        return table[score.left] * table[score.right]
    value = table[score.name]
    if isinstance(score, Below):
        return (value < score.line).cast("float64")
    if score.line <= 0:
        return ibis.literal(0.0)
    return ibis.greatest(ibis.literal(0.0), (score.line - value) / score.line)


def kept(where: BelowAny, table: ir.Table) -> ir.BooleanValue:
    """Return ``where`` as an Ibis condition over ``table``."""
    values = [table[name] for name in where.names]
    lowest = values[0] if len(values) == 1 else ibis.least(*values)
    return lowest < where.line


def to_numpy(score: Score, columns: Mapping[str, FloatArray], size: int) -> FloatArray:
    """Return a score for each of ``size`` rows from ``columns`` (NaN where an input is missing)."""
    if isinstance(score, One):
        return np.ones(size)
    if isinstance(score, Column):
        return columns[score.name]
    if isinstance(score, Product):
        product: FloatArray = columns[score.left] * columns[score.right]
        return product
    value = columns[score.name]
    if isinstance(score, Below):
        # A missing value is not below the line: 0, as SQL's missing comparison adds nothing.
        below: FloatArray = (value < score.line).astype(np.float64)
        return below
    if score.line <= 0:
        return np.zeros(size)
    # fmax leaves a NaN out, as SQL's greatest does a NULL.
    gap: FloatArray = np.fmax(0.0, (score.line - value) / score.line)
    return gap


def kept_rows(where: BelowAny, columns: Mapping[str, FloatArray]) -> np.ndarray:
    """Return ``where`` as a boolean mask over the rows of ``columns``."""
    lowest = columns[where.names[0]]
    for name in where.names[1:]:
        lowest = np.fmin(lowest, columns[name])
    mask: np.ndarray = lowest < where.line
    return mask
