"""The long CSV format and its Frictionless Table Schema, generated from the framework.

The schema (https://specs.frictionlessdata.io/table-schema/) lists every column with its type
and constraints (the codelists as ``enum``, open codelists as a ``pattern``), the primary key
and the template version, so any tool can produce a file Lindung accepts. Lindung checks files
against this same schema (``lindung.ingest.structure``) rather than through the
``frictionless`` package: the checks have to name workbook cells as well as CSV rows, and
they run on files of both kinds with one set of findings.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any, get_args

from lindung.framework import Catalogue, Indicator
from lindung.framework.models import Unit
from lindung.ingest.layout import (
    COLUMN_HELP,
    CSV_COLUMNS,
    TEMPLATE_VERSION,
    TEXT_COLUMNS,
    template_rows,
)
from lindung.store import DIMENSIONS, KEY
from lindung.text import neutralise

#: Longest text accepted in ``source`` and ``note``.
MAX_TEXT = 1000
OPEN_CODE_PATTERN = "^(_T|[A-Z0-9][A-Z0-9_]*)$"
YEAR_RANGE = (1990, 2100)


def table_schema(catalogue: Catalogue) -> dict[str, Any]:
    """Return the Table Schema of the long CSV format for the catalogue's codes."""
    fields: list[dict[str, Any]] = [
        _field(
            "series",
            "string",
            required=True,
            enum=[indicator.code for indicator in catalogue.indicators],
        ),
        _field(
            "ref_area",
            "string",
            required=True,
            enum=[state.iso3 for state in catalogue.member_states],
        ),
        _field(
            "time_period",
            "integer",
            required=True,
            minimum=YEAR_RANGE[0],
            maximum=YEAR_RANGE[1],
        ),
    ]
    for name in DIMENSIONS:
        codelist = catalogue.codelists.get(name)
        if codelist is None or codelist.open:
            fields.append(_field(name, "string", required=True, pattern=OPEN_CODE_PATTERN))
        else:
            fields.append(_field(name, "string", required=True, enum=sorted(codelist.code_set())))
    fields.append(_field("unit", "string", enum=list(get_args(Unit))))
    fields.append(_field("value", "number"))
    nature = sorted(catalogue.codes("nature") - {"_T"})
    fields.append(_field("nature", "string", enum=nature))
    for name in TEXT_COLUMNS:
        fields.append(_field(name, "string", maxLength=MAX_TEXT))
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "fields": fields,
        "primaryKey": list(KEY),
        "missingValues": [""],
        "lindung:templateVersion": TEMPLATE_VERSION,
        "lindung:frameworkVersion": catalogue.version,
    }


def _field(name: str, type_: str, **constraints: Any) -> dict[str, Any]:
    field: dict[str, Any] = {
        "name": name,
        "type": type_,
        "description": COLUMN_HELP[name]["en"],
    }
    if type_ == "number":
        field["bareNumber"] = True
        field["decimalChar"] = "."
    if constraints:
        field["constraints"] = constraints
    return field


def write_csv(
    catalogue: Catalogue,
    indicators: Sequence[Indicator],
    *,
    country: str,
    year: int,
    path: Path,
) -> Path:
    """Write the long CSV template and ``schema.json`` beside it; return the schema's path."""
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        for row in template_rows(catalogue, indicators):
            cells = {
                "series": row.indicator.code,
                "ref_area": country,
                "time_period": year,
                **row.codes(),
                "unit": row.indicator.unit,
            }
            writer.writerow({name: neutralise(value) for name, value in cells.items()})
    schema_path = path.with_name("schema.json")
    schema_path.write_text(
        json.dumps(table_schema(catalogue), indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    return schema_path
