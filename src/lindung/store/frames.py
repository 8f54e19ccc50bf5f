"""Current observations as pandas frames, the form the assessment reads them in.

The command line (``lindung assess``) and the web pages read through these, so both judge the
same numbers by the same rule (``current_observations``).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from lindung.errors import AssessmentError
from lindung.keys import COUNTRY_KINDS, DIMENSIONS, POPULATION_SERIES, REFERENCE_KIND
from lindung.store.observations import current_observations

FRAME_COLUMNS: tuple[str, ...] = (
    "series",
    "ref_area",
    "time_period",
    *DIMENSIONS,
    "value",
    "unit",
    "source",
    "submission_kind",
)


def as_frame(rows: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Return observation rows as a frame with the key, value, unit, source and (for stored
    rows) the kind of submission each came in."""
    if not rows:
        return pd.DataFrame(columns=list(FRAME_COLUMNS))
    frame = pd.DataFrame(rows)
    return frame[[c for c in FRAME_COLUMNS if c in frame.columns]]


def current_frame(
    connection: Connection,
    series: Sequence[str] | None,
    areas: Sequence[str] | None,
    year: int | None = None,
    include_unpublished: bool = False,
    kinds: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Return the current value of each matching key up to ``year`` (published only unless
    asked), among the submissions of ``kinds`` if given; ``series``, ``areas`` or ``kinds``
    None reads every one, an empty list none."""
    rows = current_observations(
        connection,
        series=series,
        areas=areas,
        year_to=year,
        include_unpublished=include_unpublished,
        kinds=kinds,
    )
    return as_frame(rows)


def population_frame(connection: Connection) -> pd.DataFrame:
    """Return the population that weights regional aggregates: ASP_POP as loaded from the UN
    World Population Prospects with the reference data (``data load-reference``), never a
    country's own submission, so that no template can change the weights; each row keeps its
    ``source``, which the aggregates record. Raises AssessmentError when none is loaded."""
    rows = current_observations(connection, series=[POPULATION_SERIES], kinds=[REFERENCE_KIND])
    frame = as_frame(rows)
    if frame.empty:
        raise AssessmentError(
            "the store holds no UN population (ASP_POP); run `lindung data load-reference`"
        )
    return frame


def frames_by_kind(
    connection: Connection,
    series: Sequence[str],
    areas: Sequence[str] | None,
    year: int | None = None,
    include_unpublished: bool = False,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Return the current value per key among the countries' own submissions, and among the
    reference data (the international figures); ``areas`` None reads every area."""
    national, international = (
        current_observations(
            connection,
            series=series,
            areas=areas,
            year_to=year,
            include_unpublished=include_unpublished,
            kinds=kinds,
        )
        for kinds in (COUNTRY_KINDS, [REFERENCE_KIND])
    )
    return as_frame(national), as_frame(international)
