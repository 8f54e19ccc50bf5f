"""An SDMX data message to observations in the framework's codes.

pysdmx reads SDMX-CSV 1.0 and 2.0 and SDMX-ML 2.1 (structure-specific and generic). Each
dataset is matched to a layout by its DSD's agency and id (any version: the UN SDG Global
Database publishes under SDG 1.8 and later, Lindung ships 1.5), and each observation is mapped
back: REF_AREA from M49 to ISO3, the breakdowns to the framework's codes, UNIT_MEASURE checked
against the series' unit. What cannot be mapped is counted by column and code, never guessed.
"""

from __future__ import annotations

import math
import re
import warnings
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from xml.parsers.expat import ExpatError

from pysdmx.errors import PysdmxError
from pysdmx.io import read_sdmx

from lindung.errors import UnknownCode, ValidationFailed
from lindung.exchange.structures import ATTRIBUTES, Layout, layouts
from lindung.framework import Catalogue
from lindung.keys import DIMENSIONS, KEY
from lindung.text import formula_like

#: NATURE codes that say there is no nature to keep ("not available", "non-relevant").
NO_NATURE = frozenset({"", "_X", "N"})
_URN = re.compile(r"=(?P<agency>[^:]+):(?P<id>[^(]+)\(")


@dataclass
class Mapped:
    """The observations of a message in the framework's codes, and what could not be mapped:
    (column, code) -> how many observations carried it."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    unmapped: Counter[tuple[str, str]] = field(default_factory=Counter)


def read_message(text: str, file_name: str) -> list[tuple[str, list[dict[str, str]]]]:
    """Return each dataset of the message as (agency:id of its structure, its records)."""
    try:
        with warnings.catch_warnings():
            # "attributes will be lost: Contact": the sender's contact, which Lindung keeps not.
            warnings.simplefilter("ignore", UserWarning)
            message = read_sdmx(text, validate=False)
    except (PysdmxError, ValueError, KeyError, ExpatError) as error:
        # ExpatError: malformed or truncated XML; ValueError also says "entities are disabled".
        raise ValidationFailed(
            f"{file_name} is not an SDMX-CSV 1.0/2.0 or SDMX-ML 2.1 data message ({error}); "
            "download the data again as SDMX-CSV or SDMX-ML"
        ) from None
    found = []
    for dataset in message.data or ():
        match = _URN.search(str(dataset.short_urn))
        structure = f"{match['agency']}:{match['id']}" if match else str(dataset.short_urn)
        frame = dataset.data.fillna("").astype(str)  # type: ignore[attr-defined]
        found.append((structure, frame.to_dict("records")))
    if not found:
        raise ValidationFailed(f"{file_name} holds no data; it may be a structure message")
    return found


def _text(value: str) -> str | None:
    """Free text as sent: empty is none; a spreadsheet guard Lindung's CSV added is dropped."""
    if value.startswith("'") and formula_like(value[1:]):
        return value[1:]
    return value or None


def _number(value: str) -> float | None:
    return float(value) if value.strip() else None


def map_records(
    datasets: list[tuple[str, list[dict[str, str]]]], catalogue: Catalogue, file_name: str
) -> Mapped:
    """Return the observations the framework can hold; count the rest by column and code."""
    known = layouts(catalogue)
    mapped = Mapped()
    global_keys: set[tuple[Any, ...]] = set()
    for structure, records in datasets:
        layout = known.get(structure)
        if layout is None:
            raise UnknownCode(
                "SDMX structure",
                structure,
                f"{file_name} is keyed to {structure}; Lindung reads {' and '.join(known)} data",
            )
        for record in records:
            row = _row(record, layout, catalogue, mapped.unmapped)
            if row is None:
                continue
            key = tuple(row[name] for name in KEY)
            if record.get("REPORTING_TYPE") == "G":
                global_keys.add(key)
            mapped.rows.append(row | {"_reporting": record.get("REPORTING_TYPE", "")})
    kept = []
    for row in mapped.rows:
        reporting = row.pop("_reporting")
        if reporting != "G" and tuple(row[name] for name in KEY) in global_keys:
            mapped.unmapped[("REPORTING_TYPE", f"{reporting} (the same key also given as G)")] += 1
        else:
            kept.append(row)
    mapped.rows = kept
    return mapped


def _row(
    record: Mapping[str, str],
    layout: Layout,
    catalogue: Catalogue,
    unmapped: Counter[tuple[str, str]],
) -> dict[str, Any] | None:
    """Return one record in the framework's codes, or None after counting what it lacks."""
    missing: list[tuple[str, str]] = []
    series = record.get("SERIES", "")
    indicator = next((i for i in catalogue.indicators if i.code == series), None)
    if indicator is None:
        unmapped[("SERIES", series)] += 1
        return None
    area = layout.area_in.get(record.get("REF_AREA", ""))
    if area is None:
        missing.append(("REF_AREA", record.get("REF_AREA", "")))
    row: dict[str, Any] = {"series": series, "ref_area": area, "unit": indicator.unit}
    period = record.get("TIME_PERIOD", "")
    if record.get("FREQ", "A") != "A" or not period.isdigit():
        missing.append(("TIME_PERIOD", period))
    else:
        row["time_period"] = int(period)
    for column in layout.dimension_ids:
        code = record.get(column, "_T") or "_T"
        name = layout.dimensions.get(column)
        if column in ("FREQ", "REPORTING_TYPE", "SERIES", "REF_AREA", "TIME_PERIOD"):
            continue
        if name is None:
            if code != "_T":
                missing.append((column, code))
            continue
        codelist = catalogue.codelists.get(name)
        closed = codelist is not None and not codelist.open
        if code != "_T" and closed and code not in catalogue.codes(name):
            missing.append((column, code))
        row[name] = code
    for name in DIMENSIONS:
        row.setdefault(name, "_T")
    if record.get("UNIT_MEASURE", "") != layout.unit_out.get(indicator.unit):
        missing.append(("UNIT_MEASURE", f"{record.get('UNIT_MEASURE', '')} for {series}"))
    value = _number(record.get("OBS_VALUE", ""))
    if value is None or not math.isfinite(value):
        missing.append(("OBS_VALUE", record.get("OBS_VALUE", "") or "empty"))
    if missing:
        for found in missing:
            unmapped[found] += 1
        return None
    multiplier = int(record.get("UNIT_MULT") or 0)
    row["value"] = value * 10**multiplier if multiplier else value
    for column, name in {**ATTRIBUTES, **layout.extra_attributes}.items():
        raw = record.get(column, "")
        if name in ("ci_low", "ci_high", "se"):
            row[name] = _number(raw)
        elif name == "nature":
            row[name] = None if raw in NO_NATURE else raw
        elif name in ("source", "comment"):
            row[name] = _text(raw)
        else:
            row[name] = raw or None
    return row
