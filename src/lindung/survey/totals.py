"""Rows to totals: the Ibis aggregations that reduce persons to weighted PSU totals per domain.

Every query here uses only operations that Ibis supports on both DuckDB and PySpark (group by,
sums, min/max, count, casts, cumulative window sums). The results are small (one row per PSU and
domain level) and go to NumPy for the variance algebra (:mod:`lindung.survey.variance`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

import ibis
import ibis.expr.types as ir
import numpy as np
import pandas as pd

from lindung.errors import SurveySpecError
from lindung.survey.variance import FloatArray, PsuDesign

__all__ = [
    "DesignIndex",
    "LevelTotals",
    "ScoreGroup",
    "cut_points",
    "design_index",
    "level_totals",
    "psu_totals",
    "with_psu_rows",
]

Columns = Callable[[ir.Table], dict[str, ir.NumericValue]]
"""Given the person table (with ``_level``), the per-person values whose weighted sums to take."""


@dataclass(frozen=True)
class ScoreGroup:
    """Score columns computed in one query; ``inputs`` narrows the rows first (None: all)."""

    build: Columns
    inputs: list[str] | None = None


@dataclass(frozen=True)
class DesignIndex:
    """The sample's PSUs in stratum order, and the design built on them."""

    design: PsuDesign
    keys: pd.DataFrame
    """``_stratum, _psu, _row``: where each PSU's totals go in a totals matrix."""

    @property
    def size(self) -> int:
        """Number of PSUs in the design."""
        return len(self.keys)


@dataclass(frozen=True)
class LevelTotals:
    """Weighted PSU totals of every score column for one domain level, over the full design."""

    level: str
    n_obs: int
    columns: list[str]
    psu_totals: FloatArray
    """PSUs x columns; rows of PSUs with no one in the level are zero."""

    def total(self, column: str) -> float:
        """Return the weighted total of a score column over the level."""
        return float(self.psu_totals[:, self.columns.index(column)].sum())


def design_index(
    persons: ir.Table,
    lonely_psu: Literal["adjust", "remove", "certainty", "fail"],
    *,
    strata_column: str = "strata",
    fpc_column: str = "fpc",
) -> DesignIndex:
    """Return the first-stage design of ``persons`` (columns ``_stratum, _psu, _fpc``).

    The fpc follows R's ``svydesign``: values <= 1 are sampling fractions, larger values are
    numbers of PSUs in the stratum's population.
    """
    psus = (
        persons.group_by(["_stratum", "_psu"])
        .aggregate(fpc_low=persons._fpc.min(), fpc_high=persons._fpc.max())
        .order_by(["_stratum", "_psu"])
        .execute()
    )
    stratum_codes, strata = pd.factorize(psus["_stratum"], sort=True)
    n = np.bincount(stratum_codes, minlength=len(strata)).astype(np.float64)
    population = _population(psus, stratum_codes, n, fpc_column)
    lonely = int((n == 1).sum())
    if lonely and lonely_psu == "fail":
        raise SurveySpecError(
            f"column {strata_column!r}: {lonely} strata have a single PSU and lonely_psu is "
            "'fail'; merge those strata or set design.lonely_psu to adjust, remove or certainty"
        )
    keys = psus[["_stratum", "_psu"]].copy()
    keys["_row"] = np.arange(len(keys), dtype=np.int64)
    design = PsuDesign(
        stratum=stratum_codes.astype(np.int64), population=population, lonely_psu=lonely_psu
    )
    return DesignIndex(design=design, keys=keys)


def _population(
    psus: pd.DataFrame, codes: np.ndarray, n: FloatArray, fpc_column: str
) -> FloatArray:
    if psus["fpc_low"].isna().all():
        return np.full(len(n), np.inf)
    low = np.full(len(n), np.inf)
    high = np.full(len(n), -np.inf)
    np.minimum.at(low, codes, psus["fpc_low"].to_numpy(dtype=np.float64))
    np.maximum.at(high, codes, psus["fpc_high"].to_numpy(dtype=np.float64))
    varying = int((low != high).sum())
    if varying:
        raise SurveySpecError(
            f"column {fpc_column!r}: the fpc must be the same within a stratum, but {varying} "
            "strata have several values; give each stratum one population count"
        )
    population = n / low if (low <= 1).all() else low
    short = int((population < n - 1e-9).sum())
    if short:
        raise SurveySpecError(
            f"column {fpc_column!r}: the fpc (PSUs in the population) is below the number of "
            f"sampled PSUs in {short} strata; give population PSU counts (or sampling fractions)"
        )
    return population


def with_psu_rows(table: ir.Table, index: DesignIndex) -> ir.Table:
    """Return ``table`` with ``_row``: its PSU's position in the design (and totals matrices)."""
    keys = ibis.memtable(index.keys)
    return table.join(keys, ["_stratum", "_psu"])


def psu_totals(
    rows: ir.Table, group: ScoreGroup, keys: Sequence[str] = ("_by", "_level", "_row")
) -> pd.DataFrame:
    """Return the weighted PSU totals of one group's score columns, in one query.

    ``rows`` has the ``keys`` (by default ``_by, _level`` and ``_row``, the PSU's position),
    ``_w`` (weight) and ``_n`` (persons the row stands for); rows whose ``_level`` is missing
    are left out. The result has one row per key with ``_n`` and ``sum(_w * value)`` for each
    column. A sorted group is best given narrow integer keys (``_part, _row``): the sort then
    carries only them.
    """
    table = rows.mutate(_level=rows._level.cast("string"))
    table = table.filter(table._level.notnull())
    source = table if group.inputs is None else table.select(*keys, "_w", "_n", *group.inputs)
    values = group.build(source)
    scored = source.select(*keys, "_w", "_n", **values)
    aggregated = scored.group_by(list(keys)).aggregate(
        _n=scored._n.sum(), **{name: (scored._w * scored[name]).sum() for name in values}
    )
    frame: pd.DataFrame = aggregated.to_pyarrow().to_pandas()
    return frame


def level_totals(parts: list[pd.DataFrame], index: DesignIndex) -> Iterator[LevelTotals]:
    """Yield, per domain level, the PSU totals of every score column of ``parts``.

    ``parts`` are results of :func:`psu_totals` for one breakdown (the first gives ``_n``).
    Each group of columns is its own query (scores that need a sort, such as the Gini's
    cumulative sums, go in narrow queries of their own so the sort carries few columns).
    """
    if not parts:
        return
    scores = [[c for c in part.columns if c not in _KEYS] for part in parts]
    names = [c for columns in scores for c in columns]
    offsets = np.cumsum([0, *(len(columns) for columns in scores)])
    levels = sorted(set(parts[0]["_level"]), key=_level_sort_key)
    for value in levels:
        dense = np.zeros((index.size, len(names)))
        n_obs = 0
        for number, part in enumerate(parts):
            chosen = part[part["_level"].to_numpy() == value]
            block = chosen[scores[number]].to_numpy(dtype=np.float64, na_value=0.0)
            dense[chosen["_row"].to_numpy(), offsets[number] : offsets[number + 1]] = block
            if number == 0:
                n_obs = int(chosen["_n"].sum())
        yield LevelTotals(level=str(value), n_obs=n_obs, columns=names, psu_totals=dense)


_KEYS = ("_by", "_level", "_row", "_n")


def _level_sort_key(value: object) -> tuple[int, float, str]:
    text = str(value)
    try:
        return (0, float(text), text)
    except ValueError:
        return (1, 0.0, text)


def cut_points(persons: ir.Table, column: str, shares: list[float]) -> list[float]:
    """Return weighted cut points: the smallest value whose weighted share at or below is >= q.

    Ties share one value, so the rule does not depend on row order (a relative 1e-12 slack
    absorbs rounding in the cumulative sums).
    """
    if not shares:
        return []
    by_value = persons.group_by(_v=persons[column]).aggregate(_wsum=persons._w.sum())
    cumulative = by_value.mutate(
        _cum=by_value._wsum.sum().over(ibis.cumulative_window(order_by=by_value._v)),
        _all=by_value._wsum.sum().over(ibis.window()),
    )
    found = cumulative.aggregate(
        **{
            f"c{i}": cumulative._v.min(
                where=cumulative._cum >= share * cumulative._all * (1 - 1e-12)
            )
            for i, share in enumerate(shares)
        }
    ).execute()
    return [float(found[f"c{i}"].iloc[0]) for i in range(len(shares))]
