"""The estimates of a survey with many PSUs, from PSU totals made a block of strata at a time.

A level's variances are g'Vg, V the design covariance of its column totals, and V is a sum over
strata (:mod:`lindung.survey.variance`). So each block of strata (whole strata, or a piece of
one too large for a block) makes the PSU totals of its own households, read from DuckDB a block
at a time (:func:`~lindung.survey.fetched.psu_blocks`), adds its share of every level's V and
column sums (:class:`~lindung.survey.variance.Moments`), and is freed: what is held is one
block's households and totals per thread and a columns x columns matrix per level, whatever the
survey's size. The estimates
whose g'Vg cancels (a small difference of large terms, as when everyone in a domain is a
beneficiary) have their variance recomputed from their own PSU scores, in a second pass over
the blocks for those few columns and levels. The quintiles' incidence shares are ratios across
levels: their V is that of the five levels' columns side by side, added up the same way. The
Gini's sorted sums run over the whole welfare order (:mod:`lindung.survey.gini`); what they
read of the plain totals (the level's weight and welfare) are summed in the same pass, over the
same members.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from lindung.survey.fetched import Block, BlockRows, HouseholdColumns
from lindung.survey.frames import (
    QUINTILE_LEVELS,
    Evaluated,
    Row,
    incidence_columns,
    incidence_keys,
    incidence_rows,
    level_rows,
)
from lindung.survey.gini import SortedHouseholds
from lindung.survey.indicators import Definition, evaluate, evaluate_moments
from lindung.survey.report import SurveyReport
from lindung.survey.totals import (
    DeclaredScores,
    LevelSums,
    LevelTotals,
    PartTotals,
    array_totals,
    level_sort_key,
    level_totals,
)
from lindung.survey.variance import (
    FloatArray,
    IntArray,
    Moments,
    Piece,
    PsuDesign,
    score_squares,
)
from lindung.survey.welfare import QUINTILE_BREAKDOWNS, stacked_row_set

if TYPE_CHECKING:
    from lindung.survey.engine import _Breakdowns

__all__ = ["blocked_estimates"]

QUEUED_BLOCKS = 2
"""Blocks in hand at once (read, queued or being summed): one per core."""

Level = tuple[int, str]
"""A domain level: its breakdown's number and its label."""

Results = list[tuple[Definition, float, float, str]]
Evaluations = dict[Level, tuple[LevelSums, Results, list[tuple[int, FloatArray]]]]
"""Each level's sums, its estimates, and (position, gradient) of those to rescore."""


Stream = Callable[[], BlockRows]
"""A new pass over the household table, a block of strata at a time (:func:`psu_blocks`)."""


@dataclass
class _Sources:
    """What each block's totals are summed from: its households' columns, and the scores."""

    given: _Breakdowns
    groups: list[DeclaredScores]
    others: list[tuple[int, str]]

    def totals(
        self,
        columns: dict[str, FloatArray],
        psu_row: IntArray,
        groups: list[DeclaredScores] | None = None,
    ) -> tuple[list[PartTotals], list[PartTotals]]:
        """Return a block's totals of ``groups`` (default: all), by cell and stacked, from its
        households' ``columns`` and PSU rows: every household in order, so every column is
        read where it lies."""
        chosen = self.groups if groups is None else groups
        given = self.given
        cell_rows = given.cells.row_set(columns)
        cells = [array_totals(cell_rows, group, columns, psu_row) for group in chosen]
        stacked: list[PartTotals] = []
        if self.others:
            rows = stacked_row_set(columns, given.spec, given.levels, self.others)
            stacked = [array_totals(rows, group, columns, psu_row) for group in chosen]
        return cells, stacked

    def levels(
        self, block: tuple[int, int], cells: list[PartTotals], stacked: list[PartTotals]
    ) -> Iterator[tuple[int, str, FloatArray, int]]:
        """Yield (breakdown number, level, the level's PSU totals in the block, persons) for
        every breakdown's levels with anyone in the block (the totals are valid until the
        next)."""
        given = self.given
        for number, by in enumerate(given.names):
            totals = cells if given.cells.covers(number, by) else stacked
            parts = given.parts_of(number, by, totals)
            for level in level_totals(parts, block, given.labels, reuse=True):
                yield number, level.level, level.psu_totals, level.n_obs


@dataclass
class _BlockMoments:
    """One block's share of every level's moments, and what the Gini keeps of its totals."""

    levels: dict[Level, Moments] = field(default_factory=dict)
    incidence: dict[int, Moments] = field(default_factory=dict)


@dataclass
class _Added:
    """What the blocks add up to, block after block: each level's moments and each quintile
    breakdown's incidence moments."""

    levels: dict[Level, Moments] = field(default_factory=dict)
    shares: dict[int, Moments] = field(default_factory=dict)

    def add(self, block: _BlockMoments) -> None:
        """Add one block's moments (blocks come in order, so the sums do too)."""
        for key, level in block.levels.items():
            if key in self.levels:
                self.levels[key].merged(level)
            else:
                self.levels[key] = level
        for number, side in block.incidence.items():
            if number in self.shares:
                self.shares[number].merged(side)
            else:
                self.shares[number] = side


def blocked_estimates(
    given: _Breakdowns,
    fetched: HouseholdColumns,
    stream: Stream,
    groups: list[DeclaredScores],
    defs: tuple[list[Definition], list[Definition]],
    report: SurveyReport,
    step: Callable[[str, int, int], None],
    workers: int,
    blocks: list[Block],
    release: Callable[[], None],
) -> list[list[Row]]:
    """Return every estimate, as :func:`~lindung.survey.engine._in_process_estimates` does,
    from PSU totals made a block of strata (``blocks``: PSU ranges, read by ``stream``) at a
    time; ``fetched`` holds the columns of every household that the Gini's sorted sums read.
    ``workers`` threads share the blocks and the Gini's tasks; ``release`` is called once
    the blocks are read for the last time."""
    plain_defs, ranked_defs = defs
    spec = given.spec
    steps = 3 + len(given.names)
    keys = incidence_keys(spec)
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        ranked = (
            pool.submit(
                SortedHouseholds,
                fetched.columns,
                fetched.psu_row,
                spec,
                given.levels,
                given.names,
                given.index.size,
            )
            if ranked_defs
            else None
        )
        added, evaluated = _passes(given, stream, groups, plain_defs, step, pool, blocks)
        # Nothing reads the household table again: its memory is handed back before the
        # Gini's sums take theirs.
        release()
        ginis: dict[int, Future[list[Row]]] = {}
        if ranked is not None:
            households = ranked.result()

            def gini(number: int, by: str) -> list[Row]:
                return _gini_rows(given, number, by, ranked_defs, evaluated, households)

            # The longest first (the person-level domains' levels hold more households).
            households_count = len(fetched.psu_row)
            for number, by in sorted(
                enumerate(given.names),
                key=lambda item: -_gini_rows_count(given, item[0], households_count),
            ):
                ginis[number] = pool.submit(gini, number, by)
        fetched.columns.clear()
        frames: list[list[Row]] = []
        for number, by in enumerate(given.names):
            ordered = sorted(
                (key for key in evaluated if key[0] == number), key=lambda k: level_sort_key(k[1])
            )
            found: list[Evaluated] = [(evaluated[key][0], evaluated[key][1]) for key in ordered]
            rows = level_rows(spec, by, plain_defs, found, report)
            if number in added.shares:
                rows.extend(_incidence(keys, by, added.shares[number], evaluated, number))
            frames.append(rows)
            step(f"estimates by {by}", 2 + number, steps)
        # The Gini's sums are the last quarter of a large survey's run: each breakdown's is shown
        # as it is waited for.
        waited = len(ginis)
        for count, number in enumerate(sorted(ginis), start=1):
            step(
                f"Gini coefficients by {given.names[number]} ({count} of {waited})",
                1 + len(given.names),
                steps,
            )
            frames.append(ginis.pop(number).result())
        step("Gini coefficients", 2 + len(given.names), steps)
    finally:
        pool.shutdown(cancel_futures=True)
    return frames


def _passes(
    given: _Breakdowns,
    stream: Stream,
    groups: list[DeclaredScores],
    defs: list[Definition],
    step: Callable[[str, int, int], None],
    pool: ThreadPoolExecutor,
    blocks: list[Block],
) -> tuple[_Added, Evaluations]:
    """Return the blocks' moments added up and each level's estimates: the first pass over
    the blocks, and the second for the estimates whose g'Vg cancels."""
    spec = given.spec
    steps = 3 + len(given.names)
    others = [(n, by) for n, by in enumerate(given.names) if not given.cells.covers(n, by)]
    sources = _Sources(given, groups, others)
    design = given.index.design
    names = [name for group in groups for name in group.scores]
    keys = incidence_keys(spec)
    shown = [names.index(c) for c in incidence_columns(spec)[1:]]

    def block_moments(
        block: Block, columns: dict[str, FloatArray], psu_row: IntArray
    ) -> _BlockMoments:
        first, end = block
        within = design.block(first, end)
        cells, stacked = sources.totals(columns, psu_row)
        del columns, psu_row
        found = _BlockMoments()
        wide: dict[int, FloatArray] = {}
        for number, level, totals, n_obs in sources.levels(block, cells, stacked):
            if keys and given.names[number] in QUINTILE_BREAKDOWNS:
                # The five levels' incidence columns side by side, for the shares' V.
                side = wide.setdefault(
                    number, np.zeros((end - first, len(QUINTILE_LEVELS) * len(keys)), order="F")
                )
                q = QUINTILE_LEVELS.index(level)
                side[:, q * len(keys) : (q + 1) * len(keys)] = totals[:, shown]
            moments = Moments(len(names))
            moments.add(totals, within, n_obs)
            found.levels[number, level] = moments
        for number, side in wide.items():
            found.incidence[number] = Moments(side.shape[1])
            found.incidence[number].add(side, within, 0)
        return found

    added = _Added()
    for done, block in enumerate(_in_order(pool, block_moments, stream(), QUEUED_BLOCKS)):
        step(f"PSU totals, block {done + 1} of {len(blocks)}", 2, steps)
        added.add(block)
    for moments in [*added.levels.values(), *added.shares.values()]:
        moments.finish()
    evaluated: Evaluations = {}
    for key, moments in added.levels.items():
        sums = LevelSums(key[1], moments.n_obs, names, moments.sums)
        results, cancelled = evaluate_moments(defs, sums, moments)
        evaluated[key] = (sums, results, cancelled)
    redo = [
        (key, i, gradient)
        for key, (_sums, _results, cancelled) in evaluated.items()
        for i, gradient in cancelled
    ]
    if redo:
        _rescored(sources, stream, design, (added, evaluated), redo, names)
    return added, evaluated


def _gini_rows_count(given: _Breakdowns, number: int, households: int) -> int:
    """The household rows that breakdown ``number``'s Gini sums run over (a household with
    members in two levels is in both)."""
    rows = {d.number: d.rows for d in given.spread}
    return rows.get(number, households)


def _gini_rows(
    given: _Breakdowns,
    number: int,
    by: str,
    defs: list[Definition],
    evaluated: Evaluations,
    households: SortedHouseholds,
) -> list[Row]:
    """Return the Gini's estimates of breakdown ``number``: each level's sorted sums beside
    the plain totals they read (the level's weight and welfare), taken over the same members
    in the same pass.

    One welfare variable at a time (:meth:`SortedHouseholds.each_welfare`): each estimate
    reads the post-transfer variable's columns (its D, the weight, the welfare) and at most
    one other's (a Gini reduction's pre-transfer D and welfare), so only the post-transfer
    columns are held through the breakdown, and the other variables' go once their
    estimates are made: two breakdowns' totals of every variable at once came to 1.5 GB at
    20 million persons."""
    psus, design = given.index.size, given.index.design
    keys = sorted(
        (key for key in evaluated if key[0] == number), key=lambda k: level_sort_key(k[1])
    )
    found: dict[str, list[tuple[Definition, float, float, str]]] = {key[1]: [] for key in keys}
    places: list[int] = []
    post: PartTotals | None = None
    starts: dict[str, int] = {}
    for name, sums in households.each_welfare(number):
        if post is None:
            # Every variable's totals have the same rows: a level's PSUs, level after level.
            post = sums
            starts = {given.labels[int(sums.part[at])]: at for at in range(0, len(sums.part), psus)}
        mine = [
            (place, d)
            for place, d in enumerate(defs)
            if (d.indicator == "gini" if name == "post" else d.program == name)
        ]
        places += [place for place, _d in mine]
        parts = [post] if sums is post else [post, sums]
        for key in keys:
            totals = _level_columns(key, evaluated, psus, starts, parts)
            found[key[1]] += evaluate([d for _place, d in mine], totals, design, consume=True)
    if post is None:
        # A domain with no level (its column missing in every row): each estimate is missing.
        return level_rows(given.spec, by, defs, [], None)
    assert sorted(places) == list(range(len(defs))), "every Gini estimate is made once"
    in_order = np.argsort(places, kind="stable")

    def levels() -> Iterator[Evaluated]:
        assert post is not None
        for key in keys:
            # The rows read only the level's sums: a view of its post-transfer totals, no copy.
            start = starts.get(key[1])
            held = (
                post.values[start : start + psus]
                if start is not None
                else np.zeros((psus, len(post.columns)))
            )
            totals = LevelTotals(key[1], evaluated[key][0].n_obs, post.columns, held)
            yield totals, [found[key[1]][int(at)] for at in in_order]

    return level_rows(given.spec, by, defs, levels(), None)


def _level_columns(
    key: Level,
    evaluated: Evaluations,
    psus: int,
    starts: dict[str, int],
    parts: list[PartTotals],
) -> LevelTotals:
    """Return level ``key``'s PSU totals of the columns of ``parts`` side by side (zeros where
    the level has no one), a fresh array that its evaluation may scale."""
    columns = [name for part in parts for name in part.columns]
    dense = np.zeros((psus, len(columns)), order="F")
    start = starts.get(key[1])
    at = 0
    for part in parts:
        width = len(part.columns)
        if start is not None:
            dense[:, at : at + width] = part.values[start : start + psus]
        at += width
    return LevelTotals(key[1], evaluated[key][0].n_obs, columns, dense)


def _in_order(
    pool: ThreadPoolExecutor,
    task: Callable[[Block, dict[str, FloatArray], IntArray], _BlockMoments],
    blocks: BlockRows,
    at_once: int,
) -> Iterator[_BlockMoments]:
    """Yield ``task`` of each block in order, at most ``at_once`` of them queued: each holds
    its block's columns and totals until it is done."""
    queued: list[Future[_BlockMoments]] = []
    for block in blocks:
        queued.append(pool.submit(task, *block))
        del block
        if len(queued) >= at_once:
            yield queued.pop(0).result()
    while queued:
        yield queued.pop(0).result()


def _rescored(
    sources: _Sources,
    stream: Stream,
    design: PsuDesign,
    done: tuple[_Added, Evaluations],
    redo: list[tuple[Level, int, FloatArray]],
    names: list[str],
) -> None:
    """Set the SE of each estimate of ``redo`` (level, position, gradient) from its own PSU
    scores, summed over the blocks: only its columns are summed again, and only its levels
    are made."""
    used = sorted({int(c) for _key, _i, gradient in redo for c in np.flatnonzero(gradient)})
    wanted = {names[c] for c in used}
    narrowed = [
        DeclaredScores(
            {name: score for name, score in group.scores.items() if name in wanted},
            group.inputs,
            group.keep,
        )
        for group in sources.groups
    ]
    kept = [name for group in narrowed for name in group.scores]
    positions = [names.index(name) for name in kept]
    levels = {key for key, _i, _gradient in redo}
    added, evaluated = done
    squares = np.zeros(len(redo))

    def add(key: Level, scaled: FloatArray) -> None:
        for item, (held, _i, gradient) in enumerate(redo):
            if held == key:
                squares[item] += score_squares(scaled, gradient[positions])

    for block, columns, psu_row in stream():
        shape = design.block(*block)
        cells, stacked = sources.totals(columns, psu_row, narrowed)
        del columns, psu_row
        seen = set()
        for number, level, totals, _n_obs in sources.levels(block, cells, stacked):
            if (number, level) in levels:
                seen.add((number, level))
                add((number, level), _scaled(shape, totals, added.levels[number, level], positions))
        if isinstance(shape, Piece):
            # A level with no one in this piece of a stratum: its PSUs' totals are zero here,
            # and they deviate from the stratum's mean all the same.
            for key in levels - seen:
                zeros = np.zeros((block[1] - block[0], len(kept)), order="F")
                add(key, _scaled(shape, zeros, added.levels[key], positions))
    for item, (key, i, _gradient) in enumerate(redo):
        definition, value, _se, note = evaluated[key][1][i]
        evaluated[key][1][i] = (definition, value, float(np.sqrt(max(squares[item], 0.0))), note)


def _scaled(
    shape: PsuDesign | Piece, totals: FloatArray, moments: Moments, positions: list[int]
) -> FloatArray:
    """Return a block's PSU totals (of the columns at ``positions``; changed in place) less
    their stratum's mean, times sqrt(s_h): for a piece of a stratum, the mean of the whole
    stratum, as its level's moments found it (none: the level has no one in the stratum)."""
    if isinstance(shape, PsuDesign):
        return shape.scaled_deviations(totals, in_place=True)
    mean = moments.means.get(shape.stratum)
    if mean is None:
        totals[:] = 0.0
        return totals
    totals -= mean[positions]
    totals *= np.sqrt(shape.scale)
    return totals


def _incidence(
    keys: list[tuple[str, str]],
    by: str,
    moments: Moments,
    evaluated: Evaluations,
    number: int,
) -> list[Row]:
    """Share of beneficiaries (or transfers) in each quintile, Y_q / sum_k Y_k, with the
    linearised SE from the five levels' moments: the gradient of Y_qj / Y_j over the
    quintiles' totals Y_kj is (1[k = q] - share_qj) / Y_j."""
    units = len(keys)
    parts = moments.sums.reshape(len(QUINTILE_LEVELS), units)
    grand = parts.sum(axis=0)
    rows: list[Row] = []
    covariance = moments.clean_covariance
    for q, level in enumerate(QUINTILE_LEVELS):
        with np.errstate(divide="ignore", invalid="ignore"):
            share = parts[q] / grand
            gradients = np.zeros((units, parts.size))
            for k in range(len(QUINTILE_LEVELS)):
                gradients[:, k * units : (k + 1) * units] = np.diag(
                    ((1.0 if k == q else 0.0) - share) / grand
                )
        variances = ((gradients @ covariance) * gradients).sum(axis=1)
        ses = np.sqrt(np.maximum(np.nan_to_num(variances), 0.0))
        held = evaluated.get((number, level))
        rows.extend(incidence_rows(keys, by, level, held[0] if held else None, share, ses, grand))
    return rows
