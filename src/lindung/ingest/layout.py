"""What a submission template holds: its columns and one row per indicator and disaggregation.

The workbook and the CSV share this layout, so a file of either kind is read and checked by
the same code. Rows are one-way breakdowns (the total, then each code of each dimension the
indicator is disaggregated by), as the SDG database reports them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from lindung.errors import UnknownCode
from lindung.framework import Catalogue, Indicator
from lindung.store import DIMENSIONS

#: Bumped whenever the columns or the metadata of the template change.
TEMPLATE_VERSION = "1"

#: The hidden sheet holding the template's metadata (key in column A, value in column B).
METADATA_SHEET = "_lindung"
#: The hidden sheet holding the codelists that drop-downs point to.
LISTS_SHEET = "_lists"
#: The sheet with the instructions, named in the template's language. The reader skips it
#: under either name, so a workbook is read the same whatever language it was made in.
INSTRUCTIONS_SHEETS: dict[str, str] = {"en": "Instructions", "id": "Petunjuk"}
METADATA_KEYS: tuple[str, ...] = (
    "template_version",
    "framework_version",
    "country",
    "year",
    "language",
    "sheets",
)

#: Columns of the workbook's pillar sheets, in order. ``indicator`` and ``disaggregation``
#: are labels for people and are not read back.
WORKBOOK_COLUMNS: tuple[str, ...] = (
    "series",
    "indicator",
    "disaggregation",
    *DIMENSIONS,
    "unit",
    "value",
    "nature",
    "source",
    "note",
)
#: Columns of the long CSV format, in order.
CSV_COLUMNS: tuple[str, ...] = (
    "series",
    "ref_area",
    "time_period",
    *DIMENSIONS,
    "unit",
    "value",
    "nature",
    "source",
    "note",
)
LABEL_COLUMNS: frozenset[str] = frozenset({"indicator", "disaggregation"})
#: Cells a focal point fills; every other cell of a pillar sheet is locked.
INPUT_COLUMNS: tuple[str, ...] = ("value", "nature", "source", "note")
TEXT_COLUMNS: tuple[str, ...] = ("source", "note")

COLUMN_HELP: dict[str, dict[str, str]] = {
    "series": {
        "en": "Series code of the indicator (SDG or Lindung ASP_ code).",
        "id": "Kode seri indikator (kode SDG atau kode Lindung ASP_).",
    },
    "ref_area": {"en": "ISO3 code of the country.", "id": "Kode ISO3 negara."},
    "time_period": {
        "en": "Year the value refers to.",
        "id": "Tahun acuan nilai.",
    },
    "indicator": {"en": "Name of the indicator.", "id": "Nama indikator."},
    "disaggregation": {
        "en": "The breakdown of this row in words.",
        "id": "Rincian baris ini dalam kata-kata.",
    },
    "unit": {"en": "Unit the value is measured in.", "id": "Satuan nilai."},
    "value": {
        "en": "The number. Leave empty when not available: an empty value is not reported.",
        "id": "Angka. Kosongkan bila tidak tersedia: nilai kosong berarti tidak dilaporkan.",
    },
    "nature": {
        "en": "How the value was obtained (SDMX NATURE): C country data, CA country-adjusted, "
        "E estimated, G global monitoring, M modelled, N non-relevant.",
        "id": "Cara nilai diperoleh (SDMX NATURE): C data negara, CA disesuaikan negara, "
        "E estimasi, G pemantauan global, M model, N tidak relevan.",
    },
    "source": {
        "en": "Source of the value (survey, administrative register, publication).",
        "id": "Sumber nilai (survei, data administratif, publikasi).",
    },
    "note": {"en": "Anything a reviewer should know.", "id": "Hal yang perlu diketahui peninjau."},
}
for _dimension in DIMENSIONS:
    COLUMN_HELP[_dimension] = {
        "en": f"SDG DSD code of {_dimension.upper()}; _T means total.",
        "id": f"Kode SDG DSD untuk {_dimension.upper()}; _T berarti total.",
    }


@dataclass(frozen=True)
class TemplateRow:
    """One row of a template: an indicator and one breakdown (all ``_T`` for the total)."""

    indicator: Indicator
    dimensions: dict[str, str] = field(default_factory=dict)

    def codes(self) -> dict[str, str]:
        """Return the code of every dimension, ``_T`` where the row is a total."""
        return {name: self.dimensions.get(name, "_T") for name in DIMENSIONS}

    def label(self, catalogue: Catalogue, language: str) -> str:
        """Return the breakdown in words, e.g. 'Sex: Female', or 'Total'."""
        if not self.dimensions:
            return "Total"
        parts = []
        for name, code in self.dimensions.items():
            codelist = catalogue.codelists[name]
            names = {entry.code: entry.name.get(language) for entry in codelist.codes}
            parts.append(f"{codelist.title.get(language)}: {names.get(code, code)}")
        return "; ".join(parts)


def selected_indicators(catalogue: Catalogue, codes: Sequence[str] | None) -> list[Indicator]:
    """Return the indicators a template covers: the given codes (checked) or all of them."""
    if not codes:
        return list(catalogue.indicators)
    wanted = {catalogue.indicator(code).code for code in codes}
    return [indicator for indicator in catalogue.indicators if indicator.code in wanted]


def breakdown_codes(catalogue: Catalogue, indicator: Indicator, dimension: str) -> list[str]:
    """Return the codes an indicator's template rows list for one dimension (no total)."""
    name = dimension.lower()
    if name not in catalogue.codelists or name not in DIMENSIONS:
        return []
    codes = [entry.code for entry in catalogue.codelists[name].codes if entry.code != "_T"]
    if name == "group" and indicator.groups:
        return [code for code in codes if code in indicator.groups]
    applicable = indicator.codes.get(dimension.upper())
    return [code for code in codes if code in applicable] if applicable else codes


def template_rows(catalogue: Catalogue, indicators: Sequence[Indicator]) -> list[TemplateRow]:
    """Return the template's rows: per indicator the total, then each one-way breakdown."""
    rows: list[TemplateRow] = []
    for indicator in indicators:
        rows.append(TemplateRow(indicator))
        for dimension in indicator.disaggregations:
            for code in breakdown_codes(catalogue, indicator, dimension):
                rows.append(TemplateRow(indicator, {dimension.lower(): code}))
    return rows


def sheet_title(catalogue: Catalogue, pillar: str, language: str) -> str:
    """Return a pillar's sheet name: its name in ``language``, made valid for Excel."""
    try:
        name = catalogue.pillar(pillar).name.get(language)
    except UnknownCode:
        name = pillar
    cleaned = "".join(" " if char in "[]:*?/\\" else char for char in name).strip("' ")
    return (cleaned or pillar)[:31]
