"""The performance indicators as functions of weighted totals, with their linearisation.

Each indicator is a smooth function of totals of per-person scores (the columns of
:func:`score_columns`). Its value and gradient over those totals give the estimate and, with the
PSU totals of the scores, each PSU's linearised score u = X g, whose design variance is the
estimate's (Binder 1983; Lumley 2010, sec. 2.4). The Gini uses the linearisation of
Langel & Tillé (2013, sec. 5): with persons in the domain sorted by welfare, N_k and C_k the
weight and the weighted welfare at or below y_k,

    G = sum_k w_k D_k / (N Y),  D_k = N_k y_k - C_k = sum_{j: y_j < y_k} w_j (y_k - y_j),
    z_k = [2 D_k + Y - N y_k - G (Y + N y_k)] / (N Y),

which equals the trapezoid Lorenz formula exactly, ties included.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from lindung.survey.scores import Below, BelowAny, Column, Gap, One, Product, Score
from lindung.survey.spec import SurveySpec
from lindung.survey.totals import DeclaredScores, LevelTotals, Summed
from lindung.survey.variance import (
    FloatArray,
    Moments,
    PsuDesign,
    linearised_variances,
    quadratic_forms,
)

__all__ = [
    "GINI_INDICATORS",
    "Definition",
    "definitions",
    "evaluate",
    "evaluate_moments",
    "ranked_inputs",
    "score_columns",
]

GINI_INDICATORS = {"gini", "gini_reduction"}
POVERTY_INDICATORS = {
    "poverty_headcount",
    "poverty_gap",
    "poverty_headcount_reduction",
    "poverty_gap_reduction",
    "benefit_cost_ratio",
}


def score_columns(spec: SurveySpec, lines: dict[str, float]) -> list[DeclaredScores]:
    """Return the per-person scores whose PSU totals the requested indicators need, in two
    groups: the plain ones, and the poverty scores (headcount and gap before and after
    transfers), summed only over the households below the highest line before some transfer,
    the others' poverty scores being zero. The Gini's sorted sums, D_k, come from
    :mod:`lindung.survey.gini`."""
    wanted = set(spec.indicators)
    units = spec.units()
    poverty = bool(wanted & POVERTY_INDICATORS)
    gini = bool(wanted & GINI_INDICATORS)
    welfare_columns = {"post": "_y", **{unit: f"_ypre_{unit}" for unit in units}}

    plain: dict[str, Score] = {"one": One(), "y": Column("_y")}
    for unit in units:
        plain[f"B:{unit}"] = Column(f"_B_{unit}")
        plain[f"T:{unit}"] = Column(f"_T_{unit}")
        plain[f"yB:{unit}"] = Product("_y", f"_B_{unit}")
        if gini:
            plain[f"ypre:{unit}"] = Column(f"_ypre_{unit}")
    poor: dict[str, Score] = {}
    for code, z in lines.items():
        for name, column in welfare_columns.items():
            poor[f"poor:{name}:{code}"] = Below(column, z)
            # At a line of 0 the absolute gap max(0, z - y) is 0 for everyone (so the
            # benefit-cost ratio is defined), but the relative gap is 0/0: its estimates are
            # undefined (see definitions), and no score divides by zero.
            poor[f"fgt1:{name}:{code}"] = Gap(column, z)
    inputs = ["_y", *(f"_{kind}_{unit}" for unit in units for kind in ("B", "T", "ypre"))]
    groups = [DeclaredScores(plain, inputs)]
    if poverty and lines:
        # Only the households below the highest line before some transfer can score.
        below_a_line = BelowAny(tuple(welfare_columns.values()), max(lines.values()))
        groups.append(DeclaredScores(poor, list(welfare_columns.values()), below_a_line))
    return groups


def ranked_inputs(columns: list[str]) -> list[str]:
    """Return the plain score columns that the Gini estimates use besides their own."""
    return [c for c in columns if c in ("one", "y") or c.startswith("ypre:")]


@dataclass(frozen=True)
class Definition:
    """One estimate per domain level: which indicator, program and line, and how to compute it."""

    indicator: str
    program: str
    poverty_line: str
    compute: Callable[[Summed], tuple[float, FloatArray, str]]


def definitions(spec: SurveySpec, lines: dict[str, float]) -> list[Definition]:
    """Return the level-wise estimates the spec asks for (incidence is computed across levels)."""
    wanted = set(spec.indicators)
    units = spec.units()
    found: list[Definition] = []

    def add(indicator: str, program: str, line: str, compute: _Compute) -> None:
        if indicator in wanted:
            found.append(Definition(indicator, program, line, compute))

    for unit in units:
        add("coverage", unit, "", _ratio(f"B:{unit}", "one", "no population"))
        add("adequacy", unit, "", _ratio(f"T:{unit}", f"yB:{unit}", "no beneficiaries"))
    for code, z in lines.items():
        add("poverty_headcount", "", code, _ratio(f"poor:post:{code}", "one", "no population"))
        gap = _ratio(f"fgt1:post:{code}", "one", "no population")
        add("poverty_gap", "", code, gap if z > 0 else _undefined(_zero_line(code)))
        for unit in units:
            add(
                "poverty_headcount_reduction",
                unit,
                code,
                _reduction(f"poor:{unit}:{code}", f"poor:post:{code}", "no one poor before"),
            )
            reduction = _reduction(
                f"fgt1:{unit}:{code}", f"fgt1:post:{code}", "no poverty gap before"
            )
            add(
                "poverty_gap_reduction",
                unit,
                code,
                reduction if z > 0 else _undefined(_zero_line(code)),
            )
    add("gini", "", "", _gini("post", "y"))
    for unit in units:
        add("gini_reduction", unit, "", _gini_reduction(unit))
    for code, z in lines.items():
        for unit in units:
            add("benefit_cost_ratio", unit, code, _benefit_cost(unit, code, z))
    return found


_Compute = Callable[[Summed], tuple[float, FloatArray, str]]
_NAN = float("nan")


def _zero_line(code: str) -> str:
    return f"undefined: poverty line {code!r} is 0 (the poverty gap divides by the line)"


def _undefined(reason: str) -> _Compute:
    """An estimate that is undefined at every level, for ``reason``."""

    def compute(totals: Summed) -> tuple[float, FloatArray, str]:
        return _NAN, np.zeros(len(totals.columns)), reason

    return compute


def _unit_vector(totals: Summed, column: str) -> FloatArray:
    vector = np.zeros(len(totals.columns))
    vector[totals.columns.index(column)] = 1.0
    return vector


def _ratio(numerator: str, denominator: str, empty: str) -> _Compute:
    """R = Y / X; gradient (e_Y - R e_X) / X."""

    def compute(totals: Summed) -> tuple[float, FloatArray, str]:
        y, x = totals.total(numerator), totals.total(denominator)
        if x == 0:
            return _NAN, np.zeros(len(totals.columns)), f"undefined: {empty} (zero denominator)"
        value = y / x
        gradient = (_unit_vector(totals, numerator) - value * _unit_vector(totals, denominator)) / x
        return value, gradient, ""

    return compute


def _reduction(before: str, after: str, empty: str) -> _Compute:
    """(P_pre - P_post) / P_pre = 1 - A / B; gradient A/B^2 e_B - e_A / B."""

    def compute(totals: Summed) -> tuple[float, FloatArray, str]:
        b, a = totals.total(before), totals.total(after)
        if b == 0:
            return _NAN, np.zeros(len(totals.columns)), f"undefined: {empty} (zero denominator)"
        gradient = a / b**2 * _unit_vector(totals, before) - _unit_vector(totals, after) / b
        return 1 - a / b, gradient, ""

    return compute


def _benefit_cost(unit: str, line: str, z: float) -> _Compute:
    """(gap_pre - gap_post) / transfers with absolute gaps max(0, z - y) = z * FGT1 scores."""
    before, after, spent = f"fgt1:{unit}:{line}", f"fgt1:post:{line}", f"T:{unit}"

    def compute(totals: Summed) -> tuple[float, FloatArray, str]:
        c = totals.total(spent)
        if c == 0:
            return _NAN, np.zeros(len(totals.columns)), "undefined: no transfers (zero denominator)"
        value = z * (totals.total(before) - totals.total(after)) / c
        gradient = z * (
            _unit_vector(totals, before) - _unit_vector(totals, after)
        ) / c - value / c * _unit_vector(totals, spent)
        return value, gradient, ""

    return compute


def gini_value(totals: Summed, welfare: str, level_sum: str) -> tuple[float, FloatArray]:
    """Return G = sum w D / (N Y) and its gradient (Langel & Tillé 2013, sec. 5)."""
    n, y, d = totals.total("one"), totals.total(level_sum), totals.total(f"D:{welfare}")
    if n == 0 or y == 0:
        return _NAN, np.zeros(len(totals.columns))
    g = d / (n * y)
    gradient = (
        2 * _unit_vector(totals, f"D:{welfare}")
        + y * (1 - g) * _unit_vector(totals, "one")
        - n * (1 + g) * _unit_vector(totals, level_sum)
    ) / (n * y)
    return g, gradient


def _gini(welfare: str, level_sum: str) -> _Compute:
    def compute(totals: Summed) -> tuple[float, FloatArray, str]:
        g, gradient = gini_value(totals, welfare, level_sum)
        return g, gradient, "" if np.isfinite(g) else "undefined: zero total welfare"

    return compute


def _gini_reduction(unit: str) -> _Compute:
    """(G_pre - G_post) / G_pre; gradient G_post/G_pre^2 g_pre - g_post/G_pre."""

    def compute(totals: Summed) -> tuple[float, FloatArray, str]:
        post, post_gradient = gini_value(totals, "post", "y")
        pre, pre_gradient = gini_value(totals, unit, f"ypre:{unit}")
        if not np.isfinite(pre) or pre == 0 or not np.isfinite(post):
            return _NAN, np.zeros(len(totals.columns)), "undefined: pre-transfer Gini is zero"
        gradient = post / pre**2 * pre_gradient - post_gradient / pre
        return 1 - post / pre, gradient, ""

    return compute


def evaluate(
    defs: list[Definition], totals: LevelTotals, design: PsuDesign, *, consume: bool = False
) -> list[tuple[Definition, float, float, str]]:
    """Return (definition, estimate, standard error, note) for every definition at one level.

    The variances are g' V g with V the design covariance of the level's score totals
    (:func:`~lindung.survey.variance.linearised_variances`). With ``consume``, the level's
    PSU totals are scaled in place for it and are not to be read again (its sums are kept).
    """
    results = [d.compute(totals) for d in defs]
    if not results:
        return []
    gradients = np.vstack([gradient for _, gradient, _ in results])
    # A score total that is not finite belongs to the estimates that use it: it is left out of
    # the covariance, so that it cannot turn every other estimate's SE into NaN.
    # A column whose total is finite has no value that is not (NaN and infinities carry into
    # the sum): only the others are looked through.
    broken = ~np.isfinite(totals.sums)
    if broken.any():
        broken[broken] = ~np.isfinite(totals.psu_totals[:, broken]).all(axis=0)
    scores = np.where(broken, 0.0, totals.psu_totals) if broken.any() else totals.psu_totals
    tainted = (gradients[:, broken] != 0).any(axis=1)
    variances = linearised_variances(
        scores, np.where(broken, 0.0, gradients), design, in_place=consume
    )
    return _found(defs, results, variances, tainted)


def evaluate_moments(
    defs: list[Definition], totals: Summed, moments: Moments
) -> tuple[list[tuple[Definition, float, float, str]], list[tuple[int, FloatArray]]]:
    """Return what :func:`evaluate` returns from a level's column totals and design moments
    added up a block of strata at a time, and (position, gradient) of each estimate whose
    g'Vg is a small difference of large terms: its variance is to be recomputed from its own
    PSU scores (:func:`~lindung.survey.variance.score_squares`), block by block, and its SE
    (here missing) set from that."""
    results = [d.compute(totals) for d in defs]
    if not results:
        return [], []
    given = np.vstack([gradient for _, gradient, _ in results])
    tainted = (given[:, moments.broken] != 0).any(axis=1)
    gradients = np.where(moments.broken, 0.0, given)
    variances, cancelled = quadratic_forms(moments.clean_covariance, gradients)
    found = _found(defs, results, variances, tainted)
    redo = [(int(i), gradients[i]) for i in cancelled if np.isfinite(found[i][1])]
    for i, _gradient in redo:
        d, value, _, note = found[i]
        found[i] = (d, value, _NAN, note)
    return found, redo


def _found(
    defs: list[Definition],
    results: list[tuple[float, FloatArray, str]],
    variances: FloatArray,
    tainted: npt.NDArray[np.bool_],
) -> list[tuple[Definition, float, float, str]]:
    """Return (definition, estimate, SE, note) for each estimate: missing where its value is
    not finite or it reads a score total that is not."""
    found = []
    for d, (value, _, note), var, bad in zip(defs, results, variances, tainted, strict=True):
        if np.isfinite(value) and not bad:
            found.append((d, value, float(np.sqrt(max(var, 0.0))), note))
        else:
            found.append((d, _NAN, _NAN, note or "undefined: not a finite number"))
    return found
