"""The survey run: microdata and spec in, a tidy table of estimates with SEs out.

The persons become one table of households, each with its PSU's row and quintiles (on Spark
stored in welfare order; on DuckDB fetched to NumPy, where the quintiles are cut). Then the
PSU totals of every score for every level, program, area and poverty line
(:mod:`lindung.survey.welfare`, :mod:`lindung.survey.indicators`): on a backend whose tables live
in this process (DuckDB) they are summed in NumPy from the household columns, and the
breakdowns' NumPy steps share the cores, a thread each; elsewhere (Spark) they are a few
aggregations, and the Gini's sorted sums (:mod:`lindung.survey.gini`) run beside them. NumPy
turns the totals into estimates and linearised SEs, breakdown by breakdown. The queries go to a
:class:`~lindung.survey.backend.Backend`; nothing here names one.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import cached_property, partial
from pathlib import Path
from typing import TYPE_CHECKING, cast

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
from threadpoolctl import threadpool_limits

from lindung import settings
from lindung.survey.backend import Backend, Engine, open_backend
from lindung.survey.fetched import FETCH_BATCH, Block, BlockRows, HouseholdColumns, psu_blocks
from lindung.survey.frames import QUINTILE_LEVELS, Row, breakdown
from lindung.survey.gini import (
    SortedHouseholds,
    SortedQuery,
    gini_queries,
    read_sorted,
    welfare_columns,
    wide_domains,
)
from lindung.survey.indicators import (
    GINI_INDICATORS,
    Definition,
    definitions,
    ranked_inputs,
    score_columns,
)
from lindung.survey.microdata import (
    check_households,
    checked_persons,
    read_microdata,
    warn_unpaid_amounts,
)
from lindung.survey.report import SurveyReport
from lindung.survey.spec import INDICATORS, SurveySpec
from lindung.survey.totals import (
    DeclaredScores,
    DesignIndex,
    PartTotals,
    array_cut_points,
    design_index,
    psu_totals,
    with_psu_rows,
)
from lindung.survey.variance import FloatArray, strata_blocks
from lindung.survey.welfare import (
    PARTS_PER_BREAKDOWN,
    PREWELFARE_RANKING,
    QUINTILE_BREAKDOWNS,
    QUINTILE_SHARES,
    Cells,
    DomainSpread,
    breakdown_names,
    domain_levels,
    domain_spread,
    households,
    lines_and_cuts,
    lines_and_quintile_cuts,
    part_labels,
    quintile_columns,
    stacked_row_set,
    stacked_rows,
    unit_columns,
    with_quintiles,
)
from lindung.text import counted

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "COLUMNS",
    "REPEAT_ATOL",
    "REPEAT_RTOL",
    "SurveyResult",
    "estimate",
    "estimates_table",
]

COLUMNS = [
    "indicator",
    "program",
    "poverty_line",
    "poverty_line_value",
    "by",
    "level",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "n_obs",
    "pop",
    "note",
]
"""The output table's columns; ``poverty_line_value`` is the line's value (a relative line as
resolved on the data), ``note`` says why an estimate is missing."""

REPEAT_RTOL = 1e-10
REPEAT_ATOL = 1e-11
"""How far two runs on the same data may differ: |a - b| <= REPEAT_RTOL max(|a|, |b|) +
REPEAT_ATOL for every estimate and SE. DuckDB's parallel sums add in an order that varies from
run to run (and with the order of the rows), so the last digits vary: 7e-12 relative at most in
the SEs of a 20,000-household survey, 1e-12 absolute for an SE that is zero in theory. With
``threads=1`` repeated runs on the same file are identical."""

SORTED_BESIDE = 2
"""How many of the Gini's queries run at a time beside the plain estimates: two keep both
cores busy through each one's serial steps."""
IN_PROCESS_WORKERS = 2
"""At most this many breakdowns' NumPy steps at once (fewer with ``threads``): each holds its
levels' PSU totals, so memory grows with it; measured on two cores only."""
HELD_BLOCKS = 3
"""A survey is summed a block of strata at a time (:mod:`lindung.survey.blocked`) when its PSUs
make more blocks than this: the blocks queued and the one being added are held at once, so
fewer blocks would hold as much as the whole design, and cost more."""
RANKED_TABLE = "_ranked_households"
"""The stored household table (checked, with quintiles and PSU rows, in welfare order) on a
backend whose tables live elsewhere (Spark)."""
_SPENT = ("_stratum", "_psu", "_psu_low", "_y_low", "_hh")
"""Household columns not needed once each household knows its PSU's row and is checked."""

Progress = Callable[[str, int, int], None]


@dataclass
class SurveyResult:
    """Estimates (one row per estimate, :data:`COLUMNS`; as Arrow, :attr:`table`; as pandas,
    :attr:`estimates`), the poverty lines used, and the report."""

    rows: list[Row]
    poverty_lines: dict[str, float]
    report: SurveyReport
    design: dict[str, int] = field(default_factory=dict)

    @property
    def defined(self) -> int:
        """How many of the estimates are defined (not missing)."""
        return sum(1 for row in self.rows if not math.isnan(cast(float, row["estimate"])))

    @cached_property
    def table(self) -> pa.Table:
        """The estimates as an Arrow table (a missing value as null), made on first use."""
        return estimates_table(self.rows)

    @cached_property
    def estimates(self) -> pd.DataFrame:
        """The estimates as a pandas DataFrame (a missing value as NaN), made on first use:
        writing them out needs neither, and importing pandas alone takes a quarter of a
        second."""
        frame: pd.DataFrame = self.table.to_pandas()
        return frame


def estimate(
    spec: SurveySpec,
    data: Sequence[str | Path],
    *,
    progress: Progress | None = None,
    threads: int | None = None,
    engine: Engine = "duckdb",
    spark_master: str | None = None,
) -> SurveyResult:
    """Return every requested indicator for every program, area and domain level, with SEs.

    ``threads`` caps DuckDB's threads (default: the ``duckdb_threads`` setting, else one per
    core); with 1 the whole run keeps to one thread. ``engine`` chooses the query engine:
    ``spark`` runs the same queries on Apache Spark, in local mode on ``threads`` cores or on
    the cluster at ``spark_master``, and gives the same numbers. ``progress`` is called with
    (step name, steps done, steps in all).
    """
    threads = settings.DUCKDB_THREADS.value() if threads is None else threads
    con = open_backend(engine, threads=threads, master=spark_master)
    try:
        # NumPy's BLAS on one thread: the cores are DuckDB's, and BLAS threads spinning beside
        # its queries slow both down.
        with threadpool_limits(limits=1, user_api="blas"):
            return _estimate(con, spec, data, progress, threads)
    finally:
        con.disconnect()


def _estimate(
    con: Backend,
    spec: SurveySpec,
    data: Sequence[str | Path],
    progress: Progress | None,
    threads: int | None,
) -> SurveyResult:
    step = progress or (lambda _name, _done, _total: None)
    breakdowns = breakdown_names(spec)
    total_steps = 3 + len(breakdowns)
    report = SurveyReport()
    step("reading and checking the data", 0, total_steps)
    raw = read_microdata(con, [Path(p) for p in data])
    checked = checked_persons(con, raw, spec, report)
    persons = checked.kept
    # The design is the sample's, rows with missing welfare included (R's na.rm=TRUE).
    index = design_index(
        checked.sampled,
        spec.design.lonely_psu,
        strata_column=spec.design.strata or "",
        fpc_column=spec.design.fpc or "",
    )
    _warn_lonely(index, spec, report)
    warn_unpaid_amounts(persons, spec, report)
    step("transfers, quintiles and poverty lines", 1, total_steps)
    levels = domain_levels(persons, spec)
    # In process, the units' columns are derived from the programs' ones once fetched.
    stored = con.materialise("_households", households(persons, spec, levels, units=not con.local))
    con.drop("_persons")
    check_households(stored, spec)
    spread = domain_spread(stored, spec, levels, breakdowns)
    workers = 1 if threads == 1 else min(threads or os.cpu_count() or 1, IN_PROCESS_WORKERS)
    blocks = strata_blocks(index.design, settings.SURVEY_BLOCK_PSUS.value())
    # Blocks are read in PSU order, as a table stored in that order comes back (DuckDB's).
    in_blocks = con.local and con.ordered and len(blocks) > HELD_BLOCKS
    fetched: HouseholdColumns | None
    if in_blocks:
        homes, fetched, lines, stream = _in_blocks(con, stored, spec, index, levels, workers)
        stream_blocks = partial(stream, blocks)
    else:
        homes, fetched, lines = _ranked(con, stored, spec, index, workers)
    _warn_zero_lines(lines, spec, report)
    plain, *poverty = score_columns(spec, lines)
    defs = definitions(spec, lines)
    plain_defs = [d for d in defs if d.indicator not in GINI_INDICATORS]
    ranked_defs = [d for d in defs if d.indicator in GINI_INDICATORS]
    labels = part_labels(breakdowns, levels)
    cells = Cells([d for d in spread if d.household_level])
    queried = bool(ranked_defs) and fetched is None
    sorted_queries = (
        gini_queries(homes, spec, levels, breakdowns, wide_domains(spread)) if queried else []
    )
    given = _Breakdowns(homes, spec, levels, breakdowns, index, labels, cells, spread)
    if fetched is not None and in_blocks:
        # Imported here: a survey of a few thousand PSUs never needs it (4 ms of a second).
        from lindung.survey.blocked import blocked_estimates

        frames = blocked_estimates(
            given,
            fetched,
            stream_blocks,
            [plain, *poverty],
            (plain_defs, ranked_defs),
            report,
            step,
            workers,
            blocks,
            partial(con.drop, BY_PSU_TABLE),
        )
    elif fetched is not None:
        frames = _in_process_estimates(
            given, fetched, [plain, *poverty], (plain_defs, ranked_defs), report, step, workers
        )
    else:
        frames = _queried_estimates(
            con,
            given,
            sorted_queries,
            [plain, *poverty],
            (plain_defs, ranked_defs),
            report,
            step,
            0 if threads == 1 else SORTED_BESIDE,
        )
    step("done", total_steps, total_steps)
    rows = [row for frame in frames for row in frame]
    for row in rows:
        row["poverty_line_value"] = float(lines.get(str(row["poverty_line"]), np.nan))
    design = {
        "strata": len(index.design.population),
        "psus": index.size,
        "lonely_strata": index.design.lonely_strata,
    }
    return SurveyResult(_ordered(rows, spec), poverty_lines=lines, report=report, design=design)


def _ranked(
    con: Backend, stored: ir.Table, spec: SurveySpec, index: DesignIndex, workers: int
) -> tuple[ir.Table, HouseholdColumns | None, dict[str, float]]:
    """Return the households (checked, with quintiles and PSU rows), those in this process
    (else None; ``workers`` threads put them in order), and the poverty lines; the stored
    table ``stored`` is dropped.

    In process (DuckDB) the households with their PSU rows go straight to NumPy, once (no
    second table written and read back), and the quintiles and relative lines are cut
    there: each is a sort of one column, where a query's running sum over the distinct
    values takes one core. Elsewhere (Spark) they are queries, and the households are stored
    again, in welfare order: the Gini's sorts by (pre-transfer) welfare then find the rows
    nearly in order already, and its queries, run beside, read it.
    """
    if con.local:
        homes = with_psu_rows(stored, index).drop(*_SPENT)
        # In welfare order: each welfare variable's sort order is then close to the rows'
        # own, and the Gini's running sums gather a level's members from nearby memory, not
        # from all over the columns (past the cache, from a million households or so, the
        # scattered reads were most of their time: 11.5 to 8.5 CPU s at 5 million persons).
        fetched = HouseholdColumns.fetch(
            con,
            homes,
            "_households",
            order_by="_y",
            workers=workers,
            derive=lambda batch: unit_columns(batch, spec),
        )
        columns = fetched.columns
        lines, pre_cuts = lines_and_cuts(
            spec, lambda column, shares: array_cut_points(columns[column], columns["_w"], shares)
        )
        quintile_columns(columns, pre_cuts)
        return homes, fetched, lines
    lines, pre_cuts = lines_and_quintile_cuts(stored, spec)
    ranked = with_psu_rows(with_quintiles(stored, pre_cuts), index).drop(*_SPENT)
    ranked_table = con.materialise(RANKED_TABLE, ranked, read_beside=True, order_by="_y")
    con.drop("_households")
    return ranked_table, None, lines


BY_PSU_TABLE = "_households_by_psu"
"""The household table in PSU order, read a block of strata at a time (DuckDB, many PSUs)."""


def _in_blocks(
    con: Backend,
    stored: ir.Table,
    spec: SurveySpec,
    index: DesignIndex,
    levels: dict[str, list[str]],
    workers: int,
) -> tuple[
    ir.Table,
    HouseholdColumns,
    dict[str, float],
    Callable[[list[Block]], BlockRows],
]:
    """Return what :func:`_ranked` returns for a survey summed a block of strata at a time,
    and how to read it so (a function of the blocks).

    The households with their PSU rows are stored again, in PSU order (the first table is
    dropped): DuckDB holds them, under its memory cap, spilling past it. Only the columns
    that the cut points and the Gini's sorted sums read come to this process whole, in
    welfare order; the blocks' columns come a block at a time, derived and cut into quintiles
    as they come."""
    by_psu = con.materialise(
        BY_PSU_TABLE, with_psu_rows(stored, index).drop(*_SPENT), order_by="_row"
    )
    con.drop("_households")
    breakdowns = breakdown_names(spec)
    kept = SortedHouseholds.columns(spec, levels, breakdowns) | {
        "_w",
        "_y",
        f"_ypre_{PREWELFARE_RANKING}",
    }
    fetched = HouseholdColumns.fetch(
        con,
        by_psu,
        BY_PSU_TABLE,
        order_by="_y",
        workers=workers,
        derive=lambda batch: unit_columns(batch, spec),
        keep=kept,
        drop=False,
    )
    columns = fetched.columns
    lines, pre_cuts = lines_and_cuts(
        spec, lambda column, shares: array_cut_points(columns[column], columns["_w"], shares)
    )
    post_cuts = array_cut_points(columns["_y"], columns["_w"], QUINTILE_SHARES)
    quintile_columns(columns, pre_cuts, post_cuts)

    def prepared(batch: dict[str, FloatArray]) -> None:
        unit_columns(batch, spec)
        quintile_columns(batch, pre_cuts, post_cuts)

    def stream(blocks: list[Block]) -> BlockRows:
        return psu_blocks(con.batches(by_psu, FETCH_BATCH), blocks, prepared)

    return by_psu, fetched, lines, stream


def _warn_lonely(index: DesignIndex, spec: SurveySpec, report: SurveyReport) -> None:
    lonely = index.design.lonely_strata
    if lonely:
        report.warn(
            "lonely_psu",
            f"column {spec.design.strata or '(no strata)'!r}: a single PSU in "
            f"{counted(lonely, 'stratum', 'strata')}; "
            f"handled as lonely_psu={spec.design.lonely_psu} (R survey.lonely.psu)",
            column=spec.design.strata or "",
            count=lonely,
        )


def _warn_zero_lines(lines: dict[str, float], spec: SurveySpec, report: SurveyReport) -> None:
    for line in spec.poverty_lines:
        if line.relative_quantile is not None and lines[line.code] <= 0:
            report.warn(
                "poverty_line_zero",
                f"poverty line {line.code!r}: the {line.relative_quantile} quantile of "
                "pre-transfer welfare is 0 (that share of people has no welfare before "
                "transfers); its poverty gaps are undefined, its headcount is 0",
                column=line.code,
            )


@dataclass(frozen=True)
class _Breakdowns:
    """What the estimates of every breakdown are computed from."""

    homes: ir.Table
    spec: SurveySpec
    levels: dict[str, list[str]]
    names: list[str]
    index: DesignIndex
    labels: dict[int, str]
    cells: Cells
    spread: list[DomainSpread]
    """How the households spread over each domain's levels."""

    def parts_of(self, number: int, by: str, totals: list[PartTotals]) -> list[PartTotals]:
        """Return breakdown ``by``'s rows of the cells' totals (relabelled to its levels) or
        of the stacked breakdowns' (its own part codes)."""
        if self.cells.covers(number, by):
            return [t.relabelled(self.cells.parts(t.part, by, number)) for t in totals]
        first = number * PARTS_PER_BREAKDOWN
        return [t.within(first, first + PARTS_PER_BREAKDOWN) for t in totals]

    def cell_totals(self, groups: list[DeclaredScores], inputs: list[str]) -> list[PartTotals]:
        """Return each group's totals by (cell, PSU), one query each."""
        cell_rows = self.cells.rows(self.homes, inputs)
        return [psu_totals(cell_rows, group.group) for group in groups]

    def stacked_totals(
        self, groups: list[DeclaredScores], inputs: list[str], others: list[tuple[int, str]]
    ) -> list[PartTotals]:
        """Return each group's totals by (level, PSU) for the breakdowns ``others``."""
        # Built once for both score groups: building the union costs Ibis nearly as much as
        # compiling it.
        stacked = stacked_rows(self.homes, self.spec, self.levels, others, inputs)
        return [psu_totals(stacked, group.group) for group in groups]


def _queried_estimates(
    con: Backend,
    given: _Breakdowns,
    sorted_queries: list[SortedQuery],
    groups: list[DeclaredScores],
    defs: tuple[list[Definition], list[Definition]],
    report: SurveyReport,
    step: Progress,
    beside_at_once: int = SORTED_BESIDE,
) -> list[list[Row]]:
    """Return every estimate from the backend's queries (Spark): the plain totals' queries,
    and the Gini's sorted sums run beside them, ``beside_at_once`` at a time (0: when their
    results are asked for)."""
    plain_defs, ranked_defs = defs
    steps = 3 + len(given.names)
    beside = [q.query for q in sorted_queries]
    with con.beside(beside, beside_at_once) as sorted_sums:
        frames, kept = _plain_estimates(given, groups, plain_defs, report, step)
        step("Gini coefficients", 2 + len(given.names), steps)
        ranked = read_sorted(list(zip(sorted_queries, sorted_sums.results(), strict=True)))
    if ranked_defs:
        for by in given.names:
            parts = [kept.pop(by), *ranked]
            frames.append(
                breakdown(parts, given.spec, by, ranked_defs, given.index, given.labels, None)
            )
    return frames


def _in_process_estimates(
    given: _Breakdowns,
    fetched: HouseholdColumns,
    groups: list[DeclaredScores],
    defs: tuple[list[Definition], list[Definition]],
    report: SurveyReport,
    step: Progress,
    workers: int,
) -> list[list[Row]]:
    """Return every estimate from the household columns in this process (DuckDB).

    The breakdowns' NumPy steps (variances, the Gini's sorted sums) release the GIL, so up to
    ``workers`` threads take a task each: one breakdown's plain estimates, or its Gini's.
    Frames and warnings come back in breakdown order, as one thread would give them. What
    grows with the survey is held no longer than it is read: the cells' totals and the
    stacked breakdowns' totals until the last task that reads them is done; the household
    columns until both are summed (the Gini keeps its own); each breakdown's sorted sums
    with its Gini task.
    """
    plain_defs, ranked_defs = defs
    steps = 3 + len(given.names)
    others = [(n, by) for n, by in enumerate(given.names) if not given.cells.covers(n, by)]

    def plain(number: int, by: str, totals: list[PartTotals]) -> tuple[list[Row], SurveyReport]:
        seen = SurveyReport()
        parts = given.parts_of(number, by, totals)
        frame = breakdown(parts, given.spec, by, plain_defs, given.index, given.labels, seen)
        return frame, seen

    def gini(
        number: int, by: str, totals: list[PartTotals], ranked: Future[SortedHouseholds]
    ) -> list[Row]:
        # The plain group's totals that the Gini estimates read (population, welfare).
        (first,) = given.parts_of(number, by, totals[:1])
        kept = first.subset(ranked_inputs(first.columns))
        sums = ranked.result().sums(number)
        return breakdown(
            [kept, *sums], given.spec, by, ranked_defs, given.index, given.labels, None
        )

    plains: dict[int, Future[tuple[list[Row], SurveyReport]]] = {}
    ginis: dict[int, Future[list[Row]]] = {}
    pool = ThreadPoolExecutor(max_workers=workers)
    try:
        # Every total the breakdowns read is made first, so that the household columns can
        # go (once the Gini has taken its own): they are as large as the cells' totals and the
        # stacked ones together. The sums share the cores with the Gini's sorts, the largest
        # queued first.
        cell_rows = given.cells.row_set(fetched.columns)
        cell_jobs = [pool.submit(fetched.totals, cell_rows, groups[0])]
        stacked_jobs = []
        if others:
            stacked = stacked_row_set(fetched.columns, given.spec, given.levels, others)
            stacked_jobs = [pool.submit(fetched.totals, stacked, groups[0])]
        ranked = (
            pool.submit(
                SortedHouseholds,
                fetched.columns,
                fetched.psu_row,
                given.spec,
                given.levels,
                given.names,
                given.index.size,
            )
            if ranked_defs
            else None
        )
        cell_jobs += [pool.submit(fetched.totals, cell_rows, group) for group in groups[1:]]
        if others:
            stacked_jobs += [pool.submit(fetched.totals, stacked, group) for group in groups[1:]]
            del stacked
        del cell_rows
        cell_totals = tuple(job.result() for job in cell_jobs)
        stacked_totals = tuple(job.result() for job in stacked_jobs)
        del cell_jobs, stacked_jobs
        if ranked is not None:
            ranked.result()
        fetched.columns.clear()
        # Each breakdown's plain and Gini estimates are tasks of their own, all queued at once,
        # the longest first (:func:`_task_costs`), so that no core is left with one long task
        # at the end. Each task holds the totals it reads, and they are freed with the last
        # task that reads them.
        columns = sum(len(group.scores) for group in groups)
        tasks = _task_costs(given, len(fetched.psu_row), columns, bool(ranked_defs))
        for _cost, number, kind in tasks:
            by = given.names[number]
            totals = list(cell_totals if given.cells.covers(number, by) else stacked_totals)
            if kind == "plain":
                plains[number] = pool.submit(plain, number, by, totals)
            elif ranked is not None:
                ginis[number] = pool.submit(gini, number, by, totals, ranked)
        del cell_totals, stacked_totals
        frames: list[list[Row]] = []
        for number, by in enumerate(given.names):
            frame, seen = plains.pop(number).result()
            frames.append(frame)
            report.warnings.extend(seen.warnings)
            step(f"estimates by {by}", 2 + number, steps)
        frames += [ginis.pop(number).result() for number in sorted(ginis)]
        step("Gini coefficients", 2 + len(given.names), steps)
    finally:
        pool.shutdown(cancel_futures=True)
    return frames


GINI_ROW_COST = 3.0
"""A Gini running-sum row of one welfare variable against a PSU x score column of a level's
variance work, in time (measured on the 1.2 million persons survey: a quintile breakdown's
plain estimates, 5 levels of 35,958 PSUs x 102 columns, 0.33 s; its Gini sums, 12 welfare
variables over 359,497 households, 0.22 s)."""


def _task_costs(
    given: _Breakdowns, households: int, columns: int, with_gini: bool
) -> list[tuple[float, int, str]]:
    """Return (relative cost, breakdown number, ``plain`` or ``gini``) for every task, the
    longest first: a breakdown's plain estimates grow with its levels, each a PSUs x
    ``columns`` matrix; its Gini's with the household rows its running sums go over (a
    household with members in two levels is in both) and the welfare variables."""
    rows = {d.number: d.rows for d in given.spread}
    welfare = len(welfare_columns(given.spec))
    tasks: list[tuple[float, int, str]] = []
    for number, by in enumerate(given.names):
        matrix = given.index.size * columns
        tasks.append((float(_level_count(given, by) * matrix), number, "plain"))
        if with_gini:
            cost = GINI_ROW_COST * welfare * rows.get(number, households)
            tasks.append((cost, number, "gini"))
    return sorted(tasks, key=lambda task: -task[0])


def _level_count(given: _Breakdowns, by: str) -> int:
    """How many levels breakdown ``by`` has (its work grows with them)."""
    if by == "all":
        return 1
    if by in QUINTILE_BREAKDOWNS:
        return len(QUINTILE_LEVELS)
    return len(given.levels.get(by, []))


def _plain_estimates(
    given: _Breakdowns,
    groups: list[DeclaredScores],
    defs: list[Definition],
    report: SurveyReport,
    step: Progress,
) -> tuple[list[list[Row]], dict[str, PartTotals]]:
    """Return the estimates of ``defs`` for every breakdown, and per breakdown the totals that
    the Gini estimates also need (:func:`ranked_inputs`)."""
    inputs = sorted({c for g in groups for c in g.inputs})
    cell_totals = given.cell_totals(groups, inputs)
    # The other breakdowns' rows, one under another: one query per group for all of them.
    others = [(n, by) for n, by in enumerate(given.names) if not given.cells.covers(n, by)]
    # The stacked totals are fetched when their first breakdown comes, and the cells' freed
    # after their last: both grow with the PSUs, and they need not be held at once.
    stacked_totals: list[PartTotals] = []
    last_cell = max(n for n, by in enumerate(given.names) if given.cells.covers(n, by))
    frames = []
    kept: dict[str, PartTotals] = {}
    for number, by in enumerate(given.names):
        step(f"estimates by {by}", 2 + number, 3 + len(given.names))
        if given.cells.covers(number, by):
            parts = [t.regrouped(given.cells.parts(t.part, by, number)) for t in cell_totals]
            if number == last_cell:
                cell_totals.clear()
        else:
            if not stacked_totals:
                stacked_totals = given.stacked_totals(groups, inputs, others)
            first = number * PARTS_PER_BREAKDOWN
            parts = [t.within(first, first + PARTS_PER_BREAKDOWN) for t in stacked_totals]
        frames.append(breakdown(parts, given.spec, by, defs, given.index, given.labels, report))
        kept[by] = parts[0].subset(ranked_inputs(parts[0].columns))
    return frames, kept


def _ordered(rows: list[Row], spec: SurveySpec) -> list[Row]:
    """Return the rows by indicator, program or area, poverty line and breakdown (each in the
    spec's order; within those, as computed)."""
    order = {name: i for i, name in enumerate(INDICATORS)}
    units = {unit: i for i, unit in enumerate(["", *spec.units()])}
    lines = {line.code: i for i, line in enumerate(spec.poverty_lines)}
    bys = {b: i for i, b in enumerate(breakdown_names(spec))}

    def key(row: Row) -> tuple[int, int, int, int]:
        return (
            order.get(str(row["indicator"]), len(order)),
            units.get(str(row["program"]), len(units)),
            lines.get(str(row["poverty_line"]), -1),
            bys.get(str(row["by"]), len(bys)),
        )

    return sorted(rows, key=key)


_TYPES = {
    "poverty_line_value": pa.float64(),
    "estimate": pa.float64(),
    "se": pa.float64(),
    "ci_low": pa.float64(),
    "ci_high": pa.float64(),
    "n_obs": pa.int64(),
    "pop": pa.float64(),
}
"""The types of the estimates' columns that are not text."""


def estimates_table(rows: list[Row]) -> pa.Table:
    """Return estimate rows as a table with :data:`COLUMNS`, a NaN as a missing value (this
    imports pandas: pyarrow looks for it when it makes an array of Python values)."""
    return pa.table(
        {
            name: pa.array(
                [row[name] for row in rows], type=_TYPES.get(name, pa.string()), from_pandas=True
            )
            for name in COLUMNS
        }
    )
