"""Design-based variance from PSU totals: stratified, with replacement at the first stage.

Pure NumPy. The input is a matrix of PSU totals of weighted scores (one row per PSU of the whole
design, zero where a PSU has no one in the domain, as R's ``svyby`` keeps the full design). The
estimator is R survey's ``svyrecvar`` for one stage (Lumley 2010, sec. 2.2; ``survey:::onestrat``):

    v = sum_h  s_h * sum_i (u_hi - mean_h(u))^2,   s_h = f_h * n_h / (n_h - 1),
    f_h = (N_h - n_h) / N_h with an fpc (N_h PSUs in the population), else 1.

A stratum with one PSU (a lonely PSU) follows ``options(survey.lonely.psu)``: ``adjust`` keeps
the PSU's uncentred score (the scores of a mean or ratio sum to zero, so this centres it at the
grand mean) with s_h = f_h; ``remove`` and ``certainty`` give it no variance; ``fail`` is an error
raised when the design is built. A stratum with f_h < 1e-7 (every PSU sampled) adds nothing.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal

import numpy as np
import numpy.typing as npt

__all__ = [
    "NORMAL_95",
    "Moments",
    "PsuDesign",
    "linearised_variances",
    "quadratic_forms",
    "score_squares",
    "scratch",
    "strata_blocks",
    "variance",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

_SCRATCH = threading.local()


def scratch(name: str, rows: int, columns: int) -> FloatArray:
    """Return a column-major rows x columns array that this thread reuses under ``name``
    (its values are left from the last use).

    A domain level's PSU totals are large (PSUs x score columns, 29 MB on 1.2 million
    persons); allocated afresh for every level, in two threads at once, the pages that the
    system maps and unmaps for them cost more than the arithmetic. The memory is freed with
    the thread.
    """
    size = rows * columns
    held: FloatArray | None = getattr(_SCRATCH, name, None)
    if held is None or held.size < size:
        held = np.empty(size)
        setattr(_SCRATCH, name, held)
    return held[:size].reshape((rows, columns), order="F")


GATHERED_PSUS = 4096
"""Up to this many PSUs, a level's deviations are taken over the whole matrix at once."""

NORMAL_95 = 1.959963984540054
"""The 0.975 quantile of the standard normal: half-width of a 95% normal interval in SEs."""


@dataclass(frozen=True)
class PsuDesign:
    """The first stage of a design: PSUs in stratum order, with each stratum's size and fpc.

    ``stratum`` gives each PSU's stratum index (non-decreasing); ``population`` is N_h, the
    number of PSUs in the stratum's population (``inf`` without an fpc).
    """

    stratum: IntArray
    population: FloatArray
    lonely_psu: Literal["adjust", "remove", "certainty", "fail"] = "adjust"

    @property
    def n_psu(self) -> IntArray:
        """Sampled PSUs per stratum (n_h)."""
        return self._layout[0]

    @property
    def lonely_strata(self) -> int:
        """How many strata have a single sampled PSU."""
        return int((self.n_psu == 1).sum())

    @cached_property
    def _layout(self) -> tuple[IntArray, IntArray, FloatArray]:
        """n_h, each stratum's first PSU, and each PSU's sqrt(s_h): the same for every
        domain level's variances, so found once per design."""
        n = np.bincount(self.stratum, minlength=len(self.population)).astype(np.int64)
        starts = np.concatenate(([0], np.cumsum(n)[:-1])).astype(np.int64)
        return n, starts, np.repeat(np.sqrt(self._scale(n)), n)

    def _scale(self, sampled: IntArray) -> FloatArray:
        n = sampled.astype(np.float64)
        with np.errstate(divide="ignore", invalid="ignore"):
            f = np.where(np.isinf(self.population), 1.0, (self.population - n) / self.population)
            scale = np.where(n > 1, f * n / np.maximum(n - 1, 1), f)
        scale = np.where(f < 1e-7, 0.0, scale)
        if self.lonely_psu in ("remove", "certainty"):
            scale = np.where(n == 1, 0.0, scale)
        return scale

    def within(self, first: int, end: int) -> PsuDesign:
        """Return the design of PSUs ``first`` to ``end`` (exclusive), whole strata: the same
        n_h, f_h and centres for each of them as in the whole design."""
        stratum = self.stratum[first:end]
        if not len(stratum):
            return PsuDesign(stratum, self.population[:0], self.lonely_psu)
        low = int(stratum[0])
        high = int(stratum[-1]) + 1
        return PsuDesign(stratum - low, self.population[low:high], self.lonely_psu)

    def scaled_deviations(self, totals: FloatArray, *, in_place: bool = False) -> FloatArray:
        """Return scores minus their stratum mean, times sqrt(s_h): v = column sums of squares
        (with ``in_place``, in ``totals`` itself, whose values are then lost)."""
        n, starts, root = self._layout
        sums = np.add.reduceat(totals, starts, axis=0)
        means = sums / n[:, None]
        centre = np.where((n == 1)[:, None], 0.0, means)
        scaled: FloatArray = totals if in_place else np.array(totals, dtype=np.float64, order="F")
        if scaled.shape[0] <= GATHERED_PSUS:
            # Few PSUs: the whole matrix at once (the same subtraction and product for each
            # value), where a loop over the columns would cost more in calls than in work.
            scaled -= np.repeat(centre, n, axis=0)
            scaled *= root[:, None]
            return scaled
        # Column by column in a column-major copy, each stratum's centre repeated over its
        # PSUs (they are contiguous): a quarter of the time of one subtraction of a gathered
        # PSUs x columns matrix of centres.
        for column in range(scaled.shape[1]):
            values = scaled[:, column]
            values -= np.repeat(centre[:, column], n)
            values *= root
        return scaled


def strata_blocks(design: PsuDesign, most: int) -> list[tuple[int, int]]:
    """Return the PSU ranges (first, end) of blocks of whole strata, each of at most ``most``
    PSUs unless one stratum alone has more (it is then a block of its own), in order."""
    n, starts, _root = design._layout
    size = int(n.sum())
    if size == 0:
        return [(0, 0)]
    edges = np.append(starts, size)
    blocks: list[tuple[int, int]] = []
    first = 0
    while first < size:
        # The last stratum start within reach, or the next one if the first stratum alone
        # is past it.
        reach = int(np.searchsorted(edges, first + max(most, 1), side="right")) - 1
        end = int(edges[reach])
        if end <= first:
            end = int(edges[np.searchsorted(edges, first, side="right")])
        blocks.append((first, end))
        first = end
    return blocks


@dataclass
class Moments:
    """One domain level's design moments, added up over blocks of whole strata: the column
    sums of its PSU totals, the design covariance V of their column totals (V is a sum over
    strata, so blocks of strata add up to it), the persons in it, and which columns have a
    PSU total that is not finite (left out of V, as :func:`linearised_variances`'s caller
    leaves them)."""

    columns: int
    n_obs: int = 0
    sums: FloatArray = field(init=False)
    covariance: FloatArray = field(init=False)
    broken: BoolArray = field(init=False)

    def __post_init__(self) -> None:
        self.sums = np.zeros(self.columns)
        self.covariance = np.zeros((self.columns, self.columns))
        self.broken = np.zeros(self.columns, dtype=bool)

    def add(self, totals: FloatArray, design: PsuDesign, n_obs: int) -> None:
        """Add one block's PSU totals (PSUs x columns, column-major; scaled in place, and
        lost) under its strata's ``design``."""
        sums = totals.sum(axis=0)
        self.sums += sums
        self.n_obs += n_obs
        suspect = ~np.isfinite(sums)
        if suspect.any():
            broken = np.zeros(self.columns, dtype=bool)
            broken[suspect] = ~np.isfinite(totals[:, suspect]).all(axis=0)
            self.broken |= broken
            totals[:, broken] = 0.0
        scaled = design.scaled_deviations(totals, in_place=True)
        self.covariance += scaled.T @ scaled

    def merged(self, other: Moments) -> None:
        """Add another block's moments of the same level."""
        self.sums += other.sums
        self.n_obs += other.n_obs
        self.covariance += other.covariance
        self.broken |= other.broken

    @property
    def clean_covariance(self) -> FloatArray:
        """V with the broken columns' rows and columns zero (a block before a column broke
        added to them)."""
        if not self.broken.any():
            return self.covariance
        clean = self.covariance.copy()
        clean[self.broken, :] = 0.0
        clean[:, self.broken] = 0.0
        return clean


def quadratic_forms(covariance: FloatArray, gradients: FloatArray) -> tuple[FloatArray, IntArray]:
    """Return g' V g for each row g of ``gradients``, and the rows where it is a small
    difference of large terms (below :data:`CANCELLATION` of g'|V|g), whose variance is to
    be recomputed from the estimate's own PSU scores."""
    found: FloatArray = ((gradients @ covariance) * gradients).sum(axis=1)
    magnitude = np.abs(gradients)
    size: FloatArray = ((magnitude @ np.abs(covariance)) * magnitude).sum(axis=1)
    # Where every term is 0 (no gradient, or no spread), g'Vg is exactly 0 already.
    cancelled: IntArray = np.flatnonzero((found <= CANCELLATION * size) & (size > 0))
    return found, cancelled


def score_squares(scaled: FloatArray, gradient: FloatArray) -> float:
    """Return the sum of squares of one estimate's PSU scores from scaled PSU totals: its
    variance (or a block of strata's share of it), each product rounded on its own (no fused
    multiply-add, as in BLAS), so that scores that cancel in theory, such as d g - d g, cancel
    exactly."""
    used = np.flatnonzero(gradient)
    scores = (scaled[:, used] * gradient[used]).sum(axis=1)
    return float(scores @ scores)


def variance(scores: FloatArray, design: PsuDesign) -> FloatArray:
    """Return the design variance of each column total of ``scores`` (PSUs x estimates)."""
    scaled = design.scaled_deviations(scores)
    squares: FloatArray = (scaled * scaled).sum(axis=0)
    return squares


CANCELLATION = 1e-6
"""Below this share of its terms' magnitude, g'Vg is recomputed from the PSU scores."""


def linearised_variances(
    totals: FloatArray, gradients: FloatArray, design: PsuDesign, *, in_place: bool = False
) -> FloatArray:
    """Return the design variance of each linearised estimate: g' V g for each row g of
    ``gradients`` (estimates x columns), V the design covariance of the column totals of
    ``totals`` (PSUs x columns).

    V is formed once (columns x columns), so a thousand estimates cost little more than one.
    Where g'Vg is a small difference of large terms (below :data:`CANCELLATION` of
    g'|V|g, as when every person in a domain is a beneficiary and the SE is zero in theory),
    that variance is recomputed from the estimate's own PSU scores, each product rounded on
    its own, so that scores which cancel in theory cancel exactly. With ``in_place``, the
    totals (column-major) are scaled where they are, and lost: no copy of PSUs x columns.
    """
    scaled = design.scaled_deviations(totals, in_place=in_place)
    found, cancelled = quadratic_forms(scaled.T @ scaled, gradients)
    for estimate in cancelled:
        found[estimate] = score_squares(scaled, gradients[estimate])
    return found
