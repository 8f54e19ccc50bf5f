"""The vulnerable-groups matrix: groups x life dimensions; each cell lists its indicators with
the latest value, year and progress status, and says in one line where protection stands:
in English (``summary``) and as a code with its counts (``summary_code``, ``summary_args``:
``SUMMARY_CODES``) for a page to say in its reader's language (``lindung.i18n.reasons``).

Indicators come from the framework (their ``groups`` and ``life_dimension``); an indicator
without a group concerns the whole population and sits in the row ``ALL``. The row ``WOMEN``
also shows the female value of every indicator disaggregated by sex.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NotRequired, TypedDict, get_args

import pandas as pd

from lindung.assess.headline import HEADLINE_AGES, headline
from lindung.framework import Catalogue
from lindung.framework.models import LifeDimension
from lindung.keys import DIMENSIONS
from lindung.text import counted

if TYPE_CHECKING:
    from lindung.assess.progress_table import ProgressRow

#: The row of indicators that concern the whole population (no vulnerable group).
WHOLE_POPULATION = "ALL"
FAVOURABLE = {"target_achieved", "substantial_progress", "maintain_progress"}
INTERMEDIATE = {"moderate_progress", "accelerate_progress"}
UNFAVOURABLE = {"deterioration", "reverse_trend", "limited_progress"}
#: The codes of a cell's ``summary_code``, each with the names of its ``summary_args``.
SUMMARY_CODES: dict[str, tuple[str, ...]] = {
    "no_indicator": (),
    "data_gap": ("indicators",),
    "with_data": (
        "with_data",
        "indicators",
        "latest",
        "favourable",
        "unfavourable",
        "intermediate",
        "unassessed",
    ),
}


@dataclass(frozen=True)
class MatrixIndicator:
    """An indicator as the matrix needs it: code, name, groups and life dimension."""

    code: str
    name: str
    groups: tuple[str, ...]
    life_dimension: str | None
    by_sex: bool = False


@dataclass(frozen=True)
class Latest:
    """The latest value of an indicator for the area, and its progress status."""

    value: float
    year: int
    unit: str
    status: str | None


Key = tuple[str, str]  # (series, sex): "_T" for the total, "F" for women


class MatrixEntry(TypedDict):
    """One indicator in a cell: its latest value, year and unit, and its status (``no_data``
    without a value, and then no unit)."""

    series: str
    sex: str
    value: float | None
    year: int | None
    unit: NotRequired[str]
    status: str


class MatrixCell(TypedDict):
    """One group and life dimension of an area: its indicators and a summary in words."""

    ref_area: str
    group: str
    life_dimension: str
    indicators: list[MatrixEntry]
    summary: str
    summary_code: str
    summary_args: dict[str, int]


def matrix_axes(catalogue: Catalogue) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return the matrix's rows and columns from the catalogue: ``ALL`` then every code of
    the ``group`` codelist, in the catalogue's order; the life dimensions it defines."""
    groups = tuple(entry.code for entry in catalogue.codelist("group").codes)
    return (WHOLE_POPULATION, *groups), get_args(LifeDimension)


def matrix_indicators(catalogue: Catalogue, codes: Sequence[str]) -> list[MatrixIndicator]:
    """Return the catalogue's indicators among ``codes`` as the matrix needs them."""
    return [
        MatrixIndicator(
            i.code, i.name.en, tuple(i.groups), i.life_dimension, "SEX" in i.disaggregations
        )
        for i in catalogue.indicators
        if i.code in codes
    ]


def vulnerable_groups_matrix(
    indicators: Sequence[MatrixIndicator],
    latest: Mapping[Key, Latest],
    *,
    ref_area: str,
    groups: Sequence[str],
    dimensions: Sequence[str],
) -> list[MatrixCell]:
    """Return one row per group and life dimension with its indicators and a summary
    (``groups`` and ``dimensions`` as ``matrix_axes`` gives them)."""
    rows: list[MatrixCell] = []
    for group in groups:
        for dimension in dimensions:
            members: list[tuple[MatrixIndicator, Key]] = [
                (indicator, (indicator.code, "_T"))
                for indicator in indicators
                if indicator.life_dimension == dimension
                and (
                    group in indicator.groups
                    or (group == WHOLE_POPULATION and not indicator.groups)
                )
            ]
            if group == "WOMEN":
                members += [
                    (indicator, (indicator.code, "F"))
                    for indicator in indicators
                    if indicator.life_dimension == dimension
                    and indicator.by_sex
                    and "WOMEN" not in indicator.groups
                ]
            entries = [_entry(key, latest.get(key)) for _, key in members]
            code, args = _summary(members, latest)
            rows.append(
                MatrixCell(
                    ref_area=ref_area,
                    group=group,
                    life_dimension=dimension,
                    indicators=entries,
                    summary=_summary_words(code, args),
                    summary_code=code,
                    summary_args=args,
                )
            )
    return rows


def _entry(key: Key, found: Latest | None) -> MatrixEntry:
    if found is None:
        return MatrixEntry(series=key[0], sex=key[1], value=None, year=None, status="no_data")
    return MatrixEntry(
        series=key[0],
        sex=key[1],
        value=found.value,
        year=found.year,
        unit=found.unit,
        status=found.status or "not_assessed",
    )


def _summary(
    members: Sequence[tuple[MatrixIndicator, Key]], latest: Mapping[Key, Latest]
) -> tuple[str, dict[str, int]]:
    """Return the code of a cell's summary and its counts (``SUMMARY_CODES``)."""
    if not members:
        return "no_indicator", {}
    with_data = [latest[key] for _, key in members if key in latest]
    if not with_data:
        return "data_gap", {"indicators": len(members)}
    statuses = [item.status or "not_assessed" for item in with_data]
    good = sum(status in FAVOURABLE for status in statuses)
    bad = sum(status in UNFAVOURABLE for status in statuses)
    middle = sum(status in INTERMEDIATE for status in statuses)
    return "with_data", {
        "with_data": len(with_data),
        "indicators": len(members),
        "latest": max(item.year for item in with_data),
        "favourable": good,
        "unfavourable": bad,
        "intermediate": middle,
        "unassessed": len(statuses) - good - bad - middle,
    }


def _summary_words(code: str, args: Mapping[str, int]) -> str:
    """Return a cell's summary in English, from its code and counts."""
    if code == "no_indicator":
        return "no indicator in the framework"
    if code == "data_gap":
        return f"{counted(args['indicators'], 'indicator')}, none with data: a data gap"
    parts = [
        f"{args['with_data']} of {counted(args['indicators'], 'indicator')} with data "
        f"(latest {args['latest']})"
    ]
    if args["favourable"]:
        parts.append(f"{args['favourable']} on track or achieved")
    if args["unfavourable"]:
        parts.append(f"{args['unfavourable']} limited, deteriorating or regressing")
    if args["intermediate"]:
        parts.append(f"{args['intermediate']} moderate or to accelerate")
    if args["unassessed"]:
        parts.append(f"{args['unassessed']} without a progress assessment")
    return "; ".join(parts)


def latest_values(frame: pd.DataFrame, progress: Sequence[ProgressRow]) -> dict[Key, Latest]:
    """Return per (series, sex) the latest value of ``frame`` (one area) that is a total in
    every other dimension, for both sexes and women, with its status from ``progress``."""
    others = [name for name in DIMENSIONS if name not in ("sex", "age")]
    statuses: dict[Key, str | None] = {
        (row["series"], row["sex"]): row["status"]
        for row in progress
        if all(dict(row)[name] == "_T" for name in others) and row["age"] in ("_T", *HEADLINE_AGES)
    }
    latest: dict[Key, Latest] = {}
    if frame.empty:
        return latest
    chosen = headline(frame, keep=("sex",))
    chosen = chosen[chosen["sex"].isin(["_T", "F"])]
    for (code, sex), part in chosen.groupby(["series", "sex"]):
        newest = part.sort_values("time_period").iloc[-1]
        key = (str(code), str(sex))
        latest[key] = Latest(
            float(newest["value"]),
            int(newest["time_period"]),
            str(newest["unit"]),
            statuses.get(key),
        )
    return latest
