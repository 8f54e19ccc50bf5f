"""Rows to totals: the Ibis aggregations that reduce persons to weighted PSU totals per domain.

Every query here uses only operations that Ibis supports on both DuckDB and PySpark (group by,
sums, min/max, count, casts; running sums through
:func:`~lindung.survey.backend.running_sums`). The results are small (one row per PSU and
domain level) and go to NumPy for the variance algebra (:mod:`lindung.survey.variance`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property, partial
from typing import Literal, Protocol

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from lindung.errors import SurveySpecError
from lindung.survey.arrays import float_values, int_array, int_values
from lindung.survey.backend import arrow_table, one_row, running_sums, to_arrow
from lindung.survey.scores import BelowAny, Score, kept, kept_rows, to_ibis, to_numpy
from lindung.survey.scores import inputs as score_inputs
from lindung.survey.variance import FloatArray, IntArray, PsuDesign, scratch
from lindung.text import counted

__all__ = [
    "DeclaredScores",
    "DesignIndex",
    "LevelSums",
    "LevelTotals",
    "PartTotals",
    "RowSet",
    "ScoreGroup",
    "Summed",
    "array_cut_points",
    "array_totals",
    "cut_points",
    "design_index",
    "level_sort_key",
    "level_totals",
    "part_totals",
    "psu_totals",
    "totals_query",
    "with_psu_rows",
]

Columns = Callable[[ir.Table], dict[str, ir.NumericValue]]
"""Given the rows to sum (household rows with ``_part``, ``_row``, ``_w``), the values whose
weighted sums to take."""


@dataclass(frozen=True)
class ScoreGroup:
    """Score columns computed in one query; ``inputs`` narrows the rows first (None: all)."""

    build: Columns
    inputs: list[str] | None = None
    counted: bool = True
    """Whether the query also sums ``_n`` (a sorted group leaves it out of its sort)."""
    where: Callable[[ir.Table], ir.BooleanValue] | None = None
    """Keep only the rows where this holds (rows where every score is zero may be left out)."""


@dataclass(frozen=True)
class DeclaredScores:
    """Score columns as data (:mod:`lindung.survey.scores`), read from ``inputs`` and kept to
    the rows of ``keep``: summed by a query (:attr:`group`) or in NumPy
    (:func:`array_totals`), to the same totals."""

    scores: Mapping[str, Score]
    inputs: list[str]
    keep: BelowAny | None = None

    @property
    def group(self) -> ScoreGroup:
        """The same scores as Ibis expressions, for :func:`psu_totals`."""
        scores = self.scores

        def build(table: ir.Table) -> dict[str, ir.NumericValue]:
            return {name: to_ibis(score, table) for name, score in scores.items()}

        where = None if self.keep is None else partial(kept, self.keep)
        return ScoreGroup(build, self.inputs, where=where)


@dataclass(frozen=True)
class DesignIndex:
    """The sample's PSUs in stratum order, and the design built on them."""

    design: PsuDesign
    keys: pa.Table
    """``_stratum, _psu, _row``: where each PSU's totals go in a totals matrix."""

    @property
    def size(self) -> int:
        """Number of PSUs in the design."""
        return int(self.keys.num_rows)


class Summed(Protocol):
    """A domain level's weighted totals of its score columns: what an estimate's value and
    gradient are computed from (:class:`LevelTotals`, or :class:`LevelSums` when its PSU totals
    came a block of strata at a time)."""

    @property
    def level(self) -> str: ...

    @property
    def n_obs(self) -> int: ...

    @property
    def columns(self) -> list[str]: ...

    def total(self, column: str) -> float: ...


@dataclass(frozen=True)
class LevelSums:
    """A domain level's column totals without its PSU totals (added up block by block)."""

    level: str
    n_obs: int
    columns: list[str]
    sums: FloatArray

    @cached_property
    def position(self) -> dict[str, int]:
        """Each score column's position in :attr:`columns`."""
        return {name: i for i, name in enumerate(self.columns)}

    def total(self, column: str) -> float:
        """Return the weighted total of a score column over the level."""
        return float(self.sums[self.position[column]])


@dataclass(frozen=True)
class LevelTotals:
    """Weighted PSU totals of every score column for one domain level, over the full design."""

    level: str
    n_obs: int
    columns: list[str]
    psu_totals: FloatArray
    """PSUs x columns; rows of PSUs with no one in the level are zero."""

    @cached_property
    def sums(self) -> FloatArray:
        """Weighted total of each score column over the level."""
        found: FloatArray = self.psu_totals.sum(axis=0)
        return found

    @cached_property
    def position(self) -> dict[str, int]:
        """Each score column's position in :attr:`columns`."""
        return {name: i for i, name in enumerate(self.columns)}

    def total(self, column: str) -> float:
        """Return the weighted total of a score column over the level."""
        return float(self.sums[self.position[column]])

    def narrowed(self, columns: list[str]) -> LevelTotals:
        """Return the level with only ``columns`` (a copy: the full matrix can be freed)."""
        positions = [self.position[c] for c in columns]
        return LevelTotals(self.level, self.n_obs, columns, self.psu_totals[:, positions])


@dataclass(frozen=True)
class PartTotals:
    """One query's weighted PSU totals: a row per (part, PSU) with anyone in it.

    ``part`` is an integer per domain level (see :func:`lindung.survey.welfare.breakdown_rows`),
    ``row`` the PSU's position in the design, ``n`` the persons each row stands for and
    ``values`` the totals of ``columns`` (rows x columns).
    """

    columns: list[str]
    part: IntArray
    row: IntArray
    n: IntArray
    values: FloatArray
    repeats: bool = False
    """Whether several rows may hold one part and PSU (:meth:`relabelled`)."""

    def subset(self, columns: list[str]) -> PartTotals:
        """Return the same rows with only ``columns``."""
        positions = [self.columns.index(c) for c in columns]
        return PartTotals(
            columns, self.part, self.row, self.n, self.values[:, positions], self.repeats
        )

    def within(self, low: int, high: int) -> PartTotals:
        """Return the rows whose part code lies in [low, high) (one breakdown's levels)."""
        chosen = (self.part >= low) & (self.part < high)
        return PartTotals(
            self.columns,
            self.part[chosen],
            self.row[chosen],
            self.n[chosen],
            self.values[chosen],
            self.repeats,
        )

    @staticmethod
    def concat(parts: list[PartTotals]) -> PartTotals:
        """Return the rows of several results with the same columns, one under another."""
        return PartTotals(
            columns=parts[0].columns,
            part=np.concatenate([p.part for p in parts]),
            row=np.concatenate([p.row for p in parts]),
            n=np.concatenate([p.n for p in parts]),
            values=np.concatenate([p.values for p in parts]),
            repeats=any(p.repeats for p in parts),
        )

    def relabelled(self, part: IntArray) -> PartTotals:
        """Return the same rows under new ``part`` codes (sharing the totals, not copied):
        several rows may then hold the same part and PSU, and :func:`level_totals` sums them.

        Totals are additive, so coarser levels (the whole population, one quintile) come
        from finer ones (a quintile pair) without another pass over the data, and without a
        regrouped copy of the totals for every level at once (:meth:`regrouped`).
        """
        return PartTotals(self.columns, part, self.row, self.n, self.values, repeats=True)

    def regrouped(self, part: IntArray) -> PartTotals:
        """Return the totals summed over the rows that share a new ``part`` code and a PSU.

        Totals are additive, so coarser levels (the whole population, one quintile) come
        from finer ones (a quintile pair) without another pass over the data.
        """
        codes, which = np.unique(part, return_inverse=True)
        span = int(self.row.max(initial=0)) + 1
        keys, position = np.unique(which.ravel() * span + self.row, return_inverse=True)
        position = position.ravel()
        size = len(keys)
        values = np.empty((size, len(self.columns)), order="F")
        for i in range(len(self.columns)):
            values[:, i] = np.bincount(position, weights=self.values[:, i], minlength=size)
        return PartTotals(
            columns=self.columns,
            part=codes[keys // span],
            row=keys % span,
            n=np.bincount(position, weights=self.n, minlength=size).astype(np.int64),
            values=values,
        )

    @property
    def parts(self) -> list[int]:
        """The part codes present, in increasing order.

        The rows come in runs of one part (a level's PSUs together), so the first code of
        each run is enough: one comparison per row instead of a sort of every row (NumPy's
        ``unique`` sorts, and its first use imports ``numpy.ma``).
        """
        return [int(c) for c in _distinct(_distinct(self.part), ordered=True)]

    def chosen(self, part: int) -> IntArray:
        """Return the positions of the rows of one part."""
        found: IntArray = np.flatnonzero(self.part == part)
        return found


def _distinct(values: IntArray, *, ordered: bool = False) -> IntArray:
    """Return ``values`` without the repeats of a value next to itself; ``ordered``: sorted
    first, so that each value is kept once."""
    if ordered:
        values = np.sort(values)
    starts = np.ones(len(values), dtype=bool)
    np.not_equal(values[1:], values[:-1], out=starts[1:])
    kept: IntArray = values[starts]
    return kept


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
    psus = to_arrow(
        persons.group_by(["_stratum", "_psu"])
        .aggregate(fpc_low=persons._fpc.min(), fpc_high=persons._fpc.max())
        .order_by(["_stratum", "_psu"])
    )
    stratum_codes = _run_codes(psus["_stratum"])
    strata = int(stratum_codes[-1]) + 1 if len(stratum_codes) else 0
    n = np.bincount(stratum_codes, minlength=strata).astype(np.float64)
    population = _population(psus, stratum_codes, n, fpc_column)
    lonely = int((n == 1).sum())
    if lonely and lonely_psu == "fail":
        raise SurveySpecError(
            f"column {strata_column!r}: a single PSU in {counted(lonely, 'stratum', 'strata')} "
            "and lonely_psu is 'fail'; merge those strata or set design.lonely_psu to adjust, "
            "remove or certainty"
        )
    keys = psus.select(["_stratum", "_psu"]).append_column(
        "_row", int_array(np.arange(psus.num_rows, dtype=np.int64))
    )
    design = PsuDesign(stratum=stratum_codes, population=population, lonely_psu=lonely_psu)
    return DesignIndex(design=design, keys=keys)


def _run_codes(values: pa.ChunkedArray) -> IntArray:
    """Number the runs of equal values of a sorted column 0, 1, ...: the strata in the order
    the query sorted them."""
    if len(values) == 0:
        return np.zeros(0, dtype=np.int64)
    starts = int_values(pc.not_equal(values[1:], values[:-1]))
    codes: IntArray = np.concatenate([[0], np.cumsum(starts, dtype=np.int64)])
    return codes


def _population(psus: pa.Table, codes: IntArray, n: FloatArray, fpc_column: str) -> FloatArray:
    if psus["fpc_low"].null_count == psus.num_rows:
        return np.full(len(n), np.inf)
    low = np.full(len(n), np.inf)
    high = np.full(len(n), -np.inf)
    np.minimum.at(low, codes, float_values(psus["fpc_low"]))
    np.maximum.at(high, codes, float_values(psus["fpc_high"]))
    varying = int((low != high).sum())
    if varying:
        raise SurveySpecError(
            f"column {fpc_column!r}: the fpc must be the same within a stratum, but it varies "
            f"within {counted(varying, 'stratum', 'strata')}; give each stratum one population "
            "count"
        )
    population = n / low if (low <= 1).all() else low
    short = int((population < n - 1e-9).sum())
    if short:
        raise SurveySpecError(
            f"column {fpc_column!r}: the fpc (PSUs in the population) is below the number of "
            f"sampled PSUs in {counted(short, 'stratum', 'strata')}; give population PSU counts "
            "(or sampling fractions)"
        )
    return population


def with_psu_rows(table: ir.Table, index: DesignIndex) -> ir.Table:
    """Return ``table`` with ``_row``: its PSU's position in the design (and totals matrices)."""
    return table.join(arrow_table(table, index.keys), ["_stratum", "_psu"])


def psu_totals(rows: ir.Table, group: ScoreGroup) -> PartTotals:
    """Return the weighted PSU totals of one group's score columns, in one query.

    ``rows`` has ``_part`` (an integer per domain level; rows where it is missing are left
    out), ``_row`` (the PSU's position), ``_w`` (weight) and ``_n`` (persons the row stands
    for). A sorted group carries only these and its ``inputs`` through the sort.
    """
    query = totals_query(rows, group)
    return part_totals(to_arrow(query), group)


def totals_query(rows: ir.Table, group: ScoreGroup) -> ir.Table:
    """Return the query of :func:`psu_totals` (one row per part and PSU), not yet run."""
    keys = ["_part", "_row"]
    carried = [*keys, "_w", "_n"] if group.counted else [*keys, "_w"]
    table = rows.filter(rows._part.notnull())
    if group.where is not None:
        table = table.filter(group.where(table))
    source = table if group.inputs is None else table.select(*carried, *group.inputs)
    values = group.build(source)
    scored = source.select(*carried, **values)
    counts = {"_n": scored._n.sum()} if group.counted else {}
    return scored.group_by(keys).aggregate(
        **counts, **{name: (scored._w * scored[name]).sum() for name in values}
    )


ARRAY_BLOCK = 1 << 18
"""Rows summed at a time by :func:`array_totals`."""


@dataclass(frozen=True)
class RowSet:
    """Rows to sum in process: which household each is, its part code, weight and count.

    The in-process twin of the rows that :func:`psu_totals` aggregates (``_part``, ``_w``,
    ``_n``; ``_row`` and the score inputs are the household's own).
    """

    household: IntArray | None
    """Positions in the household columns (None: every household, in order)."""
    part: IntArray
    w: FloatArray
    n: IntArray

    @staticmethod
    def concat(sets: list[RowSet], households: int) -> RowSet:
        """Return the rows of several sets, one under another."""
        if not sets:
            empty = np.zeros(0, dtype=np.int64)
            return RowSet(empty, empty, np.zeros(0), empty)
        every = np.arange(households, dtype=np.int64)
        return RowSet(
            household=np.concatenate([every if s.household is None else s.household for s in sets]),
            part=np.concatenate([s.part for s in sets]),
            w=np.concatenate([s.w for s in sets]),
            n=np.concatenate([s.n for s in sets]),
        )


def array_totals(
    rows: RowSet, group: DeclaredScores, columns: Mapping[str, FloatArray], psu_row: IntArray
) -> PartTotals:
    """Return what :func:`psu_totals` returns for the same rows, summed in NumPy from the
    household ``columns`` (float, NaN where missing) and each household's PSU row.

    Used where the household table is in this process already (DuckDB): building and compiling
    the query of some fifty sums costs Ibis more than NumPy takes to sum them.
    """
    household, part, w, n = rows.household, rows.part, rows.w, rows.n
    if group.keep is not None:
        chosen = kept_rows(group.keep, columns)
        chosen = chosen if household is None else chosen[household]
        household = np.flatnonzero(chosen) if household is None else household[chosen]
        part, w, n = part[chosen], w[chosen], n[chosen]
    names = sorted({name for score in group.scores.values() for name in score_inputs(score)})
    rows_psu = psu_row if household is None else psu_row[household]
    codes, which = np.unique(part, return_inverse=True)
    span = int(psu_row.max(initial=0)) + 1
    keys, position = np.unique(which.ravel() * span + rows_psu, return_inverse=True)
    position = position.ravel()
    found = len(keys)
    values = np.zeros((found, len(group.scores)), order="F")
    # Gathered rows a block at a time: the inputs gathered for every row at once would be as
    # large as the household table again (twice, for a person-level domain's stacked levels).
    # Every household in order needs no gathering (its columns' slices are views): one block.
    # Each block's sums go to the range of totals rows it touches, not to all of them: over
    # all rows, that would be blocks x rows of totals, growing as the square of the survey.
    step = max(len(part), 1) if household is None else ARRAY_BLOCK
    for start in range(0, len(part), step):
        block = slice(start, start + step)
        taken = None if household is None else household[block]
        gathered = {
            name: columns[name][block] if taken is None else columns[name][taken] for name in names
        }
        where, weight = position[block], w[block]
        low, high = int(where.min()), int(where.max()) + 1
        local = where - low if low else where
        for i, score in enumerate(group.scores.values()):
            weighted = weight * to_numpy(score, gathered, len(where))
            # A missing score adds nothing, as SQL's sum leaves a NULL out.
            weighted[np.isnan(weighted)] = 0.0
            values[low:high, i] += np.bincount(local, weights=weighted, minlength=high - low)
    counts = np.bincount(position, weights=n, minlength=found).astype(np.int64)
    return PartTotals(
        columns=list(group.scores),
        part=codes[keys // span],
        row=keys % span,
        n=counts,
        values=values,
    )


def part_totals(result: pa.Table, group: ScoreGroup) -> PartTotals:
    """Return a :func:`totals_query` result as arrays (missing sums read as 0)."""
    names = [c for c in result.column_names if c not in ("_part", "_row", "_n")]
    block = np.empty((result.num_rows, len(names)), order="F")
    for i, name in enumerate(names):
        block[:, i] = result[name].fill_null(0.0).to_numpy()
    counted = group.counted and "_n" in result.column_names
    return PartTotals(
        columns=names,
        part=result["_part"].to_numpy().astype(np.int64),
        row=result["_row"].to_numpy().astype(np.int64),
        n=(
            result["_n"].to_numpy().astype(np.int64)
            if counted
            else np.zeros(result.num_rows, dtype=np.int64)
        ),
        values=block,
    )


def level_totals(
    parts: list[PartTotals],
    psus: int | tuple[int, int],
    labels: Mapping[int, str],
    *,
    reuse: bool = False,
) -> Iterator[LevelTotals]:
    """Yield, per domain level of the first of ``parts``, the PSU totals of every score column.

    Each of ``parts`` is one query's result (scores that need a sort, such as the Gini's
    cumulative sums, come from narrow queries of their own); ``labels`` names each part code.
    A part may hold several rows of one level and PSU (:meth:`PartTotals.relabelled`): they
    are summed. Levels come in natural order of their labels (numbers by value). ``psus`` is
    the design's number of PSUs, or the range (first, end) of PSU rows that ``parts`` hold
    (a block of strata: the totals' rows are then those PSUs'). With ``reuse``, every level's
    totals are in this thread's one :func:`scratch` array: each is valid until the next level
    comes.
    """
    if not parts:
        return
    names = [c for part in parts for c in part.columns]
    offsets = np.cumsum([0, *(len(part.columns) for part in parts)])
    first_psu, end_psu = (0, psus) if isinstance(psus, int) else psus
    size = end_psu - first_psu
    finders = [_rows_of(part) for part in parts]
    for code in sorted(parts[0].parts, key=lambda c: level_sort_key(labels[c])):
        # Column-major: the variances read a column at a time.
        dense = (
            scratch("level", size, len(names)) if reuse else np.empty((size, len(names)), order="F")
        )
        n_obs = 0
        for number, part in enumerate(parts):
            chosen = finders[number](code)
            rows = part.row[chosen] - first_psu if first_psu else part.row[chosen]
            first, last = int(offsets[number]), int(offsets[number + 1])
            if not part.repeats:
                # PSUs with no one in the level are zero; the others are written.
                if len(rows) < size:
                    dense[:, first:last] = 0.0
                dense[rows, first:last] = part.values[chosen]
            else:
                # Relabelled rows (several per PSU): summed, a column at a time.
                for i in range(len(part.columns)):
                    dense[:, first + i] = np.bincount(
                        rows, weights=part.values[chosen, i], minlength=size
                    )
            if number == 0:
                n_obs = int(part.n[chosen].sum())
        yield LevelTotals(level=labels[code], n_obs=n_obs, columns=names, psu_totals=dense)


def _rows_of(part: PartTotals) -> Callable[[int], slice | IntArray]:
    """Return how to find one part code's rows: where the codes are sorted (a query's or an
    in-process sum's rows, the quintiles from the cells), a slice, so that its totals are read
    where they lie, not copied; else their positions."""
    codes = part.part
    if (codes[1:] >= codes[:-1]).all():

        def found(code: int) -> slice:
            low, high = np.searchsorted(codes, [code, code + 1])
            return slice(int(low), int(high))

        return found
    return part.chosen


def level_sort_key(value: object) -> tuple[int, float, str]:
    """The order of domain levels: numbers by value, then other labels as text."""
    text = str(value)
    try:
        return (0, float(text), text)
    except ValueError:
        return (1, 0.0, text)


CUT_SLACK = 1e-12
"""The relative slack of the cut points' rule, which absorbs rounding in cumulative sums."""


def array_cut_points(values: FloatArray, weights: FloatArray, shares: list[float]) -> list[float]:
    """Return :func:`cut_points` of one column in process: the same rule over the distinct
    values of ``values`` (missing ones left out), weighted by ``weights``."""
    present = ~np.isnan(values)
    distinct, which = np.unique(values[present], return_inverse=True)
    if not len(distinct):
        return [np.nan for _ in shares]
    by_value = np.bincount(which.ravel(), weights=weights[present], minlength=len(distinct))
    cumulative = np.cumsum(by_value)
    # As the query's: the whole counts the rows with a missing value too.
    whole = by_value.sum() + weights[~present].sum()
    found = []
    for share in shares:
        reached = np.flatnonzero(cumulative >= share * whole * (1 - CUT_SLACK))
        found.append(float(distinct[reached[0]]) if len(reached) else np.nan)
    return found


def cut_points(persons: ir.Table, column: str, shares: list[float]) -> list[float]:
    """Return weighted cut points: the smallest value whose weighted share at or below is >= q.

    Ties share one value, so the rule does not depend on row order (a relative 1e-12 slack
    absorbs rounding in the cumulative sums). The cumulative sums are exact on every backend
    (:func:`~lindung.survey.backend.running_sums`), so the cut points are too.
    """
    if not shares:
        return []
    by_value = persons.group_by(_v=persons[column]).aggregate(_wsum=persons._w.sum())
    cumulative = running_sums(by_value, "_v", {"_cum": "_wsum"})
    whole = by_value._wsum.sum().as_scalar()
    found = one_row(
        cumulative.aggregate(
            **{
                f"c{i}": cumulative._v.min(where=cumulative._cum >= share * whole * (1 - CUT_SLACK))
                for i, share in enumerate(shares)
            }
        )
    )
    cuts = [found[f"c{i}"] for i in range(len(shares))]
    return [np.nan if cut is None else float(cut) for cut in cuts]
