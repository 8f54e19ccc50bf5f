"""A member state's profile as the site shows it, to the pages and the API alike.

Every number is the store's current published value, read as the reports read it
(``assess.published.read_published``) and judged by ``lindung.assess`` exactly as
``lindung assess`` and the reports judge it: progress by the reports' method, the
vulnerable-groups matrix (``assess.published.area_matrix``), and national against
international figures. Nothing here decides a number; it only gathers them for one country.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from lindung.assess.consistency import Comparison, compare
from lindung.assess.headline import headline
from lindung.assess.matrix import MatrixCell, matrix_axes
from lindung.assess.progress_table import ProgressRow
from lindung.assess.published import Published, area_matrix, read_published
from lindung.assess.selection import consistency_inputs, national_only
from lindung.framework import Catalogue
from lindung.framework.models import Indicator, MemberState
from lindung.web.pages.assessment import progress_by_area


@dataclass(frozen=True)
class IndicatorLine:
    """One indicator of a country: its latest headline value, every year's, and its progress.

    ``latest`` is the row of the latest year (``time_period``, ``value``, ``unit``,
    ``source``), None without data; ``points`` every headline (year, value), oldest first;
    ``progress`` the row of ``progress_rows`` (``method``, ``status``, ``reason``...).
    """

    indicator: Indicator
    latest: dict[str, Any] | None
    points: list[tuple[int, float]]
    progress: ProgressRow | None


@dataclass(frozen=True)
class Profile:
    """What a member state's profile shows, published values only."""

    state: MemberState
    lines: list[IndicatorLine]
    matrix: list[MatrixCell]
    groups: tuple[str, ...]
    dimensions: tuple[str, ...]
    consistency: list[Comparison]

    @property
    def years(self) -> list[int]:
        """Return every year some indicator has a headline value in, oldest first."""
        return sorted({year for line in self.lines for year, _ in line.points})


def indicator_lines(
    frame: pd.DataFrame, catalogue: Catalogue, codes: Sequence[str], iso3: str
) -> list[IndicatorLine]:
    """Return one line per series of ``codes`` (catalogue order) from the country's values:
    the headline rows (``assess.headline``), the latest of them, and the progress row."""
    progress = progress_by_area(frame, catalogue, codes)
    rows: list[dict[str, Any]] = headline(frame).to_dict("records")  # type: ignore[assignment]
    by_series: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_series.setdefault(str(row["series"]), []).append(row)
    lines = []
    for code in codes:
        found = sorted(by_series.get(code, []), key=lambda row: int(row["time_period"]))
        lines.append(
            IndicatorLine(
                indicator=catalogue.indicator(code),
                latest=found[-1] if found else None,
                points=[(int(row["time_period"]), float(row["value"])) for row in found],
                progress=progress.get((code, iso3)),
            )
        )
    return lines


def country_consistency(published: Published) -> list[Comparison]:
    """Return the national values of the country ``published`` holds beside their
    international equivalents, as ``lindung assess consistency --area ISO3`` compares them."""
    codes = list(published.codes)
    mapping, _ = consistency_inputs(published.catalogue, codes)
    return compare(national_only(published.national, codes), published.international, mapping, {})


def country_published(connection: Connection, catalogue: Catalogue, iso3: str) -> Published:
    """Return the published values of the member state ``iso3`` (UnknownCode, 404, for another
    code), as a country's report reads them (``assess.published``), every year."""
    state = catalogue.member_state(iso3)
    return read_published(connection, catalogue, [state.iso3], population=False)


def country_lines(
    connection: Connection, catalogue: Catalogue, iso3: str
) -> tuple[MemberState, list[IndicatorLine], pd.DataFrame]:
    """Return the member state ``iso3`` (UnknownCode, 404, for another code), its line of
    every assessed indicator, and its current published values."""
    state = catalogue.member_state(iso3)
    published = country_published(connection, catalogue, state.iso3)
    lines = indicator_lines(published.values, catalogue, published.codes, state.iso3)
    return state, lines, published.values


def country_profile(connection: Connection, catalogue: Catalogue, iso3: str) -> Profile:
    """Return the profile of the member state ``iso3`` (UnknownCode, 404, for another code)."""
    state = catalogue.member_state(iso3)
    published = country_published(connection, catalogue, state.iso3)
    codes = list(published.codes)
    groups, dimensions = matrix_axes(catalogue)
    return Profile(
        state=state,
        lines=indicator_lines(published.values, catalogue, codes, state.iso3),
        matrix=area_matrix(published.values, catalogue, codes, state.iso3),
        groups=groups,
        dimensions=dimensions,
        consistency=country_consistency(published),
    )
