"""A member state's profile as the site shows it, to the pages and the API alike.

Every number is the store's current published value (``store.frames``, the one current-value
rule) judged by ``lindung.assess`` exactly as ``lindung assess`` judges it: progress by the
pages' method (``PROGRESS_METHOD``), the vulnerable-groups matrix, and national against
international figures. Nothing here decides a number; it only gathers them for one country.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import Connection

from lindung.assess.consistency import compare
from lindung.assess.headline import headline
from lindung.assess.matrix import (
    latest_values,
    matrix_axes,
    matrix_indicators,
    vulnerable_groups_matrix,
)
from lindung.assess.progress_table import progress_rows
from lindung.assess.selection import assessable, consistency_inputs, national_only
from lindung.framework import Catalogue
from lindung.framework.models import Indicator, MemberState
from lindung.store.frames import current_frame, frames_by_kind
from lindung.web.pages.assessment import PROGRESS_METHOD, goals, progress_by_area


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
    progress: dict[str, Any] | None


@dataclass(frozen=True)
class Profile:
    """What a member state's profile shows, published values only."""

    state: MemberState
    lines: list[IndicatorLine]
    matrix: list[dict[str, Any]]
    groups: tuple[str, ...]
    dimensions: tuple[str, ...]
    consistency: list[dict[str, Any]]

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


def country_matrix(
    frame: pd.DataFrame, catalogue: Catalogue, codes: Sequence[str], iso3: str
) -> list[dict[str, Any]]:
    """Return the country's vulnerable-groups matrix, as ``lindung assess matrix`` makes it."""
    latest = latest_values(frame, progress_rows(frame, goals(catalogue, codes), PROGRESS_METHOD))
    groups, dimensions = matrix_axes(catalogue)
    return vulnerable_groups_matrix(
        matrix_indicators(catalogue, codes),
        latest,
        ref_area=iso3,
        groups=groups,
        dimensions=dimensions,
    )


def country_consistency(
    connection: Connection, catalogue: Catalogue, codes: Sequence[str], iso3: str
) -> list[dict[str, Any]]:
    """Return the country's national values beside their international equivalents, as
    ``lindung assess consistency --area ISO3`` compares them."""
    mapping, wanted = consistency_inputs(catalogue, codes)
    national, international = frames_by_kind(connection, wanted, [iso3])
    return compare(national_only(national, codes), international, mapping, {})


def country_lines(
    connection: Connection, catalogue: Catalogue, iso3: str
) -> tuple[MemberState, list[IndicatorLine], pd.DataFrame]:
    """Return the member state ``iso3`` (UnknownCode, 404, for another code), its line of
    every assessed indicator, and its current published values."""
    state = catalogue.member_state(iso3)
    codes = assessable(catalogue, [])
    frame = current_frame(connection, codes, [state.iso3])
    return state, indicator_lines(frame, catalogue, codes, state.iso3), frame


def country_profile(connection: Connection, catalogue: Catalogue, iso3: str) -> Profile:
    """Return the profile of the member state ``iso3`` (UnknownCode, 404, for another code)."""
    state, lines, frame = country_lines(connection, catalogue, iso3)
    codes = [line.indicator.code for line in lines]
    groups, dimensions = matrix_axes(catalogue)
    return Profile(
        state=state,
        lines=lines,
        matrix=country_matrix(frame, catalogue, codes, state.iso3),
        groups=groups,
        dimensions=dimensions,
        consistency=country_consistency(connection, catalogue, codes, state.iso3),
    )
