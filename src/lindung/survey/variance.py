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
    "Piece",
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

    def block(self, first: int, end: int) -> PsuDesign | Piece:
        """Return the design of PSUs ``first`` to ``end`` (exclusive): of the whole strata
        they are (:meth:`within`), or the :class:`Piece` of one stratum they lie in."""
        n, starts, _root = self._layout
        if not len(self.stratum[first:end]):
            return self.within(first, end)
        low = int(self.stratum[first])
        high = int(self.stratum[end - 1])
        stratum_end = int(starts[high + 1]) if high + 1 < len(n) else len(self.stratum)
        if starts[low] == first and stratum_end == end:
            return self.within(first, end)
        # Blocks are whole strata or a piece of one (:func:`strata_blocks`).
        assert low == high
        return Piece(low, int(n[low]), float(self._scale(n)[low]))

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


@dataclass(frozen=True)
class Piece:
    """A block that is part of one stratum (a stratum of more PSUs than a block holds): which
    stratum, its number of sampled PSUs n_h and its s_h."""

    stratum: int
    size: int
    scale: float


def strata_blocks(design: PsuDesign, most: int) -> list[tuple[int, int]]:
    """Return the PSU ranges (first, end) of blocks of at most ``most`` PSUs, in order: whole
    strata where they fit, and a stratum of more PSUs in pieces of its own
    (:meth:`PsuDesign.block`)."""
    n, starts, _root = design._layout
    size = int(n.sum())
    if size == 0:
        return [(0, 0)]
    most = max(most, 1)
    edges = np.append(starts, size)
    blocks: list[tuple[int, int]] = []
    first = 0
    while first < size:
        # The end of the stratum that holds ``first``.
        stratum_end = int(edges[np.searchsorted(edges, first, side="right")])
        if first not in starts or stratum_end - first > most:
            # Inside a stratum, or at the start of one longer than a block: a piece of it.
            end = min(first + most, stratum_end)
        else:
            # The last stratum start within reach: whole strata.
            end = int(edges[int(np.searchsorted(edges, first + most, side="right")) - 1])
        blocks.append((first, end))
        first = end
    return blocks


@dataclass
class _Part:
    """A part of one stratum's PSU totals: how many PSUs, their mean, and the sums of squares
    and products of their deviations from it (columns x columns)."""

    count: int
    mean: FloatArray
    squares: FloatArray

    def joined(self, other: _Part) -> _Part:
        """Return the two parts as one (Chan, Golub and LeVeque's pairwise update: the
        deviations stay centred, with no difference of large sums)."""
        count = self.count + other.count
        step = other.mean - self.mean
        mean = self.mean + step * (other.count / count)
        squares = self.squares + other.squares
        squares += np.outer(step, step) * (self.count * other.count / count)
        return _Part(count, mean, squares)


@dataclass
class Moments:
    """One domain level's design moments, added up over blocks of strata: the column sums of
    its PSU totals, the design covariance V of their column totals (V is a sum over strata, so
    blocks of strata add up to it), the persons in it, and which columns have a PSU total that
    is not finite (left out of V, as :func:`linearised_variances`'s caller leaves them).

    A stratum cut into pieces (:class:`Piece`) adds to V once its parts are joined: s_h times
    the squares of its PSUs' deviations from the stratum's mean (PSUs of a piece where the
    level has no one are zero: :meth:`finish` adds them). Its mean is kept (:attr:`means`)
    for the estimates whose variance is summed again from their own scores."""

    columns: int
    n_obs: int = 0
    sums: FloatArray = field(init=False)
    covariance: FloatArray = field(init=False)
    broken: BoolArray = field(init=False)
    parts: dict[int, tuple[Piece, _Part]] = field(default_factory=dict)
    means: dict[int, FloatArray] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.sums = np.zeros(self.columns)
        self.covariance = np.zeros((self.columns, self.columns))
        self.broken = np.zeros(self.columns, dtype=bool)

    def add(self, totals: FloatArray, design: PsuDesign | Piece, n_obs: int) -> None:
        """Add one block's PSU totals (PSUs x columns, column-major; changed in place, and
        lost) under its strata's ``design``, or as a piece of one stratum."""
        sums = totals.sum(axis=0)
        self.sums += sums
        self.n_obs += n_obs
        suspect = ~np.isfinite(sums)
        if suspect.any():
            broken = np.zeros(self.columns, dtype=bool)
            broken[suspect] = ~np.isfinite(totals[:, suspect]).all(axis=0)
            self.broken |= broken
            totals[:, broken] = 0.0
            sums[broken] = 0.0
        if isinstance(design, PsuDesign):
            scaled = design.scaled_deviations(totals, in_place=True)
            self.covariance += scaled.T @ scaled
            return
        count = len(totals)
        mean = sums / count
        totals -= mean
        self._join(design, _Part(count, mean, totals.T @ totals))

    def _join(self, piece: Piece, part: _Part) -> None:
        held = self.parts.get(piece.stratum)
        joined = part if held is None else held[1].joined(part)
        if joined.count < piece.size:
            self.parts[piece.stratum] = (piece, joined)
            return
        self.parts.pop(piece.stratum, None)
        self.covariance += joined.squares * piece.scale
        self.means[piece.stratum] = joined.mean

    def merged(self, other: Moments) -> None:
        """Add another block's moments of the same level (blocks in order)."""
        self.sums += other.sums
        self.n_obs += other.n_obs
        self.covariance += other.covariance
        self.broken |= other.broken
        self.means.update(other.means)
        for piece, part in other.parts.values():
            self._join(piece, part)

    def finish(self) -> None:
        """Join to each stratum still in parts its PSUs where the level has no one (zero
        totals), once every block is added."""
        for piece, part in list(self.parts.values()):
            zeros = np.zeros(self.columns)
            self._join(piece, _Part(piece.size - part.count, zeros, np.zeros_like(part.squares)))

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
