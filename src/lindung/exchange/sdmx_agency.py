"""An agency's SDMX in its own codes (ILOSTAT's) to observations in the framework's codes,
through the framework's crosswalk: the agency's codes (``Catalogue.agency``) say what its
areas, units, statuses and dimension codes are in the framework, and the indicators' crosswalk
entries say which series each of its indicators (and key) is. Nothing of the mapping is typed
here; what the crosswalk lacks is counted by column and code, never guessed.

ILOSTAT's messages carry no DSD Lindung ships, so the columns are read by their SDMX ids: the
key columns, the agency's dimensions, and the attributes below; any other column holding a
value is a breakdown the framework cannot hold.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping
from typing import Any

from lindung.exchange.sdmx_values import free_text, number, observed_value
from lindung.framework import Catalogue
from lindung.framework.models import AgencyCodes, CrosswalkEntry, Indicator
from lindung.keys import DIMENSIONS

#: ILOSTAT's attributes Lindung keeps, and the observation field of each.
KEPT = {"SOURCE": "source", "LOWER_BOUND": "ci_low", "UPPER_BOUND": "ci_high"}
#: Columns read elsewhere (the key, the value, its unit and status) or not kept: ILOSTAT's
#: MEASURE repeats the indicator its dataflow names; its notes are codes into its own
#: note lists (``R1:2383``), DECIMALS is a display setting.
READ_OR_DROPPED = frozenset(
    {
        "STRUCTURE", "STRUCTURE_ID", "DATAFLOW", "ACTION", "FREQ", "REF_AREA", "TIME_PERIOD",
        "MEASURE", "OBS_VALUE", "OBS_STATUS", "UNIT_MEASURE", "UNIT_MEASURE_TYPE", "UNIT_MULT",
        "NOTE_SOURCE", "NOTE_INDICATOR", "NOTE_CLASSIF", "DECIMALS",
    }
)  # fmt: skip


def agency_row(
    record: Mapping[str, str],
    dataflow: str,
    agency: AgencyCodes,
    catalogue: Catalogue,
    unmapped: Counter[tuple[str, str]],
) -> dict[str, Any] | None:
    """Return one record of ``agency``'s ``dataflow`` in the framework's codes, or None after
    counting what the crosswalk lacks for it."""
    code = dataflow.removeprefix(agency.dataflow_prefix)
    found = _series(record, code, agency, catalogue, unmapped)
    if found is None:
        return None
    indicator, entry = found
    missing: list[tuple[str, str]] = []
    row: dict[str, Any] = {"series": indicator.code, "unit": indicator.unit}
    row["ref_area"] = _area(record.get("REF_AREA", ""), agency, catalogue, missing)
    period = record.get("TIME_PERIOD", "")
    if record.get("FREQ", "A") != "A" or not period.isdigit():
        missing.append(("TIME_PERIOD", period))
    else:
        row["time_period"] = int(period)
    for column, raw in record.items():
        if column in READ_OR_DROPPED or column in KEPT or column in entry.key:
            continue
        dimension = agency.dimension(column)
        ours = dimension.codes.get(raw) if dimension is not None else None
        if dimension is not None and ours is not None:
            row[dimension.codelist] = ours
        elif raw:
            missing.append((column, raw))
    for name in DIMENSIONS:
        row.setdefault(name, "_T")
    unit = record.get("UNIT_MEASURE", "")
    if agency.units.get(unit) != indicator.unit:
        missing.append(("UNIT_MEASURE", f"{unit} for {code}"))
    status = record.get("OBS_STATUS", "")
    if status and status not in agency.obs_status:
        missing.append(("OBS_STATUS", status))
    value = observed_value(record, missing)
    if missing or value is None:
        for item in missing:
            unmapped[item] += 1
        return None
    row["value"] = value
    row["obs_status"] = agency.obs_status.get(status)
    row["nature"] = None
    row["comment"] = None
    for column, name in KEPT.items():
        raw = record.get(column, "")
        row[name] = free_text(raw) if name == "source" else number(raw)
    return row


def _series(
    record: Mapping[str, str],
    code: str,
    agency: AgencyCodes,
    catalogue: Catalogue,
    unmapped: Counter[tuple[str, str]],
) -> tuple[Indicator, CrosswalkEntry] | None:
    """Return the series the crosswalk gives the agency's indicator ``code`` with the record's
    key, or None after counting the indicator, or the key column, it lacks."""
    candidates = [
        (indicator, entry)
        for indicator in catalogue.indicators
        for entry in indicator.crosswalk
        if entry.agency == agency.agency and entry.code == code
    ]
    if not candidates:
        unmapped[("INDICATOR", code)] += 1
        return None
    for indicator, entry in candidates:
        if all(record.get(column) == value for column, value in entry.key.items()):
            return indicator, entry
    columns = sorted({column for _, entry in candidates for column in entry.key})
    for column in columns:
        known = {entry.key.get(column) for _, entry in candidates}
        if record.get(column, "") not in known:
            unmapped[(column, f"{record.get(column, '')} of {code}")] += 1
            return None
    unmapped[("/".join(columns), "/".join(record.get(c, "") for c in columns))] += 1
    return None


def _area(
    code: str, agency: AgencyCodes, catalogue: Catalogue, missing: list[tuple[str, str]]
) -> str | None:
    """Return the framework's area for the agency's REF_AREA ``code`` (ISO3 or M49)."""
    if agency.areas == "ISO3":
        areas = {state.iso3: state.iso3 for state in catalogue.member_states}
    else:
        areas = {str(state.m49): state.iso3 for state in catalogue.member_states}
    area = areas.get(code)
    if area is None:
        missing.append(("REF_AREA", code))
    return area
