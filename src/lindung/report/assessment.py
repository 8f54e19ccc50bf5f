"""The judgments a report shows, made once per report year by ``lindung.assess``: progress of
each headline value, regional aggregates over the years, availability and ASEAN tiers,
national-vs-international consistency and the vulnerable-groups matrix of any area.

The regional report and the eleven country profiles of one year share one ``Assessment``, so
``lindung report countries`` assesses once. Nothing here decides a number: every figure comes
from an ``assess`` function given the store's published values.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd

from lindung.assess.aggregates import Aggregate, aggregate_table, regions
from lindung.assess.availability import Availability, Tier, availability
from lindung.assess.consistency import Comparison, compare
from lindung.assess.headline import headline
from lindung.assess.matrix import MatrixCell
from lindung.assess.progress_table import ProgressRow
from lindung.assess.published import area_matrix, goals, headline_progress
from lindung.assess.selection import consistency_inputs, national_only, tier_rows
from lindung.report.data import ReportData
from lindung.store.frames import as_frame

#: The baseline year of "points since" in availability and tiers (the SDG baseline).
SINCE = 2015
#: The values since the baseline that make data "regularly produced" (ASEAN tiers).
MIN_POINTS = 2
#: The aggregate the reports show first, and the method of the regional figures in the text.
REGION = "ASEAN"
HEADLINE_METHOD = "population_weighted"
#: The order statuses are counted and listed in, best first.
STATUS_ORDER = (
    "target_achieved",
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
    "insufficient_data",
    "not_assessed",
)


@dataclass
class Assessment:
    """Every judgment of one report year (see the module docstring)."""

    data: ReportData
    progress: dict[tuple[str, str], ProgressRow]
    aggregates: list[Aggregate]
    headline_aggregates: list[dict[str, Any]]
    available: list[Availability]
    tiers: list[Tier]
    consistency: list[Comparison]
    _matrices: dict[str, list[MatrixCell]] = field(default_factory=dict)

    @property
    def members(self) -> list[str]:
        """The member states, in the catalogue's order."""
        return [state.iso3 for state in self.data.catalogue.member_states]

    def with_data(self, area: str | None = None) -> list[str]:
        """Return the series with at least one value (of ``area``, or of any member state)."""
        frame = self.data.values
        if frame.empty:
            return []
        if area is not None:
            frame = frame[frame["ref_area"] == area]
        present = set(frame["series"])
        return [code for code in self.data.codes if code in present]

    def statuses(self, area: str | None = None) -> Counter[str]:
        """Return how many headline values (of ``area``, or of every member state) have each
        progress status."""
        return Counter(
            str(row["status"])
            for (_, ref_area), row in self.progress.items()
            if area is None or ref_area == area
        )

    def latest_aggregate(
        self, series: str, region: str = REGION, method: str = HEADLINE_METHOD
    ) -> dict[str, Any] | None:
        """Return the headline aggregate of the latest year with a value, else None."""
        rows = [
            row
            for row in self.headline_aggregates
            if row["series"] == series
            and row["ref_area"] == region
            and row["method"] == method
            and row["value"] is not None
        ]
        return max(rows, key=lambda row: int(row["time_period"])) if rows else None

    def aggregate_series(
        self, series: str, region: str = REGION, method: str = HEADLINE_METHOD
    ) -> list[dict[str, Any]]:
        """Return the headline aggregates of ``series`` with a value, oldest first."""
        rows = [
            row
            for row in self.headline_aggregates
            if row["series"] == series
            and row["ref_area"] == region
            and row["method"] == method
            and row["value"] is not None
        ]
        return sorted(rows, key=lambda row: int(row["time_period"]))

    def matrix(self, area: str) -> list[MatrixCell]:
        """Return the vulnerable-groups matrix of a member state or of ``REGION`` (its values
        the population-weighted aggregates), as ``lindung assess matrix`` computes it."""
        if area not in self._matrices:
            self._matrices[area] = _matrix(self, area)
        return self._matrices[area]


def assess(data: ReportData) -> Assessment:
    """Return the judgments of ``data``'s year."""
    catalogue, frame = data.catalogue, data.values
    members = [state.iso3 for state in catalogue.member_states]
    aggregates: list[Aggregate] = []
    population = _years_used(data)
    if population is not None and not frame.empty:
        present = [code for code in data.codes if code in set(frame["series"])]
        aggregates = aggregate_table(catalogue, present, regions(catalogue), frame, population)
    tiers: list[Tier] = []
    if population is not None:
        tiers = tier_rows(
            catalogue,
            list(data.codes),
            frame,
            population,
            since=SINCE,
            min_points=MIN_POINTS,
            year=data.year,
        )
    mapping, _ = consistency_inputs(catalogue, list(data.codes))
    return Assessment(
        data=data,
        progress=headline_progress(frame, goals(catalogue, data.codes)),
        aggregates=aggregates,
        headline_aggregates=_headline_aggregates(aggregates),
        available=availability(frame, list(data.codes), members, SINCE),
        tiers=tiers,
        consistency=compare(
            national_only(data.national, list(data.codes)), data.international, mapping
        ),
    )


def _years_used(data: ReportData) -> pd.DataFrame | None:
    """Return the population of the years that the values and the tiers weight with (the
    aggregates of a year use that year's population only; the tiers the report year's)."""
    if data.population is None:
        return None
    years = {data.year, *(int(y) for y in data.values["time_period"].unique())}
    return data.population[data.population["time_period"].astype(int).isin(years)]


def _headline_aggregates(rows: Sequence[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Return the aggregates of the headline key of each series (``assess.headline``)."""
    if not rows:
        return []
    chosen = headline(pd.DataFrame(list(rows)))
    return [rows[index] for index in chosen.index]


def _matrix(assessment: Assessment, area: str) -> list[MatrixCell]:
    data = assessment.data
    if area == REGION:
        frame = as_frame(
            [
                row
                for row in assessment.aggregates
                if row["ref_area"] == REGION
                and row["method"] == HEADLINE_METHOD
                and row["value"] is not None
            ]
        )
    else:
        frame = (
            data.values[data.values["ref_area"] == area] if not data.values.empty else data.values
        )
    return area_matrix(frame, data.catalogue, list(data.codes), area)
