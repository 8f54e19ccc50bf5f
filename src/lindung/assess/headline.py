"""The headline rows of a series: totals in every dimension ("_T"), or the age group that
stands for the total where a series has none."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import pandas as pd

from lindung.keys import DIMENSIONS

#: Age groups taken as a series' total when it is published only by age (SI_POV_EMP1, the
#: working poor, exists for 15+ but not for all ages).
HEADLINE_AGES: tuple[str, ...] = ("Y_GE15",)

#: The series an overview of ASEAN shows first (the command line's demo, the web's home page).
OVERVIEW_SERIES: tuple[str, ...] = ("SI_COV_BENFTS", "SI_COV_SOCAST", "SI_COV_PENSN", "SI_POV_DAY1")

__all__ = ["HEADLINE_AGES", "OVERVIEW_SERIES", "headline", "latest_by_area"]


def headline(frame: pd.DataFrame, *, keep: tuple[str, ...] = ()) -> pd.DataFrame:
    """Return the rows that are totals in every dimension (except those in ``keep``); for a
    series without such rows, those of the age group in ``HEADLINE_AGES`` instead."""
    if frame.empty:
        return frame
    others = [name for name in DIMENSIONS if name not in keep]
    total = (frame[others] == "_T").all(axis=1)
    without_age = [name for name in others if name != "age"]
    by_age = (frame[without_age] == "_T").all(axis=1) & frame["age"].isin(HEADLINE_AGES)
    has_total = frame["series"].map(frame[total].groupby("series").size()).fillna(0) > 0
    return frame[total | (by_age & ~has_total)]


def latest_by_area(rows: Iterable[Mapping[str, Any]]) -> dict[tuple[str, str], Mapping[str, Any]]:
    """Return the most recent row per (series, ref_area)."""
    latest: dict[tuple[str, str], Mapping[str, Any]] = {}
    for row in rows:
        key = (row["series"], row["ref_area"])
        if key not in latest or row["time_period"] > latest[key]["time_period"]:
            latest[key] = row
    return latest
