"""One breakdown's estimates as rows: each level's estimates, the missing levels', and the
quintiles' incidence shares, from a level's PSU totals (:class:`LevelTotals`) or from its
column totals and design moments added up a block of strata at a time
(:mod:`lindung.survey.blocked`).
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np

from lindung.survey.indicators import Definition, evaluate
from lindung.survey.report import SurveyReport
from lindung.survey.spec import SurveySpec
from lindung.survey.totals import DesignIndex, LevelTotals, PartTotals, Summed, level_totals
from lindung.survey.variance import NORMAL_95, FloatArray, variance
from lindung.survey.welfare import QUINTILE_BREAKDOWNS

__all__ = [
    "INCIDENCE",
    "QUINTILE_LEVELS",
    "Evaluated",
    "Row",
    "breakdown",
    "incidence",
    "incidence_columns",
    "incidence_keys",
    "incidence_rows",
    "level_rows",
    "row",
]

QUINTILE_LEVELS = ["1", "2", "3", "4", "5"]
INCIDENCE = {"beneficiary_incidence": "B", "benefit_incidence": "T"}

Row = dict[str, object]
"""One estimate: a value for each of :data:`lindung.survey.engine.COLUMNS`."""

Evaluated = tuple[Summed, list[tuple[Definition, float, float, str]]]
"""One level's totals and its (definition, estimate, SE, note) for each definition."""


def breakdown(
    parts: list[PartTotals],
    spec: SurveySpec,
    by: str,
    defs: list[Definition],
    index: DesignIndex,
    labels: dict[int, str],
    report: SurveyReport | None,
) -> list[Row]:
    """Return the estimates of ``defs`` for every level of one breakdown; with ``report``,
    also the incidence shares (quintiles) and a warning for each level with no one in it."""
    shares = by in QUINTILE_BREAKDOWNS and report is not None
    held: dict[str, LevelTotals] = {}

    def evaluated() -> Iterable[Evaluated]:
        # Each level's totals in this thread's scratch array, overwritten by the next
        # level's, and scaled in place for the variances: nothing below reads them (the
        # incidence shares keep a narrowed copy, taken first).
        for totals in level_totals(parts, index.size, labels, reuse=True):
            if shares:
                # Only the columns the shares read: five whole levels would be held at once.
                held[totals.level] = totals.narrowed(incidence_columns(spec))
            yield totals, evaluate(defs, totals, index.design, consume=True)

    rows = level_rows(spec, by, defs, evaluated(), report)
    if shares:
        rows.extend(incidence(spec, by, held, index))
    return rows


def level_rows(
    spec: SurveySpec,
    by: str,
    defs: list[Definition],
    levels: Iterable[Evaluated],
    report: SurveyReport | None,
) -> list[Row]:
    """Return the rows of each evaluated level, then those of each expected level that had no
    one in it (missing, with a warning in ``report``)."""
    rows: list[Row] = []
    seen: set[str] = set()
    for totals, results in levels:
        seen.add(totals.level)
        pop = totals.total("one")
        rows.extend(_rows(by, totals, pop, results))
    for missing in [level for level in _expected_levels(spec, by) if level not in seen]:
        if report is not None:
            report.warn(
                "empty_domain",
                f"domain {by!r}: level {missing!r} has no one in it; its estimates are missing",
                column=by,
            )
        empty = LevelTotals(level=missing, n_obs=0, columns=[], psu_totals=np.zeros((0, 0)))
        undefined = [(d, np.nan, np.nan, "undefined: empty domain") for d in defs]
        rows.extend(_rows(by, empty, 0.0, undefined))
    return rows


def _rows(
    by: str, totals: Summed, pop: float, results: list[tuple[Definition, float, float, str]]
) -> list[Row]:
    return [
        row(d.indicator, d.program, d.poverty_line, by, totals, pop, value, se, note)
        for d, value, se, note in results
    ]


def _expected_levels(spec: SurveySpec, by: str) -> list[str]:
    if by in QUINTILE_BREAKDOWNS:
        return QUINTILE_LEVELS
    if by == "all":
        return ["all"]
    domain = next(d for d in spec.domains if d.column == by)
    return list(domain.codes)


def row(
    indicator: str,
    program: str,
    line: str,
    by: str,
    totals: Summed,
    pop: float,
    value: float,
    se: float,
    note: str,
) -> Row:
    """Return one estimate's row (its line's value is filled in later)."""
    # Python numbers, not NumPy's: the rows are written out as they are (JSON too).
    estimate, error = float(value), float(se)
    return {
        "indicator": indicator,
        "program": program,
        "poverty_line": line,
        "poverty_line_value": np.nan,
        "by": by,
        "level": totals.level,
        "estimate": estimate,
        "se": error,
        "ci_low": estimate - NORMAL_95 * error,
        "ci_high": estimate + NORMAL_95 * error,
        "n_obs": int(totals.n_obs),
        "pop": float(pop),
        "note": note,
    }


def incidence_keys(spec: SurveySpec) -> list[tuple[str, str]]:
    """The incidence estimates asked for: (indicator, program or area)."""
    wanted = [name for name in INCIDENCE if name in spec.indicators]
    return [(name, unit) for name in wanted for unit in spec.units()]


def incidence_columns(spec: SurveySpec) -> list[str]:
    """The score columns that the incidence shares and their levels' rows read."""
    return ["one", *(f"{INCIDENCE[name]}:{unit}" for name, unit in incidence_keys(spec))]


def incidence(
    spec: SurveySpec, by: str, levels: dict[str, LevelTotals], index: DesignIndex
) -> list[Row]:
    """Share of beneficiaries (or transfers) in each quintile: Y_q / sum_k Y_k, one ratio each."""
    keys = incidence_keys(spec)
    if not keys or not levels:
        return []
    first = next(iter(levels.values()))
    positions = [first.columns.index(f"{INCIDENCE[name]}:{unit}") for name, unit in keys]
    whole = np.zeros((index.size, len(positions)))
    for held in levels.values():
        whole += held.psu_totals[:, positions]
    grand = whole.sum(axis=0)
    rows: list[Row] = []
    # Each level's scores in one work array, written over by the next level's: a new array
    # for each step of (part - share x whole) / grand was three per level, each PSUs x units.
    scores = np.empty_like(whole)
    for level in QUINTILE_LEVELS:
        totals = levels.get(level)
        part = totals.psu_totals[:, positions] if totals else np.zeros_like(whole)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = part.sum(axis=0) / grand
            np.multiply(share, whole, out=scores)
            np.subtract(part, scores, out=scores)
            np.divide(scores, grand, out=scores)
        ses = np.sqrt(np.maximum(variance(np.nan_to_num(scores, copy=False), index.design), 0.0))
        rows.extend(incidence_rows(keys, by, level, totals, share, ses, grand))
    return rows


def incidence_rows(
    keys: list[tuple[str, str]],
    by: str,
    level: str,
    totals: Summed | None,
    share: FloatArray,
    ses: FloatArray,
    grand: FloatArray,
) -> list[Row]:
    """Return one quintile's incidence rows, one per key (missing where nobody benefits)."""
    shown = totals or LevelTotals(level, 0, [], np.zeros((0, 0)))
    pop = totals.total("one") if totals else 0.0
    rows: list[Row] = []
    for number, ((name, unit), value, se) in enumerate(zip(keys, share, ses, strict=True)):
        defined = grand[number] != 0
        rows.append(
            row(
                name,
                unit,
                "",
                by,
                shown,
                pop,
                float(value) if defined else np.nan,
                float(se) if defined else np.nan,
                "" if defined else "undefined: no beneficiaries (zero denominator)",
            )
        )
    return rows
