"""Progress to targets: ESCAP's current status and anticipated progress indices, and the
Open SDG / Statistics Canada growth-rate method.

Both take one time series (years and values) and a ``Goal``; every outcome, including the edge
cases (one data point, a zero base, a sign change, a target already met), is a ``Progress``
with a status and a reason, never an exception. The reason is an English sentence and, beside
it, a stable code and the numbers it names (``REASON_CODES``), so that a page can say the same
in its reader's language and number format (``lindung.i18n.reasons``).
``docs/methodology/progress.md`` gives the formulas and their sources.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import Literal, TypedDict, cast

import numpy as np
from numpy.typing import NDArray

from lindung.jsontypes import JSONObject
from lindung.text import shown_number

Method = Literal["escap", "opensdg"]

#: Open SDG thresholds (sdg-build ProgressMeasure.py): with a target, on the ratio R of observed
#: to required growth; without one, on the observed compound annual growth rate.
OPENSDG_TARGET_THRESHOLDS = {"high": 0.95, "med": 0.6, "low": 0.0}
OPENSDG_TREND_THRESHOLDS = {"high": 0.015, "med": 0.005, "low": 0.0}
#: Exponent of Open SDG's scaling factor C for indicators near a natural limit.
OPENSDG_LIMIT_EXPONENT = 4.44
#: Open SDG replaces a zero base or target by this value (an exponential model cannot start at 0).
OPENSDG_ZERO_REPLACEMENT = 0.001

#: The codes of ``Progress.reason_code``, each with the names of its ``reason_args``. Open SDG's
#: reasons may add ``notes``: a list of "target_zero" and "base_zero" (replaced by 0.001).
REASON_CODES: dict[str, tuple[str, ...]] = {
    "no_data": (),
    "no_base_value": ("base_year",),
    "target_met": ("value", "year", "target"),
    "sign_change": ("base", "current"),
    "one_point": ("base_year",),
    "trend": ("cagr", "base_year"),
    "trend_near_limit": ("cagr", "base_year", "coefficient", "limit"),
    "target_year_not_after_base": ("target_year", "base_year"),
    "base_equals_target": (),
    "growth_ratio": ("observed", "required", "base_year", "target_year", "ratio"),
    "neutral_polarity": (),
    "value_out_of_bounds": ("value", "year", "low", "high"),
    "escap_no_target": (),
    "escap_one_point": ("base_year",),
    "escap_base_met": ("target",),
    "escap_indices": (
        "csi",
        "base_value",
        "base_year",
        "target",
        "current_year",
        "expected_to_date",
        "trend_from",
        "trend_value",
        "anticipated",
        "target_year",
        "api",
        "status",
    ),
    # ESCAP's selection criterion failed (``progress_table.escap_selection``, in words).
    "escap_selection": (),
}


@dataclass(frozen=True)
class Goal:
    """What a series is assessed against: the desired direction, a target and its years.

    ``direction`` is +1 when higher is better and -1 when lower is better; ``target`` is None
    when the framework sets no numeric target; ``target_ratio`` sets it relative to the base
    value instead (0.5: "reduce by half", SDG 1.2); ``limit`` is Open SDG's natural limit in
    the desired direction (e.g. 100); ``bounds`` is the range the indicator's values can take
    (None: unbounded on that side), which ESCAP's anticipated value is held within.
    """

    direction: int
    target: float | None
    target_year: int = 2030
    base_year: int = 2015
    limit: float | None = None
    target_ratio: float | None = None
    bounds: tuple[float | None, float | None] = (None, None)

    def resolved(self, base_value: float) -> Goal:
        """Return the goal with a relative target turned into a value for this base value."""
        if self.target is not None or self.target_ratio is None:
            return self
        return replace(self, target=base_value * self.target_ratio)


class ProgressFields(TypedDict):
    """The fields of a ``Progress``, as a row carries them."""

    method: str
    status: str
    reason: str
    base_year: int | None
    base_value: float | None
    current_year: int | None
    current_value: float | None
    target: float | None
    target_year: int | None
    progress_value: float | None
    anticipated_value: float | None
    anticipated_index: float | None
    score: float | None
    reason_code: str
    reason_args: JSONObject


class _Known(TypedDict, total=False):
    """What an assessment knows so far, before its status (``Progress`` keywords)."""

    method: str
    base_year: int | None
    base_value: float | None
    current_year: int | None
    current_value: float | None
    target: float | None
    target_year: int | None


@dataclass(frozen=True)
class Progress:
    """The outcome of one assessment: a status, the reason in words (English) and as a code
    with its numbers (``REASON_CODES``), and the numbers behind it."""

    method: str
    status: str
    reason: str
    base_year: int | None = None
    base_value: float | None = None
    current_year: int | None = None
    current_value: float | None = None
    target: float | None = None
    target_year: int | None = None
    progress_value: float | None = None
    anticipated_value: float | None = None
    anticipated_index: float | None = None
    score: float | None = None
    reason_code: str = ""
    reason_args: JSONObject = field(default_factory=dict)

    def as_dict(self) -> ProgressFields:
        """Return the fields as a plain dict (the JSON row of ``lindung assess progress``)."""
        return cast(ProgressFields, asdict(self))


def _clean(years: Sequence[int], values: Sequence[float]) -> list[tuple[int, float]]:
    points = {
        int(y): float(v)
        for y, v in zip(years, values, strict=True)
        if v is not None and math.isfinite(v)
    }
    return sorted(points.items())


def _base_point(points: list[tuple[int, float]], base_year: int) -> tuple[int, float] | None:
    """The value in the base year, else the first one after it (Open SDG's rule, used by both)."""
    later = [point for point in points if point[0] >= base_year]
    return later[0] if later else None


def _anchor(
    points: list[tuple[int, float]], goal: Goal, common: _Known, *, missing: str
) -> Progress | tuple[Goal, tuple[int, float], tuple[int, float]]:
    """The goal resolved against the base value, the base point and the current point (also
    recorded in ``common``); or, when either point is missing, the Progress with status
    ``missing`` that says which."""
    if not points:
        return Progress(status=missing, reason="no data", reason_code="no_data", **common)
    current = points[-1]
    common["current_year"], common["current_value"] = current
    base = _base_point(points, goal.base_year)
    if base is None:
        return Progress(
            status=missing,
            reason=f"no value in or after the base year {goal.base_year}",
            reason_code="no_base_value",
            reason_args={"base_year": goal.base_year},
            **common,
        )
    resolved = goal.resolved(base[1])
    common["base_year"], common["base_value"] = base
    common["target"] = resolved.target
    return resolved, base, current


def _met(value: float, goal: Goal) -> bool:
    assert goal.target is not None
    return value >= goal.target if goal.direction > 0 else value <= goal.target


def _cagr(current: float, base: float, years: float) -> float:
    return float((current / base) ** (1.0 / years) - 1.0)


def opensdg_progress(years: Sequence[int], values: Sequence[float], goal: Goal) -> Progress:
    """Return the Open SDG status: R = s·d·CAGR_observed / |CAGR_required| against 0.95/0.6/0
    with a target, s·d·CAGR_observed against 1.5%/0.5%/0 (times C near a limit) without one.

    Source: open-sdg/sdg-build ``sdg/ProgressMeasure.py`` (SeriesProgress) and open-sdg
    ``docs/progress-methodology.md``.
    """
    points = _clean(years, values)
    common: _Known = {
        "method": "opensdg",
        "target": goal.target,
        "target_year": goal.target_year,
    }
    anchored = _anchor(points, goal, common, missing="not_available")
    if isinstance(anchored, Progress):
        return anchored
    goal, (base_year, base_value), (current_year, current_value) = anchored
    target = goal.target
    notes: list[str] = []
    noted: list[str] = []
    if target == 0:
        target = OPENSDG_ZERO_REPLACEMENT
        notes.append("target 0 replaced by 0.001")
        noted.append("target_zero")
    achieved = target is not None and _met(current_value, Goal(goal.direction, target))
    if achieved:
        return Progress(
            status="target_achieved",
            reason=f"{shown_number(current_value)} in {current_year} meets the target "
            f"{shown_number(goal.target or 0.0)}",
            reason_code="target_met",
            reason_args={"value": current_value, "year": current_year, "target": goal.target},
            score=5.0,
            **common,
        )
    if base_value == 0:
        base_value = OPENSDG_ZERO_REPLACEMENT
        notes.append("base value 0 replaced by 0.001")
        noted.append("base_zero")
    if (base_value > 0 > current_value) or (base_value < 0 < current_value):
        return Progress(
            status="not_available",
            reason=f"base {shown_number(base_value)} and current "
            f"{shown_number(current_value)} differ in sign; "
            "a growth rate is undefined",
            reason_code="sign_change",
            reason_args={"base": base_value, "current": current_value},
            **common,
        )
    if current_year - base_year < 1:
        return Progress(
            status="not_available",
            reason=f"one data point since the base year {goal.base_year}; two are needed",
            reason_code="one_point",
            reason_args={"base_year": goal.base_year},
            **common,
        )
    sign = -1 if base_value < 0 else 1
    observed = _cagr(current_value, base_value, current_year - base_year)
    if target is None:
        thresholds, coefficient = _trend_thresholds(base_value, goal)
        value = sign * goal.direction * observed
        status = _status(value, thresholds)
        reason = f"CAGR {observed:.4%} per year since {base_year} (no target)"
        code = "trend"
        args: JSONObject = {"cagr": observed, "base_year": base_year}
        if goal.limit is not None:
            reason += (
                f"; thresholds scaled by C = {coefficient:.3f} for the limit "
                f"{shown_number(goal.limit)}"
            )
            code = "trend_near_limit"
            args.update(coefficient=coefficient, limit=goal.limit)
        score = _trend_score(value, thresholds, coefficient)
    elif goal.target_year <= base_year:
        return Progress(
            status="not_available",
            reason=_target_year_reason(goal.target_year, base_year),
            reason_code="target_year_not_after_base",
            reason_args={"target_year": goal.target_year, "base_year": base_year},
            **common,
        )
    else:
        required = _cagr(target, base_value, goal.target_year - base_year)
        if required == 0:
            return Progress(
                status="not_available",
                reason="the base value equals the target: the required growth is 0 and R is "
                "undefined",
                reason_code="base_equals_target",
                **common,
            )
        value = sign * goal.direction * observed / abs(required)
        status = _status(value, OPENSDG_TARGET_THRESHOLDS)
        reason = (
            f"observed CAGR {observed:.4%} vs required {required:.4%} per year "
            f"({base_year}-{goal.target_year}): R = {value:.3f}"
        )
        code = "growth_ratio"
        args = {
            "observed": observed,
            "required": required,
            "base_year": base_year,
            "target_year": goal.target_year,
            "ratio": value,
        }
        score = _target_score(value)
    if notes:
        reason += "; " + "; ".join(notes)
        args["notes"] = noted
    return Progress(
        status=status,
        reason=reason,
        reason_code=code,
        reason_args=args,
        progress_value=value,
        score=score,
        **common,
    )


def _target_year_reason(target_year: int, base_year: int) -> str:
    return (
        f"the target year {target_year} is not after the base year {base_year}; "
        "give a later --target-year or an earlier --base-year"
    )


def _trend_thresholds(base_value: float, goal: Goal) -> tuple[dict[str, float], float]:
    """Open SDG's thresholds without a target, reduced by C = 1 - (y0/ylim)^4.44 near a limit."""
    coefficient = 1.0
    if goal.limit is not None:
        base, limit = abs(base_value), abs(goal.limit)
        if base >= 2 * limit:
            coefficient = 1.0
        elif base <= limit:
            coefficient = 1 - (base / limit) ** OPENSDG_LIMIT_EXPONENT
        else:
            coefficient = 1 - ((2 * limit - base) / limit) ** OPENSDG_LIMIT_EXPONENT
    return {k: v * coefficient for k, v in OPENSDG_TREND_THRESHOLDS.items()}, coefficient


def _status(value: float, thresholds: dict[str, float]) -> str:
    if value >= thresholds["high"]:
        return "substantial_progress"
    if value >= thresholds["med"]:
        return "moderate_progress"
    if value >= thresholds["low"]:
        return "limited_progress"
    return "deterioration"


def _trend_score(value: float, thresholds: dict[str, float], coefficient: float) -> float:
    """Open SDG's score in [-5, 5] for a series without a target (piecewise linear in CAGR)."""
    if value < thresholds["low"]:
        return max(125 * value - 2.5, -5.0)
    if coefficient == 0:
        return 5.0
    if value >= thresholds["high"]:
        return min(500 * value / coefficient - 5, 5.0)
    if value >= thresholds["med"]:
        return 250 * value / coefficient - 1.25
    return 500 * value / coefficient - 2.5


def _target_score(value: float) -> float:
    """Open SDG's score in [-5, 5] for a series with a target (piecewise linear in R)."""
    if value >= OPENSDG_TARGET_THRESHOLDS["med"]:
        return min(7.1429 * value - 4.2857, 5.0)
    return max(4.1667 * value - 2.5, -5.0)


def status_from_score(score: float | None, all_achieved: bool) -> str:
    """Return Open SDG's aggregate status for a mean score (bands of 2.5 from -5 to 5)."""
    if all_achieved:
        return "target_achieved"
    if score is None:
        return "not_available"
    if score >= 2.5:
        return "substantial_progress"
    if score >= 0:
        return "moderate_progress"
    if score >= -2.5:
        return "limited_progress"
    return "deterioration"


def time_weights(years: Sequence[int]) -> NDArray[np.float64]:
    """Return the regression weights w_t = t - t_first + 1: recent years weigh more."""
    array = np.asarray(years, dtype=np.float64)
    weights: NDArray[np.float64] = array - array.min() + 1.0
    return weights


def anticipated_value(years: Sequence[int], values: Sequence[float], year: int) -> float:
    """Return the value expected in ``year`` from a time-weighted least-squares line."""
    x = np.asarray(years, dtype=float)
    y = np.asarray(values, dtype=float)
    w = time_weights(years)
    x_mean = float(np.sum(w * x) / np.sum(w))
    y_mean = float(np.sum(w * y) / np.sum(w))
    slope = float(np.sum(w * (x - x_mean) * (y - y_mean)) / np.sum(w * (x - x_mean) ** 2))
    return y_mean + slope * (year - x_mean)


def bounded(value: float, bounds: tuple[float | None, float | None]) -> float:
    """Return ``value`` held within ``bounds`` (low, high; None leaves that side open)."""
    low, high = bounds
    if low is not None and value < low:
        return low
    if high is not None and value > high:
        return high
    return value


def _out_of_bounds(
    years: Sequence[int], values: Sequence[float], bounds: tuple[float | None, float | None]
) -> tuple[int, float] | None:
    """Return the first (year, value) outside ``bounds``, or None when every value is within."""
    low, high = bounds
    for year, value in sorted(zip(years, values, strict=True)):
        if value is None or not math.isfinite(value):
            continue
        if (low is not None and value < low) or (high is not None and value > high):
            return int(year), float(value)
    return None


def _bound(bound: float | None) -> str:
    return "unbounded" if bound is None else shown_number(bound)


def _held(trend_value: float, expected: float) -> str:
    if expected == trend_value:
        return f"{shown_number(expected)}"
    return f"{shown_number(trend_value)}, held at the indicator's bound {shown_number(expected)}"


def escap_progress(years: Sequence[int], values: Sequence[float], goal: Goal) -> Progress:
    """Return ESCAP's indices: CSI = (I_now - I_base) / (TV - I_base) and
    API = (Î_target_year - I_base) / (TV - I_base), Î from a time-weighted linear trend of the
    values from the base year on, held within the indicator's bounds (``Goal.bounds``: a
    poverty rate is not extrapolated below 0 %).

    Status from the anticipated progress index, in ESCAP's dashboard categories:
    maintain_progress (API >= 1), accelerate_progress (0 < API < 1), reverse_trend (API <= 0);
    target_achieved when the current value already meets TV. The CSI is set beside the
    progress expected to date, (t_now - t_base) / (t_target - t_base). Indicators without a
    numeric target are not assessed, as ESCAP excludes them. Source: ESCAP, "Progress
    Assessment Methodology", technical notes of the Asia and the Pacific SDG Progress Report.
    """
    points = _clean(years, values)
    common: _Known = {
        "method": "escap",
        "target": goal.target,
        "target_year": goal.target_year,
    }
    if goal.target is None and goal.target_ratio is None:
        return Progress(
            status="no_target",
            reason="ESCAP assesses only indicators for which a quantitative target can be set",
            reason_code="escap_no_target",
            **common,
        )
    anchored = _anchor(points, goal, common, missing="insufficient_data")
    if isinstance(anchored, Progress):
        return anchored
    goal, (base_year, base_value), (current_year, current_value) = anchored
    assert goal.target is not None
    if _met(current_value, goal):
        return Progress(
            status="target_achieved",
            reason=f"{shown_number(current_value)} in {current_year} meets the target "
            f"{shown_number(goal.target)}",
            reason_code="target_met",
            reason_args={"value": current_value, "year": current_year, "target": goal.target},
            **common,
        )
    # ESCAP measures progress since its base year, so the trend starts there too.
    trend = [point for point in points if point[0] >= base_year]
    if len(trend) < 2:
        return Progress(
            status="insufficient_data",
            reason=f"one data point since the base year {goal.base_year}; ESCAP needs two or more",
            reason_code="escap_one_point",
            reason_args={"base_year": goal.base_year},
            **common,
        )
    if goal.target_year <= base_year:
        return Progress(
            status="not_assessed",
            reason=_target_year_reason(goal.target_year, base_year),
            reason_code="target_year_not_after_base",
            reason_args={"target_year": goal.target_year, "base_year": base_year},
            **common,
        )
    needed = goal.target - base_value
    if needed == 0:
        return Progress(
            status="reverse_trend",
            reason=f"the base value met the target {shown_number(goal.target)}; the current "
            "value no longer does",
            reason_code="escap_base_met",
            reason_args={"target": goal.target},
            **common,
        )
    csi = (current_value - base_value) / needed
    trend_value = anticipated_value([p[0] for p in trend], [p[1] for p in trend], goal.target_year)
    expected = bounded(trend_value, goal.bounds)
    api = (expected - base_value) / needed
    if api >= 1:
        status, words = "maintain_progress", "maintain progress to achieve the target"
    elif api > 0:
        status, words = "accelerate_progress", "accelerate progress to achieve the target"
    else:
        status, words = "reverse_trend", "reverse the trend to achieve the target"
    expected_to_date = (current_year - base_year) / (goal.target_year - base_year)
    reason = (
        f"CSI {csi:.3f} of the way from {shown_number(base_value)} ({base_year}) to "
        f"{shown_number(goal.target)} "
        f"(expected by {current_year}: {expected_to_date:.3f}); trend {trend[0][0]}-"
        f"{current_year} gives {_held(trend_value, expected)} in {goal.target_year}, "
        f"API {api:.3f}: {words}"
    )
    return Progress(
        status=status,
        reason=reason,
        reason_code="escap_indices",
        reason_args={
            "csi": csi,
            "base_value": base_value,
            "base_year": base_year,
            "target": goal.target,
            "current_year": current_year,
            "expected_to_date": expected_to_date,
            "trend_from": trend[0][0],
            "trend_value": trend_value,
            "anticipated": expected,
            "target_year": goal.target_year,
            "api": api,
            "status": status,
        },
        progress_value=csi,
        anticipated_value=expected,
        anticipated_index=api,
        **common,
    )


def assess_series(
    years: Sequence[int], values: Sequence[float], goal: Goal, method: Method
) -> Progress:
    """Return the progress of one series by ``method`` ('escap' or 'opensdg'); not assessed
    when a value lies outside the range the indicator's values can take (``Goal.bounds``: a
    percentage of -50 or 1e300 was stored by mistake, and no progress can be judged from it)."""
    outside = _out_of_bounds(years, values, goal.bounds)
    if outside is not None:
        year, value = outside
        low, high = goal.bounds
        return Progress(
            method=method,
            status="not_assessed",
            reason=(
                f"{shown_number(value)} in {year} is outside the range the indicator's values take "
                f"({_bound(low)} to {_bound(high)}); correct the submission that holds it"
            ),
            reason_code="value_out_of_bounds",
            reason_args={"value": value, "year": year, "low": low, "high": high},
        )
    if method == "escap":
        return escap_progress(years, values, goal)
    return opensdg_progress(years, values, goal)
