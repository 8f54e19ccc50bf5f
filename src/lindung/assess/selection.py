"""What an assessment is asked about, the same for ``lindung assess`` and the web API: the
series and areas checked against the framework, the defaults when none are given, and the
series a consistency check reads (each national series and its international equivalents)."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from lindung.assess.equivalents import Equivalent, equivalents
from lindung.errors import UnknownCode
from lindung.framework import Catalogue, load_catalogue

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
    mapping = {code: equivalents(catalogue.indicator(code)) for code in codes}
    wanted = sorted({e.series for found in mapping.values() for e in found} | set(codes))
    return mapping, wanted


def national_only(national: pd.DataFrame, codes: Sequence[str]) -> pd.DataFrame:
    """Return the national values of the series compared (not of their equivalents)."""
    return national[national["series"].isin(list(codes))] if not national.empty else national
