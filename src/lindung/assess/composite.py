"""A composite index following the JRC/OECD Handbook on Constructing Composite Indicators
(OECD 2008): normalise, weight, aggregate, handle missing values by a stated rule, then an
uncertainty analysis (Monte Carlo over those choices) that gives each country a rank interval,
and a decomposition of each score into its indicators.

Normalisation (every result oriented so that higher is better):
  minmax     (x - min) / (max - min)                      Handbook section 5, eq. (min-max)
  zscore     (x - mean) / sd  (sd with n - 1)             standardisation
  goalposts  (x - low) / (high - low), clipped to [0, 1]  distance to fixed reference values
  rank       rank / n  (ties share their mean rank)       ranking
Weights: equal; per pillar (each pillar equal, split equally within it); custom.
Aggregation: arithmetic sum(w x) / sum(w); geometric prod(x^w)^(1/sum w), on 1 + 99 x so that
no value is zero (z-scores cannot be aggregated geometrically).
Missing values: ``available`` (reweight over the indicators a country has, no score below
``min_coverage`` of the weight), ``mean`` (the indicator's mean), ``exclude`` (drop the country).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from typing import TypedDict

import numpy as np
import pandas as pd

from lindung.assess.headline import headline
from lindung.errors import AssessmentError, UsageError

NORMALISATIONS = ("minmax", "zscore", "goalposts", "rank")
WEIGHTINGS = ("equal", "pillar", "custom")
AGGREGATIONS = ("arithmetic", "geometric")
MISSING_RULES = ("available", "mean", "exclude")


@dataclass(frozen=True)
class CompositeIndicator:
    """An indicator of the index: its code, desired direction (+1/-1) and pillar."""

    code: str
    direction: int
    pillar: str


@dataclass(frozen=True)
class Choices:
    """Every choice that makes the index; ``describe`` states them in words."""

    normalisation: str = "minmax"
    weighting: str = "equal"
    aggregation: str = "arithmetic"
    missing: str = "available"
    min_coverage: float = 0.5
    custom_weights: Mapping[str, float] = field(default_factory=dict)
    goalposts: Mapping[str, tuple[float, float]] = field(default_factory=dict)

    def describe(self) -> str:
        """Return the choices as one sentence for the output."""
        return (
            f"normalisation {self.normalisation}; weights {self.weighting}; aggregation "
            f"{self.aggregation}; missing values: {self.missing}"
            + (
                f" (score needs {self.min_coverage:.0%} of the weight)"
                if self.missing == "available"
                else ""
            )
        )


def latest_matrix(
    frame: pd.DataFrame, codes: Sequence[str], *, year: int | None, window: int
) -> pd.DataFrame:
    """Return countries x indicators: each country's latest headline value within ``window``
    years up to ``year`` (default: the latest year in ``frame``); missing stays missing."""
    if frame.empty:
        return pd.DataFrame(columns=list(codes))
    totals = headline(frame)
    last = year if year is not None else int(totals["time_period"].max())
    recent = totals[(totals["time_period"] > last - window) & (totals["time_period"] <= last)]
    latest = recent.sort_values("time_period").groupby(["ref_area", "series"])["value"].last()
    if latest.empty:
        return pd.DataFrame(columns=list(codes))
    return latest.unstack("series").reindex(columns=list(codes)).astype(float)


def check_choices(choices: Choices, indicators: Sequence[CompositeIndicator]) -> None:
    """Raise UsageError naming the option (the CLI's flag) whose value cannot make an index."""
    for option, value, allowed in (
        ("--normalisation", choices.normalisation, NORMALISATIONS),
        ("--weighting", choices.weighting, WEIGHTINGS),
        ("--aggregation", choices.aggregation, AGGREGATIONS),
        ("--missing", choices.missing, MISSING_RULES),
    ):
        if value not in allowed:
            raise UsageError(f"{option} {value!r} is not known; use one of {', '.join(allowed)}")
    if choices.aggregation == "geometric" and choices.normalisation == "zscore":
        raise UsageError(
            "--aggregation geometric with --normalisation zscore: z-scores are negative for "
            "half the countries and cannot be aggregated geometrically; use --normalisation "
            "minmax, goalposts or rank"
        )
    codes = {i.code for i in indicators}
    if choices.normalisation == "goalposts" and set(choices.goalposts) != codes:
        missing = sorted(codes - set(choices.goalposts))
        raise UsageError(
            "--normalisation goalposts needs a --goalpost SERIES=LOW:HIGH for every indicator; "
            f"missing for {', '.join(missing)}"
        )
    if choices.weighting == "custom" and set(choices.custom_weights) != codes:
        missing = sorted(codes - set(choices.custom_weights))
        raise UsageError(
            "--weighting custom needs a --weight SERIES=W for every indicator; missing for "
            f"{', '.join(missing)}"
        )


def normalise(
    matrix: pd.DataFrame, indicators: Sequence[CompositeIndicator], choices: Choices
) -> pd.DataFrame:
    """Return the countries x indicators matrix normalised, higher always better."""
    columns = {}
    for indicator in indicators:
        x = matrix[indicator.code].astype(float) * indicator.direction
        method = choices.normalisation
        if method == "minmax":
            spread = x.max() - x.min()
            columns[indicator.code] = (x - x.min()) / spread if spread > 0 else x * 0 + 0.5
        elif method == "zscore":
            sd = x.std(ddof=1)
            columns[indicator.code] = (x - x.mean()) / sd if sd > 0 else x * 0
        elif method == "goalposts":
            low, high = choices.goalposts[indicator.code]
            if indicator.direction < 0:
                low, high = -high, -low
            columns[indicator.code] = ((x - low) / (high - low)).clip(0, 1)
        else:
            columns[indicator.code] = x.rank(method="average") / x.notna().sum()
    return pd.DataFrame(columns, index=matrix.index)


def weights(indicators: Sequence[CompositeIndicator], choices: Choices) -> pd.Series:
    """Return the nominal weights, summing to 1."""
    codes = [i.code for i in indicators]
    if choices.weighting == "equal":
        raw = pd.Series(1.0, index=codes)
    elif choices.weighting == "pillar":
        pillars = pd.Series({i.code: i.pillar for i in indicators})
        sizes = pillars.map(pillars.value_counts())
        raw = 1.0 / (sizes * pillars.nunique())
    else:
        raw = pd.Series({code: float(choices.custom_weights[code]) for code in codes})
    return raw / raw.sum()


def aggregate(
    normalised: pd.DataFrame, weight: pd.Series, choices: Choices
) -> tuple[pd.Series, pd.DataFrame]:
    """Return the scores and each indicator's contribution (arithmetic: w x / sum w; geometric:
    w ln(1 + 99 x) / sum w, which adds up to the log of the score)."""
    values = 1 + 99 * normalised if choices.aggregation == "geometric" else normalised
    present = values.notna()
    weight_present = present.mul(weight, axis=1)
    total = weight_present.sum(axis=1)
    if choices.aggregation == "geometric":
        logs = values.apply(np.log)
        parts = logs.mul(weight, axis=1).div(total, axis=0)
        scores = parts.sum(axis=1, min_count=1).apply(np.exp)
    else:
        parts = values.mul(weight, axis=1).div(total, axis=0)
        scores = parts.sum(axis=1, min_count=1)
    scores[total < choices.min_coverage - 1e-12] = np.nan
    return scores, parts


def _fill(matrix: pd.DataFrame, choices: Choices) -> pd.DataFrame:
    if choices.missing == "mean":
        return matrix.fillna(matrix.mean())
    if choices.missing == "exclude":
        return matrix.dropna()
    return matrix


def score(
    matrix: pd.DataFrame, indicators: Sequence[CompositeIndicator], choices: Choices
) -> tuple[pd.Series, pd.DataFrame]:
    """Return scores and contributions for one set of choices."""
    filled = _fill(matrix, choices)
    if choices.missing != "available":
        choices = replace(choices, min_coverage=0.0)
    return aggregate(normalise(filled, indicators, choices), weights(indicators, choices), choices)


def _ranks(scores: pd.Series) -> pd.Series:
    return scores.rank(ascending=False, method="min")


class CompositeScore(TypedDict):
    """One country's composite score, rank and rank interval, and its score's decomposition;
    a country without values in the window has no score (and says why in ``choices``)."""

    ref_area: str
    score: float | None
    rank: int | None
    rank_median: float | None
    rank_low: float | None
    rank_high: float | None
    indicators_used: int
    contributions: dict[str, float]
    choices: str


def composite_index(
    matrix: pd.DataFrame,
    indicators: Sequence[CompositeIndicator],
    choices: Choices,
    *,
    draws: int = 1000,
    seed: int = 20130901,
) -> list[CompositeScore]:
    """Return per country the score, rank, rank interval (5th-95th percentile over ``draws``
    Monte Carlo draws of normalisation, aggregation, missing-value rule and weights each
    scaled by U(0.5, 1.5)) and the decomposition of its score."""
    check_choices(choices, indicators)
    if matrix.empty:
        raise AssessmentError("no values for the chosen indicators; widen --year or the series")
    nominal, parts = score(matrix, indicators, choices)
    rank = _ranks(nominal)
    rng = np.random.default_rng(seed)
    normalisations = ["minmax", "zscore", "rank"] + (["goalposts"] if choices.goalposts else [])
    drawn = []
    for _ in range(draws):
        norm = str(rng.choice(normalisations))
        aggregation = "arithmetic" if norm == "zscore" else str(rng.choice(AGGREGATIONS))
        base = weights(indicators, choices)
        perturbed = base * rng.uniform(0.5, 1.5, size=len(base))
        variant = replace(
            choices,
            normalisation=norm,
            aggregation=aggregation,
            missing=str(rng.choice(["available", "mean"])),
            weighting="custom",
            custom_weights=dict(perturbed),
        )
        drawn.append(_ranks(score(matrix, indicators, variant)[0]).reindex(matrix.index))
    ranks = pd.concat(drawn, axis=1)
    rows: list[CompositeScore] = []
    for area in matrix.index:
        row_ranks = ranks.loc[area].dropna()
        has_score = area in nominal.index and not np.isnan(nominal[area])
        rows.append(
            CompositeScore(
                ref_area=str(area),
                score=float(nominal[area]) if has_score else None,
                rank=int(rank[area]) if has_score else None,
                rank_median=float(row_ranks.median()) if len(row_ranks) else None,
                rank_low=float(row_ranks.quantile(0.05)) if len(row_ranks) else None,
                rank_high=float(row_ranks.quantile(0.95)) if len(row_ranks) else None,
                indicators_used=int(matrix.loc[area].notna().sum()),
                contributions={
                    str(code): round(float(value), 6)
                    for code, value in (parts.loc[area].items() if area in parts.index else [])
                    if not np.isnan(value)
                },
                choices=choices.describe() + f"; uncertainty: {draws} Monte Carlo draws",
            )
        )
    return sorted(rows, key=lambda r: (r["rank"] is None, r["rank"] or 0, r["ref_area"]))
