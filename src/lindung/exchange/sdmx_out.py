"""Observations to an SDMX data message: SDMX-CSV 1.0 or 2.0, or SDMX-ML 2.1 structure-specific.

Each observation is keyed to its DSD (``structures.layout_for_series``): FREQ ``A``,
REPORTING_TYPE ``G`` for the agencies' figures (reference data) and ``N`` for national ones,
REF_AREA and UNIT_MEASURE in the DSD's codes, every dimension Lindung does not break down
``_T``, the CI as LOWER_BOUND/UPPER_BOUND. Every code is checked against the DSD's codelists
(and, for SDG series, sdg-build's content constraints) before anything is written: one code
the DSD lacks refuses the whole export, naming series, key and code.

pysdmx writes the message. Its SDMX-ML writer (1.21) mangles attribute text holding quotes,
apostrophes, tabs or line breaks, so free text goes in as placeholders and lxml, which escapes
attributes correctly, puts the real text back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from lxml import etree
from pysdmx.io import write_sdmx
from pysdmx.io.format import Format
from pysdmx.io.pd import PandasDataset
from pysdmx.model.dataflow import Schema

from lindung.errors import ValidationFailed
from lindung.exchange.formats import SdmxFormat
from lindung.exchange.structures import (
    ATTRIBUTES,
    Layout,
    content_constraints,
    layout_for_series,
)
from lindung.framework import Catalogue
from lindung.keys import DIMENSIONS
from lindung.store import REFERENCE_KIND
from lindung.store.observations import StoredObservation
from lindung.text import counted, neutralise

#: Attributes holding free text (the rest are codes or numbers).
TEXT_ATTRIBUTES = ("SOURCE_DETAIL", "COMMENT_OBS")
#: How many refused codes the error message lists before "and N more".
LISTED = 10


PYSDMX_FORMATS = {
    SdmxFormat.csv1: Format.DATA_SDMX_CSV_1_0_0,
    SdmxFormat.csv2: Format.DATA_SDMX_CSV_2_0_0,
    SdmxFormat.ml: Format.DATA_SDMX_ML_2_1_STR,
}


@dataclass(frozen=True)
class Refusal:
    """A value that cannot go out under its DSD: where, and which code."""

    series: str
    key: str
    column: str
    code: str
    reason: str

    def __str__(self) -> str:
        return f"{self.series} {self.key}: {self.column} {self.code!r} {self.reason}"


def _number(value: float | None) -> str:
    """The shortest text that reads back as the same float (``repr``), or empty."""
    return "" if value is None else repr(float(value))


def _key_text(row: Mapping[str, Any]) -> str:
    broken = [f"{name}={row[name]}" for name in DIMENSIONS if row[name] != "_T"]
    return " ".join([str(row["ref_area"]), str(row["time_period"]), *broken])


def sdmx_row(row: StoredObservation, layout: Layout, refusals: list[Refusal]) -> dict[str, str]:
    """Return the observation as the DSD's columns; append to ``refusals`` what it lacks."""
    key = _key_text(row)

    def refuse(column: str, code: str, reason: str) -> None:
        refusals.append(Refusal(row["series"], key, column, code, reason))

    record = {column: "_T" for column in layout.dimension_ids}
    record.update(
        FREQ="A",
        REPORTING_TYPE="G" if row["submission_kind"] == REFERENCE_KIND else "N",
        SERIES=row["series"],
        TIME_PERIOD=str(row["time_period"]),
        OBS_VALUE=_number(row["value"]),
        UNIT_MULT="0",
        OBS_STATUS=row["obs_status"] or "A",
    )
    area = layout.area_out.get(row["ref_area"])
    if area is None:
        refuse("REF_AREA", row["ref_area"], f"has no code in {layout.urn}")
    record["REF_AREA"] = area or ""
    unit = layout.unit_out.get(row["unit"])
    if unit is None:
        refuse("UNIT_MEASURE", row["unit"], f"has no code in {layout.urn}")
    record["UNIT_MEASURE"] = unit or ""
    by_field = {name: column for column, name in layout.dimensions.items()}
    for name in DIMENSIONS:
        if name in by_field:
            record[by_field[name]] = row[name]  # type: ignore[literal-required]
        elif row[name] != "_T":  # type: ignore[literal-required]
            refuse(name, row[name], f"cannot be told: {layout.urn} has no such dimension")  # type: ignore[literal-required]
    for column, name in {**ATTRIBUTES, **layout.extra_attributes}.items():
        if column in ("OBS_STATUS",):
            continue
        value = row[name]  # type: ignore[literal-required]
        record[column] = _number(value) if isinstance(value, float) else (value or "")
    for column, allowed in layout.codes.items():
        code = record.get(column, "")
        if code and code not in allowed:
            refuse(column, code, f"is not in {layout.urn}'s codelist")
    constraint = content_constraints().get(row["series"])
    if constraint is not None and layout.dsd.agency == "IAEG-SDGs":
        for column, allowed_codes in constraint.items():
            code = record.get(column, "")
            if allowed_codes is not None and code and code not in allowed_codes:
                refuse(column, code, f"is not among the codes {row['series']} uses in SDG data")
    return record


def _schema(layout: Layout) -> Schema:
    return layout.dsd.to_schema()


def write_message(rows: Sequence[StoredObservation], catalogue: Catalogue, fmt: SdmxFormat) -> str:
    """Return the SDMX message holding ``rows``; raise ValidationFailed naming every code the
    DSD lacks (nothing is returned then)."""
    refusals: list[Refusal] = []
    by_layout: dict[str, tuple[Layout, list[dict[str, str]]]] = {}
    for row in rows:
        layout = layout_for_series(catalogue, row["series"])
        by_layout.setdefault(layout.urn, (layout, []))[1].append(sdmx_row(row, layout, refusals))
    if refusals:
        listed = "; ".join(str(r) for r in refusals[:LISTED])
        more = f"; and {len(refusals) - LISTED} more" if len(refusals) > LISTED else ""
        raise ValidationFailed(
            f"{counted(len(refusals), 'value')} cannot go out as SDMX, nothing was written: "
            f"{listed}{more}; leave those series or areas out (--series, --area)"
        )
    texts: dict[str, str] = {}
    datasets = []
    for layout, records in by_layout.values():
        for record in records:
            for column in TEXT_ATTRIBUTES:
                if record.get(column):
                    record[column] = _placeholder(record[column], texts, fmt)
        frame = pd.DataFrame(records, columns=_columns(layout))
        datasets.append(PandasDataset(structure=_schema(layout), data=frame))
    if not datasets:
        raise ValidationFailed("no current published values match; nothing was written")
    written = str(write_sdmx(datasets, PYSDMX_FORMATS[fmt]))
    return _restore_texts(written, texts) if fmt is SdmxFormat.ml else written


def _columns(layout: Layout) -> list[str]:
    return [c.id for c in layout.dsd.components]


def _placeholder(text: str, texts: dict[str, str], fmt: SdmxFormat) -> str:
    """In CSV, the text neutralised for spreadsheets; in XML, a placeholder lxml replaces."""
    if fmt is not SdmxFormat.ml:
        return str(neutralise(text))
    token = f"LINDUNGTEXT{len(texts)}X"
    texts[token] = text
    return token


def _restore_texts(message: str, texts: Mapping[str, str]) -> str:
    if not texts:
        return message
    tree = etree.fromstring(message.encode("utf-8"))
    for element in tree.iter():
        for name, value in element.attrib.items():
            if value in texts:
                element.set(name, texts[value])
    return str(
        etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True).decode()
    )
