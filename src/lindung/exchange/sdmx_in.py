"""An SDMX data message to observations in the framework's codes.

pysdmx reads SDMX-CSV 1.0 and 2.0 and SDMX-ML 2.1 (structure-specific and generic). Each
dataset is matched to a layout by its DSD's agency and id (any version: the UN SDG Global
Database publishes under SDG 1.8 and later, Lindung ships 1.5), and each observation is mapped
back: REF_AREA from M49 to ISO3, the breakdowns to the framework's codes, UNIT_MEASURE checked
against the series' unit. What cannot be mapped is counted by column and code, never guessed.

A file that is not such a message is refused with a fix for what it is instead
(``sdmx_fix``): SDMX-ML 2.0, a structure message, a header without its structure reference,
SDMX-CSV without its DATAFLOW or STRUCTURE_ID column or separated by ``;``, XML entities,
XML cut short.
"""

from __future__ import annotations

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
from lindung.exchange.sdmx_agency import KEPT as AGENCY_ATTRIBUTES
from lindung.exchange.sdmx_agency import agency_row
from lindung.exchange.sdmx_values import free_text, number, observed_value
from lindung.exchange.structures import ATTRIBUTES, Layout, layouts
from lindung.framework import Catalogue
from lindung.ingest.finding import Location
from lindung.ingest.value_rules import key_text
from lindung.keys import DIMENSIONS, KEY

#: NATURE codes that say there is no nature to keep ("not available", "non-relevant").
NO_NATURE = frozenset({"", "_X", "N"})
_URN = re.compile(r"=(?P<agency>[^:]+):(?P<id>[^(]+)\(")
#: What a structure reference looks like, and the one Lindung reads from agencies.
SDG_STRUCTURE = "IAEG-SDGs:SDG"
_SDG_REF = (
    f"the header's structure must be {SDG_STRUCTURE} (message:Structure holding "
    '<Ref agencyID="IAEG-SDGs" id="SDG" version="1.8"/>)'
)
_ANY = "download the data again as SDMX-CSV or SDMX-ML"
_AGAIN = "export it as SDMX-ML 2.1 or SDMX-CSV"
_CSV_FLOW = (
    "SDMX-CSV 1.0 starts with a DATAFLOW column (e.g. IAEG-SDGs:SDG(1.8) in each row), "
    "SDMX-CSV 2.0 with STRUCTURE (datastructure) and STRUCTURE_ID (IAEG-SDGs:SDG(1.8)); "
    "download the data again as SDMX-CSV from the SDG Global Database or the registry"
)
_ROOT = re.compile(r"<(?:[A-Za-z_][\w.-]*:)?(?P<name>[A-Za-z_][\w.-]*)[\s>/]")


@dataclass
class Mapped:
    """The observations of a message in the framework's codes, and what could not be mapped:
    (column, code) -> how many observations carried it."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    unmapped: Counter[tuple[str, str]] = field(default_factory=Counter)
    #: Where each row is: the file, its key, and its observation number in the message (in
    #: SDMX-CSV the line, the header being line 1).
    locations: list[Location] = field(default_factory=list)
    #: The message's column of each observation field, for the findings about them.
    columns: dict[str, str] = field(
        default_factory=lambda: {"value": "OBS_VALUE", "time_period": "TIME_PERIOD"}
    )


def read_message(text: str, file_name: str) -> list[tuple[str, list[dict[str, str]]]]:
    """Return each dataset of the message as (agency:id of its structure, its records)."""
    try:
        with warnings.catch_warnings():
            # "attributes will be lost: Contact": the sender's contact, which Lindung keeps not.
            warnings.simplefilter("ignore", UserWarning)
            message = read_sdmx(text, validate=False)
    except (PysdmxError, ValueError, KeyError, ExpatError, StopIteration) as error:
        # ExpatError: malformed or truncated XML; ValueError also says "entities are disabled";
        # StopIteration: pysdmx's end on a namespace it does not know (SDMX-ML 2.0).
        said = f" ({error})" if str(error) else ""
        raise ValidationFailed(
            f"{file_name} is not an SDMX-CSV 1.0/2.0 or SDMX-ML 2.1 data message{said}; "
            f"{sdmx_fix(text, error)}"
        ) from None
    found = []
    for dataset in message.data or ():
        match = _URN.search(str(dataset.short_urn))
        if match is None:
            raise ValidationFailed(
                f"{file_name}: the data's structure reference {str(dataset.short_urn)!r} names "
                f"no agency, id and version; {_CSV_FLOW}"
            )
        structure = f"{match['agency']}:{match['id']}"
        frame = dataset.data.fillna("").astype(str)  # type: ignore[attr-defined]
        found.append((structure, frame.to_dict("records")))
    if not found:
        raise ValidationFailed(f"{file_name} holds no data; {sdmx_fix(text)}")
    return found


def sdmx_fix(text: str, error: BaseException | None = None) -> str:
    """Return what is wrong with ``text`` as an SDMX data message and how to fix it, as far as
    its start tells (the root element, the header, the CSV header line); ``error`` is what
    the reader raised."""
    head = text.lstrip("\ufeff \t\r\n")
    if head.startswith("<"):
        return _xml_fix(head, error)
    if head.startswith(("{", "[")):
        return "the file is SDMX-JSON, which Lindung does not read: " + _AGAIN
    header = head.split("\n", 1)[0].rstrip("\r")
    if ";" in header and "," not in header:
        return (
            "the file is separated by ';' but SDMX-CSV by ',': save it as CSV with commas "
            "(in Excel, 'CSV UTF-8 (Comma delimited)'), or download it again as SDMX-CSV"
        )
    columns = [name.strip().strip('"').upper() for name in header.split(",")]
    if "DATAFLOW" not in columns and not {"STRUCTURE", "STRUCTURE_ID"} <= set(columns):
        missing = "STRUCTURE_ID" if "STRUCTURE" in columns else "DATAFLOW/STRUCTURE_ID"
        return f"SDMX-CSV header lacks a {missing} column: {_CSV_FLOW}"
    return _ANY


def _xml_fix(head: str, error: BaseException | None) -> str:
    if "<!DOCTYPE" in head[:4096] or "<!ENTITY" in head[:4096]:
        return (
            "the file declares XML entities (a DOCTYPE), which Lindung never expands: "
            "export it again without a DOCTYPE, " + _AGAIN
        )
    if "/schemas/v2_0/" in head[:4096].lower():
        return "the file is SDMX-ML 2.0, not 2.1: " + _AGAIN
    if isinstance(error, ExpatError):
        return (
            f"the XML is not well-formed at line {error.lineno}, column {error.offset} "
            "(the file may be cut short): " + _ANY
        )
    body = re.sub(r"<\?.*?\?>|<!--.*?-->", "", head[:65536], flags=re.S).lstrip()
    root = _ROOT.match(body)
    name = root["name"] if root else ""
    if name == "Structure":
        return (
            "the file is an SDMX structure message (codelists, data structures), not data: "
            "download the data as an SDMX-ML 2.1 data message or SDMX-CSV"
        )
    if not name.endswith("Data"):
        return f"the root element is {name or 'missing'}, not an SDMX-ML 2.1 data message: {_ANY}"
    if not re.search(r"<(?:\w+:)?Header[\s>]", body):
        return f"the message has no Header: {_SDG_REF}; " + _AGAIN
    if not re.search(r"<(?:\w+:)?Structure[\s>]", body):
        return f"no Dataflow/Structure reference: {_SDG_REF}; " + _AGAIN
    return _ANY


def map_records(
    datasets: list[tuple[str, list[dict[str, str]]]], catalogue: Catalogue, file_name: str
) -> Mapped:
    """Return the observations the framework can hold; count the rest by column and code."""
    known = layouts(catalogue)
    mapped = Mapped()
    global_keys: set[tuple[Any, ...]] = set()
    for structure, records in datasets:
        layout = known.get(structure)
        agency_id, _, dataflow = structure.partition(":")
        agency = catalogue.agency(agency_id)
        if layout is None and agency is None:
            agencies = ", ".join(
                f"{a.agency}:{a.dataflow_prefix}..." for a in catalogue.agency_codes
            )
            raise UnknownCode(
                "SDMX structure",
                structure,
                f"{file_name} is keyed to {structure}; Lindung reads {', '.join(known)} data "
                f"and the dataflows of the agencies its crosswalk codes ({agencies or 'none'})",
            )
        attributes = {**ATTRIBUTES, **layout.extra_attributes} if layout else AGENCY_ATTRIBUTES
        mapped.columns.update({name: column for column, name in attributes.items()})
        for line, record in enumerate(records, start=2):
            if layout is not None:
                row = _row(record, layout, catalogue, mapped.unmapped)
            elif agency is not None:
                row = agency_row(record, dataflow, agency, catalogue, mapped.unmapped)
            if row is None:
                continue
            key = tuple(row[name] for name in KEY)
            if record.get("REPORTING_TYPE") == "G":
                global_keys.add(key)
            mapped.rows.append(row | {"_reporting": record.get("REPORTING_TYPE", "")})
            mapped.locations.append(Location(file=file_name, row=line, key=key_text(row)))
    kept, where = [], []
    for row, location in zip(mapped.rows, mapped.locations, strict=True):
        reporting = row.pop("_reporting")
        if reporting != "G" and tuple(row[name] for name in KEY) in global_keys:
            mapped.unmapped[("REPORTING_TYPE", f"{reporting} (the same key also given as G)")] += 1
        else:
            kept.append(row)
            where.append(location)
    mapped.rows, mapped.locations = kept, where
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
    value = observed_value(record, missing)
    if missing or value is None:
        for found in missing:
            unmapped[found] += 1
        return None
    row["value"] = value
    for column, name in {**ATTRIBUTES, **layout.extra_attributes}.items():
        raw = record.get(column, "")
        if name in ("ci_low", "ci_high", "se"):
            row[name] = number(raw)
        elif name == "nature":
            row[name] = None if raw in NO_NATURE else raw
        elif name in ("source", "comment"):
            row[name] = free_text(raw)
        else:
            row[name] = raw or None
    return row
