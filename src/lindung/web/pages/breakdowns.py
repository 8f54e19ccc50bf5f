"""One indicator as its page shows it: the breakdowns the framework defines for it, the published
values of the breakdown chosen, and each member state's progress on them.

A breakdown is one code in each of some of the indicator's dimensions (``sex=F``) and the
total in every other (``pages.assessment.selection_of``). Only published values are read, for
everyone; the numbers are the store's, judged by ``lindung.assess`` as ``lindung assess`` does.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from lindung.assess.aggregates import Aggregate, aggregate_table, regions
from lindung.assess.availability import Tier
from lindung.assess.progress_table import ProgressRow, progress_rows
from lindung.assess.selection import tier_rows
from lindung.errors import AssessmentError, UsageError
from lindung.framework import Catalogue
from lindung.framework.models import Code, Indicator, Text
from lindung.keys import DIMENSIONS
from lindung.store.observations import current_observations
from lindung.web.pages.assessment import (
    PROGRESS_METHOD,
    SINCE,
    goals,
    population_or_none,
    selection_of,
)
from lindung.web.published import published_frame

#: The dimension holding the vulnerable groups an indicator lists in ``groups``.
GROUP = "group"
#: The regional aggregate drawn beside the member states, and its method (as the reports').
REGION = "ASEAN"
REGION_METHOD = "population_weighted"


@dataclass(frozen=True)
class Choice:
    """One dimension of the selector: its codelist's title, the codes to offer (the total
    first) and the code chosen."""

    dimension: str
    title: Text
    codes: list[Code]
    chosen: str


def dimensions_of(indicator: Indicator) -> list[str]:
    """Return the observation dimensions the framework breaks ``indicator`` down by, in the
    order of ``keys.DIMENSIONS``: its ``disaggregations``, and ``group`` when it lists groups."""
    named = {name.lower() for name in indicator.disaggregations}
    if indicator.groups:
        named.add(GROUP)
    return [name for name in DIMENSIONS if name in named]


def chosen_codes(
    catalogue: Catalogue, indicator: Indicator, asked: Mapping[str, str | None]
) -> dict[str, str]:
    """Return the code asked for in each of the indicator's dimensions (``_T`` where none is).

    Raises UsageError naming the parameter when a code is not in the dimension's codelist,
    or when a dimension is asked for that the indicator is not broken down by.
    """
    dimensions = dimensions_of(indicator)
    chosen: dict[str, str] = {}
    for name, code in asked.items():
        if code is None or code.strip() in ("", "_T"):
            continue
        code = code.strip().upper()
        if name not in dimensions:
            raise UsageError(
                f"{name}={code}: {indicator.code} is not broken down by {name}; "
                f"use {', '.join(dimensions) or 'no breakdown'}"
            )
        if not catalogue.codelist(name).accepts(code):
            raise UsageError(
                f"{name}={code}: not a code of the {name} codelist; the selector on the "
                f"page /indicators/{indicator.code} lists the codes with data"
            )
        chosen[name] = code
    return {name: chosen.get(name, "_T") for name in dimensions}


def _offered(catalogue: Catalogue, dimension: str, present: set[str], chosen: str) -> list[Code]:
    """The codes with published data (and the one chosen), in codelist order, the total first;
    codes of an open codelist that it does not list come last, named by their code."""
    codelist = catalogue.codelist(dimension)
    total = Code(code="_T", name=Text(en="Total", id="Total"))
    wanted = (present | {chosen}) - {"_T"}
    listed = [entry for entry in codelist.codes if entry.code in wanted]
    known = {entry.code for entry in listed}
    extra = [Code(code=code, name=Text(en=code, id=code)) for code in sorted(wanted - known)]
    return [total, *listed, *extra]


def choices(
    catalogue: Catalogue, indicator: Indicator, values: pd.DataFrame, chosen: Mapping[str, str]
) -> list[Choice]:
    """Return the selector's dimensions: each with the codes that the published values hold."""
    found: list[Choice] = []
    for name in dimensions_of(indicator):
        present = set(values[name].astype(str)) if not values.empty else set()
        found.append(
            Choice(
                dimension=name,
                title=catalogue.codelist(name).title,
                codes=_offered(catalogue, name, present, chosen.get(name, "_T")),
                chosen=chosen.get(name, "_T"),
            )
        )
    return found


def published_values(connection: Connection, indicator: Indicator) -> pd.DataFrame:
    """Return every current published value of ``indicator``, all areas and breakdowns, with
    unit, SE and CI, nature, status, source, comment and framework version."""
    return published_frame(connection, ("values", indicator.code), partial(_values, indicator.code))


def _values(code: str, connection: Connection) -> pd.DataFrame:
    rows = current_observations(connection, series=[code])
    if not rows:
        return pd.DataFrame(columns=["series", "ref_area", "time_period", *DIMENSIONS, "value"])
    return pd.DataFrame(rows)


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """Return a frame's rows as dicts, a missing value (NaN) as None."""
    found: list[dict[str, Any]] = frame.to_dict("records")  # type: ignore[assignment]
    return [
        {
            name: None if isinstance(value, float) and math.isnan(value) else value
            for name, value in row.items()
        }
        for row in found
    ]


def breakdown_values(
    values: pd.DataFrame, chosen: Mapping[str, str], areas: Sequence[str]
) -> list[dict[str, Any]]:
    """Return the values of one breakdown in ``areas``, by area (in the order given), then year."""
    if values.empty:
        return []
    rows = selection_of(values[values["ref_area"].isin(list(areas))], chosen)
    order = {area: index for index, area in enumerate(areas)}
    return sorted(records(rows), key=lambda row: (order[row["ref_area"]], int(row["time_period"])))


def progress_of(
    catalogue: Catalogue, indicator: Indicator, rows: Sequence[Mapping[str, Any]]
) -> dict[str, ProgressRow]:
    """Return the progress of each member state's series in ``rows`` (one breakdown), by area:
    the Open SDG method's status and reason (``pages.assessment.PROGRESS_METHOD``)."""
    if not rows:
        return {}
    frame = pd.DataFrame(list(rows))
    assessed = progress_rows(frame, goals(catalogue, [indicator.code]), PROGRESS_METHOD)
    return {str(row["ref_area"]): row for row in assessed}


def asean_tier(
    connection: Connection, catalogue: Catalogue, indicator: Indicator, values: pd.DataFrame
) -> Tier | None:
    """Return the indicator's ASEAN tier row (``assess.selection.tier_rows``: data regularly
    produced since 2015 for at least half the member states' population), or None when no
    UN population is loaded to weigh the member states."""
    population = population_or_none(connection)
    if population is None:
        return None
    members = [state.iso3 for state in catalogue.member_states]
    of_members = values[values["ref_area"].isin(members)] if not values.empty else values
    rows = tier_rows(
        catalogue, [indicator.code], of_members, population, since=SINCE, min_points=2, year=None
    )
    return rows[0] if rows else None


def regional_values(
    connection: Connection, catalogue: Catalogue, rows: Sequence[Mapping[str, Any]]
) -> list[Aggregate]:
    """Return the ASEAN population-weighted mean of the member states' ``rows`` (one
    breakdown) in each year it exists, oldest first (``assess.aggregates.aggregate_table``,
    as the overview computes it): none without a UN population or in a year whose member
    states with data hold less than half of the population concerned."""
    population = population_or_none(connection)
    if population is None or not rows:
        return []
    frame = pd.DataFrame(list(rows))
    codes = sorted(set(frame["series"]))
    region = {REGION: regions(catalogue)[REGION]}
    try:
        found = aggregate_table(catalogue, codes, region, frame, population)
    except AssessmentError:
        # A stored value outside its indicator's range (written past every import's checks):
        # no regional line, as without population; the overview and `assess aggregate` say why.
        return []
    chosen = [row for row in found if row["method"] == REGION_METHOD and row["value"] is not None]
    return sorted(chosen, key=lambda row: int(row["time_period"]))
