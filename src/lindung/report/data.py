"""What a report reads from the store: the current published values up to the report's year,
the UN population that weights aggregates, and the national and international values that the
consistency check compares. Nothing unpublished reaches a report."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
from sqlalchemy import Connection

from lindung.assess.selection import assessable, consistency_inputs
from lindung.errors import AssessmentError
from lindung.framework import Catalogue
from lindung.store.frames import current_frame, frames_by_kind, population_frame


@dataclass(frozen=True)
class ReportData:
    """The published values one report year is made of.

    ``values``: the current published value of each key of the assessed series for the member
    states, up to ``year``; ``population``: ASP_POP of the UN reference data, or None when none
    is loaded (the report then says that aggregates need it); ``national`` and ``international``:
    the countries' own values and the reference (international) values of the series the
    consistency check reads.
    """

    catalogue: Catalogue
    year: int
    codes: tuple[str, ...]
    values: pd.DataFrame
    population: pd.DataFrame | None
    national: pd.DataFrame
    international: pd.DataFrame


def read_report_data(connection: Connection, catalogue: Catalogue, year: int) -> ReportData:
    """Return the published values of ``year`` and before that a report shows."""
    codes = assessable(catalogue, [])
    members = [state.iso3 for state in catalogue.member_states]
    values = current_frame(connection, codes, members, year)
    try:
        population: pd.DataFrame | None = population_frame(connection)
    except AssessmentError:
        population = None
    _, wanted = consistency_inputs(catalogue, codes)
    national, international = frames_by_kind(connection, wanted, members, year)
    return ReportData(
        catalogue=catalogue,
        year=year,
        codes=tuple(codes),
        values=values,
        population=population,
        national=national,
        international=international,
    )
