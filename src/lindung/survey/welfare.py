"""Per-person welfare, transfers and ranks, as Ibis expressions over the canonical person table.

A household is a beneficiary of a program when any member receives it (the ``receipt`` flag is
positive, or the amount is positive when there is no flag); every member then counts. The
per-capita transfer of a beneficiary household is the household amount divided by household
size (persons in the file with that household id in that stratum; a non-beneficiary's amount is
not a transfer): person-level amounts are summed over the household, household-level amounts
are taken once (the largest value recorded on any member, so an amount repeated on every row or
given on the head's row alone reads the same). Pre-transfer welfare is max(0, welfare - T).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import partial

import ibis
import ibis.expr.types as ir
import numpy as np

from lindung.survey.backend import one_row, to_arrow
from lindung.survey.spec import SurveySpec
from lindung.survey.totals import RowSet, array_cut_points, cut_points
from lindung.survey.variance import FloatArray, IntArray

__all__ = [
    "PREWELFARE_RANKING",
    "QUINTILE_BREAKDOWNS",
    "QUINTILE_SHARES",
    "Cells",
    "DomainSpread",
    "breakdown_names",
    "breakdown_rows",
    "domain_levels",
    "domain_spread",
    "households",
    "lines_and_cuts",
    "lines_and_quintile_cuts",
    "part_labels",
    "poverty_line_values",
    "quintile_columns",
    "stacked_row_set",
    "stacked_rows",
    "unit_columns",
    "with_quintiles",
]

QUINTILE_SHARES = [0.2, 0.4, 0.6, 0.8]
QUINTILE_BREAKDOWNS = ("quintile_pre", "quintile_post")
"""The quintile breakdowns, added to every run (a domain column may not take these names)."""
PREWELFARE_RANKING = "all_social_protection"
"""Quintiles and relative lines rank pre-transfer welfare of all social protection."""


def breakdown_names(spec: SurveySpec) -> list[str]:
    """Return the breakdowns of a run in order: ``all``, the quintiles, then each domain."""
    return ["all", *QUINTILE_BREAKDOWNS, *(d.column for d in spec.domains)]


def domain_levels(persons: ir.Table, spec: SurveySpec) -> dict[str, list[str]]:
    """Return the values found in each domain column (missing values left out)."""
    if not spec.domains:
        return {}
    # One query for every domain: each column's distinct values, tagged with its position.
    distinct = [
        persons.select(_d=ibis.literal(number, type="int64"), _v=persons[f"_dom_{d.column}"])
        .filter(lambda t: t._v.notnull())
        .distinct()
        for number, d in enumerate(spec.domains)
    ]
    values = to_arrow(ibis.union(*distinct) if len(distinct) > 1 else distinct[0])
    tags, texts = values["_d"].to_pylist(), values["_v"].to_pylist()
    return {
        domain.column: sorted(str(v) for tag, v in zip(tags, texts, strict=True) if tag == number)
        for number, domain in enumerate(spec.domains)
    }


def households(
    persons: ir.Table,
    spec: SurveySpec,
    levels: dict[str, list[str]] | None = None,
    *,
    units: bool = True,
) -> ir.Table:
    """Return one row per household: design, welfare, ``_w`` (sum of member weights), ``_n``
    (members) and ``_B_<unit>``, ``_T_<unit>``, ``_ypre_<unit>`` for every program and area;
    with ``levels`` (from :func:`domain_levels`), also the weight and number of the members in
    each level of each domain (``_w_<domain>_<i>``, ``_n_<domain>_<i>``).

    With ``units`` false the table stops short of the units' three columns each: it keeps each
    program's household amount ``_hamt_<code>`` and, where a receipt column says who receives
    it, ``_hben_<code>``, from which :func:`unit_columns` derives them as the households come to
    the process (the DuckDB engine, batch by batch: the query then groups, stores and hands over
    some twenty columns, not fifty).

    Welfare, transfers and beneficiary status are the same for every member, so every indicator
    total is a sum over households of (member weight) x (household value).
    """
    aggregates: dict[str, ir.Value] = {
        "_psu": persons._psu.max(),
        "_psu_low": persons._psu.min(),
        "_y": persons._y.max(),
        "_y_low": persons._y.min(),
        "_w": persons._w.sum(),
        "_n": persons.count(),
    }
    for program in spec.programs:
        amount = persons[f"_amt_{program.code}"]
        aggregates[f"_hamt_{program.code}"] = (
            amount.sum() if program.level == "person" else amount.max()
        )
        if program.receipt:
            receives = persons[f"_rec_{program.code}"] > 0
            aggregates[f"_hben_{program.code}"] = receives.cast("int64").max()
    for number, domain in enumerate(spec.domains):
        column = persons[f"_dom_{domain.column}"]
        for i, level in enumerate((levels or {}).get(domain.column, [])):
            member = column == level
            aggregates[f"_w_{number}_{i}"] = persons._w.sum(where=member)
            aggregates[f"_n_{number}_{i}"] = persons.count(where=member)
    # A household is identified within its stratum (as R's nest=TRUE does PSUs): ids that
    # restart in every stratum name different households.
    grouped = persons.group_by(["_stratum", "_hh"]).aggregate(**aggregates)
    if not units:
        return grouped
    # Without a receipt column, a household receives a program when some member's amount is
    # > 0, which is when the household's amount (their largest, or their sum) is > 0: amounts
    # are >= 0 and filled with 0 where missing (checked_persons). Read from the amount, it is
    # one sum fewer per program in the grouping, the costliest step of the household table.
    grouped = grouped.mutate(
        **{
            f"_hben_{p.code}": (grouped[f"_hamt_{p.code}"] > 0).cast("int64")
            for p in spec.programs
            if not p.receipt
        }
    )
    added: dict[str, ir.Value] = {}
    for unit in spec.units():
        codes = [p.code for p in spec.unit_programs(unit)]
        beneficiary = _largest([grouped[f"_hben_{c}"] for c in codes]).cast("float64")
        amount = _summed([grouped[f"_hben_{c}"] * grouped[f"_hamt_{c}"] for c in codes])
        transfer = amount.cast("float64") / grouped._n.cast("float64")
        added[f"_B_{unit}"] = beneficiary
        added[f"_T_{unit}"] = transfer
        added[f"_ypre_{unit}"] = ibis.greatest(ibis.literal(0.0), grouped._y - transfer)
    spent = [f"_h{kind}_{p.code}" for p in spec.programs for kind in ("amt", "ben")]
    return grouped.mutate(**added).drop(*spent)


def unit_columns(columns: dict[str, FloatArray], spec: SurveySpec) -> None:
    """Replace the programs' household amounts and receipt flags in the household ``columns``
    (of ``households(..., units=False)``) by each unit's ``_B_``, ``_T_`` and ``_ypre_``
    column, value for value what :func:`households` adds by query: the same operations on the
    same doubles in the same order (a flag times an amount, summed over the unit's programs
    from the first, divided by the members), so the same bits."""
    flags = {
        p.code: columns[f"_hben_{p.code}"]
        if p.receipt
        else (columns[f"_hamt_{p.code}"] > 0).astype(np.float64)
        for p in spec.programs
    }
    welfare, members = columns["_y"], columns["_n"]
    for unit in spec.units():
        codes = [p.code for p in spec.unit_programs(unit)]
        beneficiary = flags[codes[0]].copy()
        transfer = flags[codes[0]] * columns[f"_hamt_{codes[0]}"]
        for code in codes[1:]:
            np.maximum(beneficiary, flags[code], out=beneficiary)
            transfer += flags[code] * columns[f"_hamt_{code}"]
        transfer /= members
        columns[f"_B_{unit}"] = beneficiary
        columns[f"_T_{unit}"] = transfer
        columns[f"_ypre_{unit}"] = np.maximum(0.0, welfare - transfer)
    for program in spec.programs:
        columns.pop(f"_hamt_{program.code}")
        columns.pop(f"_hben_{program.code}", None)


def _largest(values: list[ir.NumericValue]) -> ir.NumericValue:
    return values[0] if len(values) == 1 else ibis.greatest(*values)


def _summed(values: list[ir.NumericValue]) -> ir.NumericValue:
    total = values[0]
    for value in values[1:]:
        total = total + value
    return total


def with_quintiles(households: ir.Table, pre_cuts: list[float] | None = None) -> ir.Table:
    """Add ``_quintile_pre`` and ``_quintile_post`` (1..5, weighted quintiles of persons).

    Cut point c_k is the smallest welfare y with weighted share of persons at or below y >= k/5;
    a person is in quintile k when c_(k-1) < welfare <= c_k. ``pre_cuts`` are the pre-transfer
    cut points when already found (:func:`lines_and_quintile_cuts`).
    """
    ranked = {
        "_quintile_pre": f"_ypre_{PREWELFARE_RANKING}",
        "_quintile_post": "_y",
    }
    added: dict[str, ir.Value] = {}
    for name, column in ranked.items():
        cuts = (
            pre_cuts
            if pre_cuts is not None and name == "_quintile_pre"
            else cut_points(households, column, QUINTILE_SHARES)
        )
        above = [(households[column] > cut).cast("int64") for cut in cuts]
        added[name] = (1 + _summed(above)).cast("string")
    return households.mutate(**added)


def quintile_columns(
    columns: dict[str, FloatArray], pre_cuts: list[float], post_cuts: list[float] | None = None
) -> None:
    """Add ``_quintile_pre`` and ``_quintile_post`` to the household ``columns`` in process
    (as numbers), by the rule of :func:`with_quintiles`; ``pre_cuts`` as from
    :func:`lines_and_cuts`, ``post_cuts`` the post-transfer ones (default: cut here, over
    ``columns``, which are then every household)."""
    ranked = {"_quintile_pre": f"_ypre_{PREWELFARE_RANKING}", "_quintile_post": "_y"}
    for name, column in ranked.items():
        values = columns[column]
        if name == "_quintile_pre":
            cuts = pre_cuts
        elif post_cuts is not None:
            cuts = post_cuts
        else:
            cuts = array_cut_points(values, columns["_w"], QUINTILE_SHARES)
        quintile = np.ones(len(values))
        for cut in cuts:
            quintile += values > cut
        quintile[np.isnan(values)] = np.nan
        columns[name] = quintile


def poverty_line_values(households: ir.Table, spec: SurveySpec) -> dict[str, float]:
    """Return each poverty line's value; relative lines are cut points of pre-transfer welfare."""
    return lines_and_quintile_cuts(households, spec, quintiles=False)[0]


def lines_and_quintile_cuts(
    households: ir.Table, spec: SurveySpec, *, quintiles: bool = True
) -> tuple[dict[str, float], list[float]]:
    """Return each poverty line's value and (with ``quintiles``) the cut points of the
    pre-transfer quintiles, from one query: both are cut points of pre-transfer welfare."""
    return lines_and_cuts(spec, partial(cut_points, households), quintiles=quintiles)


def lines_and_cuts(
    spec: SurveySpec, cuts: Callable[[str, list[float]], list[float]], *, quintiles: bool = True
) -> tuple[dict[str, float], list[float]]:
    """Return what :func:`lines_and_quintile_cuts` returns, the cut points of a household
    column taken by ``cuts`` (column, shares): a query, or the household columns in
    process (:func:`~lindung.survey.totals.array_cut_points`)."""
    relative = [line for line in spec.poverty_lines if line.relative_quantile is not None]
    shares = QUINTILE_SHARES if quintiles else []
    found = cuts(
        f"_ypre_{PREWELFARE_RANKING}",
        [*shares, *(float(line.relative_quantile) for line in relative if line.relative_quantile)],
    )
    quintile_cuts, line_cuts = found[: len(shares)], found[len(shares) :]
    by_code = {line.code: cut for line, cut in zip(relative, line_cuts, strict=True)}
    return {
        line.code: float(line.value) if line.value is not None else by_code[line.code]
        for line in spec.poverty_lines
    }, quintile_cuts


PARTS_PER_BREAKDOWN = 2**32
"""``_part`` = breakdown number x this + level number: one integer key per domain level."""


def breakdown_rows(
    households: ir.Table,
    spec: SurveySpec,
    levels: dict[str, list[str]],
    by: str,
    columns: list[str],
    number: int = 0,
) -> ir.Table:
    """Return the rows to aggregate for one breakdown: ``_part, _row, _w, _n`` and ``columns``.

    Household-level breakdowns (``all``, quintiles) are the household rows; a person-level
    domain column gives, for each of its levels, the households with members in it, weighted
    by those members (``levels`` as from :func:`domain_levels`). ``_part`` numbers the level
    as one integer (breakdown ``number``; see :func:`part_labels`).
    """
    base = ibis.literal(number * PARTS_PER_BREAKDOWN, type="int64")
    if by == "all" or by in QUINTILE_BREAKDOWNS:
        part = base if by == "all" else base + households[f"_{by}"].cast("int64")
        return households.select(
            *columns, _part=part, _row=households._row, _w=households._w, _n=households._n
        )
    domain = next(i for i, d in enumerate(spec.domains) if d.column == by)
    parts = [
        households.filter(households[f"_n_{domain}_{i}"] > 0).select(
            *columns,
            _part=base + i,
            _row=households._row,
            _w=households[f"_w_{domain}_{i}"],
            _n=households[f"_n_{domain}_{i}"],
        )
        for i in range(len(levels[by]))
    ]
    if not parts:
        return households.filter(ibis.literal(False)).select(
            *columns, _part=base, _row=households._row, _w=households._w, _n=households._n
        )
    return ibis.union(*parts) if len(parts) > 1 else parts[0]


QUINTILE_CELLS = 8
"""A quintile pair's code in :class:`Cells` is quintile_pre x this + quintile_post."""


@dataclass(frozen=True)
class DomainSpread:
    """How the households spread over the levels of one domain column."""

    number: int
    """The domain's breakdown number (its ``_part`` codes are number x 2**32 + level)."""
    domain: int
    """The domain's position in the spec (household columns ``_w_<domain>_<i>``)."""
    households: int
    level_rows: tuple[int, ...]
    """Households with members in each level."""
    complete: bool
    """Every member of every household has a value in the domain."""

    @property
    def levels(self) -> int:
        """Number of levels."""
        return len(self.level_rows)

    @property
    def rows(self) -> int:
        """Households with members in a level, summed over the levels."""
        return sum(self.level_rows)

    @property
    def largest(self) -> int:
        """The level with the most households (the best one to derive as a complement)."""
        return max(range(self.levels), key=lambda i: self.level_rows[i])

    @property
    def household_level(self) -> bool:
        """Every household lies in exactly one level (all its members share it)."""
        return self.complete and self.rows == self.households


def domain_spread(
    households: ir.Table, spec: SurveySpec, levels: dict[str, list[str]], breakdowns: list[str]
) -> list[DomainSpread]:
    """Return, in one query, how the households spread over each domain breakdown's levels."""
    candidates = [
        (breakdowns.index(domain.column), number, len(levels[domain.column]))
        for number, domain in enumerate(spec.domains)
        if domain.column in breakdowns and levels.get(domain.column)
    ]
    if not candidates:
        return []
    counts: dict[str, ir.Value] = {"households": households.count()}
    for _, domain, size in candidates:
        members = [households[f"_n_{domain}_{i}"] for i in range(size)]
        counts[f"partial_{domain}"] = (_summed(members) != households._n).cast("int64").sum()
        for i, member in enumerate(members):
            counts[f"rows_{domain}_{i}"] = (member > 0).cast("int64").sum()
    found = one_row(households.aggregate(**counts))
    return [
        DomainSpread(
            number=number,
            domain=domain,
            households=int(found["households"]),
            level_rows=tuple(int(found[f"rows_{domain}_{i}"] or 0) for i in range(size)),
            complete=int(found[f"partial_{domain}"] or 0) == 0,
        )
        for number, domain, size in candidates
    ]


@dataclass(frozen=True)
class Cells:
    """Household rows keyed by one integer per cell: their quintile pair and their level of
    each household-level domain. Totals are additive, so the totals of the whole population,
    both quintile breakdowns and those domains all come from one aggregation by (cell, PSU)."""

    domains: list[DomainSpread]

    def covers(self, number: int, by: str) -> bool:
        """Whether breakdown ``by`` (number ``number``) comes from the cells."""
        return by == "all" or by in QUINTILE_BREAKDOWNS or number in self._numbers

    @property
    def _numbers(self) -> set[int]:
        return {d.number for d in self.domains}

    def rows(self, households: ir.Table, columns: list[str]) -> ir.Table:
        """Return the household rows with ``_part`` set to their cell."""
        code = households._quintile_pre.cast("int64") * QUINTILE_CELLS + households[
            "_quintile_post"
        ].cast("int64")
        for domain in self.domains:
            level = _summed(
                [
                    (households[f"_n_{domain.domain}_{i}"] > 0).cast("int64") * i
                    for i in range(domain.levels)
                ]
            )
            code = code * domain.levels + level
        return households.select(
            *columns, _part=code, _row=households._row, _w=households._w, _n=households._n
        )

    def row_set(self, columns: Mapping[str, FloatArray]) -> RowSet:
        """Return the rows of :meth:`rows` in process, from the household ``columns``."""
        code = columns["_quintile_pre"] * QUINTILE_CELLS + columns["_quintile_post"]
        for domain in self.domains:
            level = np.zeros(len(code))
            for i in range(1, domain.levels):
                level += (columns[f"_n_{domain.domain}_{i}"] > 0) * i
            code = code * domain.levels + level
        return _valid_rows(None, code, columns["_w"], columns["_n"])

    def parts(self, cells: IntArray, by: str, number: int) -> IntArray:
        """Return the ``_part`` numbers of breakdown ``by`` for rows keyed by cell."""
        base = number * PARTS_PER_BREAKDOWN
        rest = cells.copy()
        for domain in reversed(self.domains):
            rest, digit = np.divmod(rest, domain.levels)
            if domain.number == number:
                return base + digit
        if by == "quintile_pre":
            return base + rest // QUINTILE_CELLS
        if by == "quintile_post":
            return base + rest % QUINTILE_CELLS
        return np.full(len(cells), base, dtype=np.int64)


def part_labels(breakdowns: list[str], levels: dict[str, list[str]]) -> dict[int, str]:
    """Return the level that each ``_part`` number of :func:`breakdown_rows` stands for."""
    labels: dict[int, str] = {}
    for number, by in enumerate(breakdowns):
        base = number * PARTS_PER_BREAKDOWN
        if by == "all":
            labels[base] = "all"
        elif by in QUINTILE_BREAKDOWNS:
            labels.update({base + q: str(q) for q in range(1, len(QUINTILE_SHARES) + 2)})
        else:
            labels.update({base + i: level for i, level in enumerate(levels[by])})
    return labels


def _valid_rows(
    household: IntArray | None, part: FloatArray, w: FloatArray, n: FloatArray
) -> RowSet:
    """Return the rows whose part code is known (a missing one is left out, as in
    :func:`~lindung.survey.totals.psu_totals`)."""
    valid = ~np.isnan(part)
    if not valid.all():
        household = np.flatnonzero(valid) if household is None else household[valid]
        part, w, n = part[valid], w[valid], n[valid]
    return RowSet(household, part.astype(np.int64), w, n.astype(np.int64))


def stacked_row_set(
    columns: Mapping[str, FloatArray],
    spec: SurveySpec,
    levels: dict[str, list[str]],
    breakdowns: list[tuple[int, str]],
) -> RowSet:
    """Return the rows of :func:`stacked_rows` in process, from the household ``columns``."""
    sets: list[RowSet] = []
    w, n = columns["_w"], columns["_n"]
    for number, by in breakdowns:
        base = float(number * PARTS_PER_BREAKDOWN)
        if by == "all":
            sets.append(_valid_rows(None, np.full(len(w), base), w, n))
            continue
        if by in QUINTILE_BREAKDOWNS:
            sets.append(_valid_rows(None, base + columns[f"_{by}"], w, n))
            continue
        domain = next(i for i, d in enumerate(spec.domains) if d.column == by)
        for i in range(len(levels[by])):
            members = columns[f"_n_{domain}_{i}"]
            chosen = np.flatnonzero(members > 0)
            part = np.full(len(chosen), base + i)
            sets.append(
                _valid_rows(chosen, part, columns[f"_w_{domain}_{i}"][chosen], members[chosen])
            )
    return RowSet.concat(sets, len(w))


def stacked_rows(
    households: ir.Table,
    spec: SurveySpec,
    levels: dict[str, list[str]],
    breakdowns: list[tuple[int, str]],
    columns: list[str],
) -> ir.Table:
    """Return the rows of several breakdowns (number, name), one under another (see
    :func:`breakdown_rows`)."""
    parts = [
        breakdown_rows(households, spec, levels, by, columns, number) for number, by in breakdowns
    ]
    return ibis.union(*parts) if len(parts) > 1 else parts[0]
