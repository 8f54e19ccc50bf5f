"""The international equivalents of an indicator, read from the framework: its own SDG series
in the UN SDG database, crosswalk entries that name a store series (``ASP_COV,
PROGRAM=ALL_SA``), and the World Bank codes the reference data is stored under."""

from __future__ import annotations

import re
from dataclasses import dataclass

from lindung.framework.models import Indicator

#: World Bank WDI codes of the shipped reference data and the series and key they are stored as.
REFERENCE_CODES: dict[str, tuple[str, tuple[tuple[str, str], ...]]] = {
    "per_allsp.cov_pop_tot": ("ASP_COV", (("program", "ALL_SP"),)),
    "per_allsp.adq_pop_tot": ("ASP_ADQ", (("program", "ALL_SP"),)),
    "SI.POV.GINI": ("SI_POV_GINI", ()),
}
SERIES_ENTRY = re.compile(r"^([A-Z][A-Z0-9_]*)((?:,\s*[A-Z_]+=[A-Z0-9_]+)*)$")


@dataclass(frozen=True)
class Equivalent:
    """An international figure to compare with: agency, stored series and fixed dimensions."""

    agency: str
    series: str
    dimensions: tuple[tuple[str, str], ...] = ()


def equivalents(indicator: Indicator) -> list[Equivalent]:
    """Return the stored international equivalents of ``indicator``, without duplicates."""
    found: list[Equivalent] = []
    if indicator.sdg is not None:
        found.append(
            Equivalent(
                f"UN SDG database ({indicator.custodian})", indicator.sdg.series or indicator.code
            )
        )
    for entry in indicator.crosswalk:
        if entry.key:
            # An agency indicator holding several series (ILOSTAT's SDG_0131_SEX_SOC_RT): its
            # figures are imported under this series itself, the SDG series above.
            continue
        code = entry.code.strip()
        if code in REFERENCE_CODES:
            series, dims = REFERENCE_CODES[code]
            found.append(Equivalent(entry.agency, series, dims))
            continue
        match = SERIES_ENTRY.match(code)
        if match:
            dims = tuple(
                (name.strip().lower(), value.strip())
                for name, value in (
                    part.split("=") for part in match.group(2).split(",") if part.strip()
                )
            )
            found.append(Equivalent(entry.agency, match.group(1), dims))
    unique: dict[tuple[str, tuple[tuple[str, str], ...]], Equivalent] = {}
    for item in found:
        unique.setdefault((item.series, item.dimensions), item)
    return list(unique.values())
