"""The published values the member states are judged on, gathered once for the reports and the
site's country pages alike, and the two judgments both make of them the same way: the progress
of each headline value and an area's vulnerable-groups matrix.

``read_published`` is the one function here that reads the store (through ``store.frames``,
the one current-value rule); it chooses what is read (the assessed series, the series the
consistency check compares, the UN population) so that a report and a page cannot read
differently. The rest is pure, as the rest of ``assess`` is.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection

from lindung.assess.headline import headline
from lindung.assess.matrix import (
    MatrixCell,
    latest_values,
    matrix_axes,
    matrix_indicators,
    vulnerable_groups_matrix,
)
from lindung.assess.progress import Goal, Method
from lindung.assess.progress_table import ProgressRow, goal_for, progress_rows
from lindung.assess.selection import assessable, consistency_inputs
from lindung.errors import AssessmentError
from lindung.framework import Catalogue
from lindung.keys import DIMENSIONS
from lindung.store.frames import current_frame, frames_by_kind, population_frame

#: The progress method of the reports and the pages (Open SDG's, ``lindung assess progress``'s
#: default).
PROGRESS_METHOD: Method = "opensdg"


@dataclass(frozen=True)
class Published:
    """The published values of some member states up to a year (every year when None).

    ``codes``: the assessed series (``assess.selection.assessable``); ``values``: the current
    published value of each of their keys; ``population``: ASP_POP of the UN reference data, or
    None when none is loaded or it was not asked for; ``national`` and ``international``: the
    countries' own values and the reference values of the series the consistency check reads.
    """

    catalogue: Catalogue
    year: int | None
    codes: tuple[str, ...]
    values: pd.DataFrame
    population: pd.DataFrame | None
    national: pd.DataFrame
    international: pd.DataFrame


def read_published(
    connection: Connection,
    catalogue: Catalogue,
    areas: Sequence[str],
    year: int | None = None,
    *,
    population: bool = True,
) -> Published:
    """Return the published values of ``areas`` up to ``year`` that an assessment of them
    reads; the population (for aggregates and tiers) only when ``population``."""
    codes = assessable(catalogue, [])
    values = current_frame(connection, codes, list(areas), year)
    weights: pd.DataFrame | None = None
    if population:
        try:
            weights = population_frame(connection)
        except AssessmentError:
            weights = None
    _, wanted = consistency_inputs(catalogue, codes)
    national, international = frames_by_kind(connection, wanted, list(areas), year)
    return Published(
        catalogue=catalogue,
        year=year,
        codes=tuple(codes),
        values=values,
        population=weights,
        national=national,
        international=international,
    )


def goals(catalogue: Catalogue, codes: Sequence[str]) -> dict[str, Goal | None]:
    """Return the framework's goal of each series (None where it has no direction)."""
    return {code: goal_for(catalogue.indicator(code)) for code in codes}


def headline_progress(
    frame: pd.DataFrame, goals: Mapping[str, Goal | None], method: Method = PROGRESS_METHOD
) -> dict[tuple[str, str], ProgressRow]:
    """Return the progress row of each (series, area) of the headline values: the headline key
    of each series (``assess.headline``), total in every dimension but age."""
    rows = progress_rows(headline(frame), goals, method)
    return {
        (row["series"], row["ref_area"]): row
        for row in rows
        if all(dict(row)[name] == "_T" or name == "age" for name in DIMENSIONS)
    }


def area_matrix(
    frame: pd.DataFrame,
    catalogue: Catalogue,
    codes: Sequence[str],
    area: str,
    method: Method = PROGRESS_METHOD,
) -> list[MatrixCell]:
    """Return the vulnerable-groups matrix of ``area`` from its values in ``frame`` (a member
    state's, or a region's aggregates), as ``lindung assess matrix`` makes it."""
    latest = latest_values(frame, progress_rows(frame, goals(catalogue, codes), method))
    groups, dimensions = matrix_axes(catalogue)
    return vulnerable_groups_matrix(
        matrix_indicators(catalogue, codes),
        latest,
        ref_area=area,
        groups=groups,
        dimensions=dimensions,
    )
