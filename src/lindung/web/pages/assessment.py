"""What the public pages read: published values as the assessment judges them.

Every page reads the store's current published values (``store.frames``) and hands them to
``lindung.assess`` exactly as ``lindung assess`` does; nothing here decides a number.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from lindung.assess.headline import headline
from lindung.assess.progress_table import ProgressRow
from lindung.assess.published import PROGRESS_METHOD, goals, headline_progress
from lindung.charts import availability_heatmap
from lindung.errors import AssessmentError
from lindung.framework import Catalogue
from lindung.i18n.formatting import d3_format_locale
from lindung.store.frames import population_frame
from lindung.web.published import published_frame
from lindung.web.rendering import translate as _

#: The pages' progress method and each series' goal are the reports' (``assess.published``).
__all__ = [
    "PROGRESS_METHOD",
    "SINCE",
    "availability_figure",
    "codes_present",
    "goals",
    "latest_aggregates",
    "population_or_none",
    "progress_by_area",
    "selection_of",
]

#: The baseline of "points since" in availability (the SDG baseline year).
SINCE = 2015


def _population(connection: Connection) -> pd.DataFrame:
    try:
        return population_frame(connection)
    except AssessmentError:
        return pd.DataFrame()


def population_or_none(connection: Connection) -> pd.DataFrame | None:
    """Return the UN population that weights aggregates, or None when none is loaded."""
    population = published_frame(connection, "population", _population)
    return None if population.empty else population


def selection_of(frame: pd.DataFrame, selection: Mapping[str, str]) -> pd.DataFrame:
    """Return the rows of one breakdown: the chosen code in each dimension of ``selection``,
    the headline (total) in every other (``assess.headline``)."""
    chosen = {name: code for name, code in selection.items() if code and code != "_T"}
    rows = headline(frame, keep=tuple(chosen))
    for name, code in chosen.items():
        rows = rows[rows[name] == code]
    return rows


def progress_by_area(
    frame: pd.DataFrame, catalogue: Catalogue, codes: Sequence[str]
) -> dict[tuple[str, str], ProgressRow]:
    """Return the progress row of each (series, member state) of the headline values, as the
    reports judge them (``assess.published.headline_progress``)."""
    return headline_progress(frame, goals(catalogue, codes))


def codes_present(frame: pd.DataFrame, dimension: str) -> list[str]:
    """Return the codes of ``dimension`` that the values hold, the total first."""
    if frame.empty:
        return ["_T"]
    found = sorted(set(frame[dimension].astype(str)) - {"_T"})
    return ["_T", *found]


def latest_aggregates(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return, of ``regional_aggregates`` rows, the headline key's latest year with a value
    for each region and method (else its latest year, whose row says why there is none)."""
    if not rows:
        return []
    top: list[dict[str, Any]] = headline(pd.DataFrame(list(rows))).to_dict("records")  # type: ignore[assignment]
    chosen: dict[tuple[str, str], dict[str, Any]] = {}
    for row in top:
        key = (str(row["ref_area"]), str(row["method"]))
        held = chosen.get(key)
        rank = (row["value"] is not None, int(row["time_period"]))
        if held is None or rank > (held["value"] is not None, int(held["time_period"])):
            chosen[key] = row
    return [chosen[key] for key in sorted(chosen)]


def availability_figure(
    available: Sequence[Mapping[str, Any]], catalogue: Catalogue, language: str
) -> dict[str, Any]:
    """Return the heat map of ``availability`` rows (indicator x member state, shaded by the
    years with data since ``SINCE``) in ``language``."""
    names = {state.iso3: state.name.get(language) for state in catalogue.member_states}
    return availability_heatmap(
        [
            {
                "series": row["series"],
                "area": names[row["ref_area"]],
                "points": row["points"],
                "latest": row["latest_year"],
            }
            for row in available
        ],
        title=_("Data availability"),
        description=_(
            "Heat map: for each indicator and member state, the years with data since %(year)s"
        )
        % {"year": SINCE},
        series_title=_("Indicator"),
        area_title=_("Member state"),
        points_title=_("Years with data"),
        latest_title=_("Latest year"),
        number_locale=d3_format_locale(language),
    )
