"""What an assessment is asked about, the same for ``lindung assess`` and the web API: the
series and areas checked against the framework, the defaults when none are given, and the
series a consistency check reads (each national series and its international equivalents)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from lindung.errors import UnknownCode
from lindung.framework import Catalogue, load_catalogue

if TYPE_CHECKING:
    # The command line imports this module to build its options: pandas loads only when an
    # assessment runs.
    import pandas as pd

    from lindung.assess.availability import Tier
    from lindung.assess.equivalents import Equivalent

#: Series that give context (population, GDP) rather than being assessed themselves.
CONTEXT_SERIES = ("ASP_POP", "ASP_GDP_PC", "ASP_GDP_PC_LCU")


def checked_catalogue(series: Sequence[str], areas: Sequence[str]) -> Catalogue:
    """Return the catalogue once every series and area code is known to it."""
    catalogue = load_catalogue()
    for code in series:
        catalogue.indicator(code)
    for code in areas:
        if code not in catalogue.areas:
            raise UnknownCode("area", code, f"use one of {', '.join(catalogue.areas)}")
    return catalogue


def assessable(catalogue: Catalogue, series: Sequence[str]) -> list[str]:
    """Return the series asked for, or every indicator but the context series."""
    if series:
        return list(series)
    return [i.code for i in catalogue.indicators if i.code not in CONTEXT_SERIES]


def member_states(catalogue: Catalogue, areas: Sequence[str]) -> list[str]:
    """Return the areas asked for, or the eleven member states."""
    return list(areas) or [state.iso3 for state in catalogue.member_states]


def consistency_inputs(
    catalogue: Catalogue, codes: Sequence[str]
) -> tuple[dict[str, list[Equivalent]], list[str]]:
    """Return each series' international equivalents, and every series to read for them."""
    from lindung.assess.equivalents import equivalents

    mapping = {code: equivalents(catalogue.indicator(code)) for code in codes}
    wanted = sorted({e.series for found in mapping.values() for e in found} | set(codes))
    return mapping, wanted


def national_only(national: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Return the national values of the series compared (not of their equivalents)."""
    return national[national["series"].isin(list(codes))] if not national.empty else national


def tier_rows(
    catalogue: Catalogue,
    codes: Sequence[str],
    frame: pd.DataFrame,
    population: pd.DataFrame,
    *,
    since: int,
    min_points: int,
    year: int | None,
) -> list[Tier]:
    """Return each series' ASEAN tier beside its global tier: availability over the member
    states, weighted by their population of ``year`` (else of the latest year of ``frame``)."""
    from lindung.assess.availability import TierInput, asean_tiers, availability
    from lindung.assess.population import basis_for, population_table

    members = member_states(catalogue, [])
    weights = population_table(population, basis_for("SI_COV_BENFTS"))
    reference_year = year or (int(frame["time_period"].max()) if not frame.empty else 2019)
    weights = weights[weights["time_period"] == reference_year]
    by_area = dict(zip(weights["ref_area"], weights["population"], strict=True))
    inputs = [
        TierInput(code, (i.sdg.tier if i.sdg else None))
        for code in codes
        for i in [catalogue.indicator(code)]
    ]
    return asean_tiers(
        availability(frame, codes, members, since),
        inputs,
        {c: by_area[c] for c in members if c in by_area},
        min_points=min_points,
    )
