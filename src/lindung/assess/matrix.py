"""The vulnerable-groups matrix: groups x life dimensions; each cell lists its indicators with
the latest value, year and progress status, and says in one line where protection stands.

Indicators come from the framework (their ``groups`` and ``life_dimension``); an indicator
without a group concerns the whole population and sits in the row ``ALL``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from lindung.assess.keys import DIMENSIONS

GROUPS: tuple[str, ...] = (
    "ALL",
    "CHILDREN",
    "OLDER",
    "DISABLED",
    "WOMEN",
    "POOR",
    "UNEMPLOYED",
    "MOTHERS_NEWBORN",
    "INFORMAL",
    "MIGRANT",
)
LIFE_DIMENSIONS: tuple[str, ...] = ("income_security", "health", "education", "care", "employment")
FAVOURABLE = {"target_achieved", "substantial_progress", "maintain_progress"}
INTERMEDIATE = {"moderate_progress", "accelerate_progress"}
UNFAVOURABLE = {"deterioration", "reverse_trend", "limited_progress"}


@dataclass(frozen=True)
class MatrixIndicator:
    """An indicator as the matrix needs it: code, name, groups and life dimension."""

    code: str
    name: str
    groups: tuple[str, ...]
    life_dimension: str | None


@dataclass(frozen=True)
class Latest:
    """The latest value of an indicator for the area, and its progress status."""

    value: float
    year: int
    unit: str
    status: str | None


def vulnerable_groups_matrix(
    indicators: Sequence[MatrixIndicator],
    latest: Mapping[str, Latest],
    *,
    ref_area: str,
    groups: Sequence[str] = GROUPS,
    dimensions: Sequence[str] = LIFE_DIMENSIONS,
) -> list[dict[str, Any]]:
    """Return one row per group and life dimension with its indicators and a summary."""
    rows: list[dict[str, Any]] = []
    for group in groups:
        for dimension in dimensions:
            members = [
                indicator
                for indicator in indicators
                if indicator.life_dimension == dimension
                and (group in indicator.groups or (group == "ALL" and not indicator.groups))
            ]
            entries = [_entry(indicator, latest.get(indicator.code)) for indicator in members]
            rows.append(
                {
                    "ref_area": ref_area,
                    "group": group,
                    "life_dimension": dimension,
                    "indicators": entries,
                    "summary": _summary(members, latest),
                }
            )
    return rows


def _entry(indicator: MatrixIndicator, found: Latest | None) -> dict[str, Any]:
    if found is None:
        return {"series": indicator.code, "value": None, "year": None, "status": "no_data"}
    return {
        "series": indicator.code,
        "value": found.value,
        "year": found.year,
        "unit": found.unit,
        "status": found.status or "not_assessed",
    }


def _summary(members: Sequence[MatrixIndicator], latest: Mapping[str, Latest]) -> str:
    if not members:
        return "no indicator in the framework"
    with_data = [latest[m.code] for m in members if m.code in latest]
    if not with_data:
        return f"{len(members)} indicator(s), none with data: a data gap"
    statuses = [item.status or "not_assessed" for item in with_data]
    good = sum(status in FAVOURABLE for status in statuses)
    bad = sum(status in UNFAVOURABLE for status in statuses)
    newest = max(item.year for item in with_data)
    parts = [f"{len(with_data)} of {len(members)} indicator(s) with data (latest {newest})"]
    if good:
        parts.append(f"{good} on track or achieved")
    if bad:
        parts.append(f"{bad} limited, deteriorating or regressing")
    middle = sum(status in INTERMEDIATE for status in statuses)
    if middle:
        parts.append(f"{middle} moderate or to accelerate")
    rest = len(statuses) - good - bad - middle
    if rest:
        parts.append(f"{rest} without a progress assessment")
    return "; ".join(parts)


def latest_values(frame: pd.DataFrame, progress: Sequence[Mapping[str, Any]]) -> dict[str, Latest]:
    """Return per series the latest total value of ``frame`` (one area) with its progress
    status from ``progress`` (rows of ``progress_rows``)."""
    statuses = {
        str(row["series"]): row.get("status")
        for row in progress
        if all(row[name] == "_T" for name in DIMENSIONS)
    }
    latest: dict[str, Latest] = {}
    if frame.empty:
        return latest
    totals = frame[(frame[list(DIMENSIONS)] == "_T").all(axis=1)]
    for code, part in totals.groupby("series"):
        newest = part.sort_values("time_period").iloc[-1]
        latest[str(code)] = Latest(
            float(newest["value"]),
            int(newest["time_period"]),
            str(newest["unit"]),
            statuses.get(str(code)),
        )
    return latest
