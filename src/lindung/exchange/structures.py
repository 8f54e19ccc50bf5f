"""The SDMX structures Lindung exchanges data under, offline: the SDG DSD and its Dataflow
(shipped in ``lindung.data.sdmx``), the SDG content constraints, and Lindung's own DSD for its
``ASP_`` series (agency ASEAN), built from the framework with pysdmx.

A ``Layout`` says how one structure's columns map to an observation's fields: which SDMX
dimension holds which Lindung dimension, how areas and units are coded, and which codes each
column allows. The SDG DSD codes areas in UN M49 (Indonesia = 360) and units in its own
CL_UNIT_MEASURE (percent = PT); Lindung's DSD keeps Lindung's codes (ISO3, ``percent``).
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import get_args

from pysdmx.io import read_sdmx
from pysdmx.model import Code, Codelist, Concept, DataType, Role
from pysdmx.model.dataflow import Component, Components, Dataflow, DataStructureDefinition

from lindung.framework import Catalogue
from lindung.framework.models import Unit
from lindung.keys import DIMENSIONS

PACKAGE = "lindung.data.sdmx"
SDG_DSD_FILE = "SDG_DSD_1.5.xml.gz"
SDG_DATAFLOW_FILE = "SDG_dataflow.xml"
CONSTRAINTS_FILE = "sdg_content_constraints.csv"

#: The UN's dataflows over the SDG DSD, read as the DSD itself: the SDG Global Database's
#: harmonized global data (DF_SDG_GLH, REPORTING_TYPE G) and the country data beside it
#: (DF_SDG_GLC, REPORTING_TYPE N). A download from data.un.org names one of them in its
#: DATAFLOW column (``IAEG-SDGs:DF_SDG_GLH(1.0)``) rather than the DSD.
SDG_DATAFLOWS = ("DF_SDG_GLH", "DF_SDG_GLC")

#: Lindung's own series go out under Lindung's DSD, the rest under the SDG DSD.
OWN_SERIES_PREFIX = "ASP_"
LINDUNG_AGENCY = "ASEAN"

#: Lindung's unit -> the SDG DSD's CL_UNIT_MEASURE code. Units without one (PPP$, int$_2011)
#: cannot go out under the SDG DSD; no SDG series uses them.
SDG_UNITS: dict[str, str] = {
    "percent": "PT",
    "ratio": "RO",
    "index": "IX",
    "LCU": "CUR_LCU",
    "persons": "NUMBER",
    "count": "NUMBER",
}

#: The attributes every message carries (the DSD's names), and the observation field of each.
ATTRIBUTES: dict[str, str] = {
    "NATURE": "nature",
    "OBS_STATUS": "obs_status",
    "SOURCE_DETAIL": "source",
    "COMMENT_OBS": "comment",
    "LOWER_BOUND": "ci_low",
    "UPPER_BOUND": "ci_high",
}


@dataclass(frozen=True)
class Layout:
    """How observations are keyed in one DSD."""

    dsd: DataStructureDefinition
    #: SDMX dimension id -> Lindung dimension (the DSD's other dimensions are always ``_T``).
    dimensions: Mapping[str, str]
    #: SDMX column id -> the codes it allows (columns without a codelist are absent).
    codes: Mapping[str, frozenset[str]]
    #: Lindung area -> the DSD's REF_AREA code, and back.
    area_out: Mapping[str, str]
    area_in: Mapping[str, str]
    #: Lindung unit -> the DSD's UNIT_MEASURE code.
    unit_out: Mapping[str, str]
    #: Attributes this DSD has beyond ``ATTRIBUTES`` (SDMX id -> observation field).
    extra_attributes: Mapping[str, str] = field(default_factory=dict)

    @property
    def urn(self) -> str:
        """The DSD's short URN, e.g. ``DataStructure=IAEG-SDGs:SDG(1.5)``."""
        return str(self.dsd.short_urn)

    @property
    def dimension_ids(self) -> list[str]:
        """Every dimension of the DSD in its order, TIME_PERIOD included."""
        return [c.id for c in self.dsd.components if c.role == Role.DIMENSION]


def _text(file_name: str) -> str:
    raw = resources.files(PACKAGE).joinpath(file_name).read_bytes()
    if file_name.endswith(".gz"):
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")


@cache
def sdg_dsd() -> DataStructureDefinition:
    """Return the SDG DSD (IAEG-SDGs:SDG 1.5) with its codelists, read from the shipped file."""
    structures = read_sdmx(_text(SDG_DSD_FILE), validate=False).structures or ()
    return next(s for s in structures if isinstance(s, DataStructureDefinition))


@cache
def sdg_dataflow() -> Dataflow:
    """Return the shipped Dataflow over the SDG DSD (pysdmx reads data against a Dataflow)."""
    structures = read_sdmx(_text(SDG_DATAFLOW_FILE), validate=False).structures or ()
    return next(s for s in structures if isinstance(s, Dataflow))


@cache
def content_constraints() -> dict[str, dict[str, frozenset[str] | None]]:
    """Return, per SDG series, the codes each dimension may take (None: every code) and its
    unit, from sdg-build's content constraints (``UNIT_MEASURE`` is one code)."""
    reader = csv.DictReader(io.StringIO(_text(CONSTRAINTS_FILE)))
    constraints: dict[str, dict[str, frozenset[str] | None]] = {}
    for record in reader:
        series = record.pop("SERIES")
        record.pop("Name")
        constraints[series] = {
            column: None if value == "ALL" else frozenset(value.split(";"))
            for column, value in record.items()
        }
    return constraints


def _codelist_codes(dsd: DataStructureDefinition) -> dict[str, frozenset[str]]:
    return {
        c.id: frozenset(code.id for code in c.local_codes.items)
        for c in dsd.components
        if isinstance(c.local_codes, Codelist)
    }


def _sdg_layout(catalogue: Catalogue) -> Layout:
    dsd = sdg_dsd()
    ids = {c.id for c in dsd.components}
    dimensions = {name.upper(): name for name in DIMENSIONS if name.upper() in ids}
    areas = {state.iso3: str(state.m49) for state in catalogue.member_states}
    areas.update({a.code: str(a.m49) for a in catalogue.aggregates if a.m49 is not None})
    return Layout(
        dsd=dsd,
        dimensions=dimensions,
        codes=_codelist_codes(dsd),
        area_out=areas,
        area_in={m49: iso3 for iso3, m49 in areas.items()},
        unit_out=SDG_UNITS,
    )


def _codelist(id_: str, name: str, codes: list[str]) -> Codelist:
    return Codelist(
        id=id_,
        name=name,
        agency=LINDUNG_AGENCY,
        version="1.0",
        items=[Code(id=code, name=code) for code in codes],
    )


def _component(
    id_: str,
    role: Role,
    codes: Codelist | None = None,
    *,
    required: bool = True,
    number: bool = False,
) -> Component:
    return Component(
        id=id_,
        required=required,
        role=role,
        concept=Concept(id=id_, dtype=DataType.DOUBLE if number else DataType.STRING),
        local_codes=codes,
        attachment_level="O" if role == Role.ATTRIBUTE else None,
    )


def _lindung_layout(catalogue: Catalogue) -> Layout:
    sdg = {c.id: c for c in sdg_dsd().components}
    components = [
        sdg["FREQ"],
        sdg["REPORTING_TYPE"],
        _component(
            "SERIES",
            Role.DIMENSION,
            _codelist(
                "CL_SERIES",
                "Lindung's own series",
                [i.code for i in catalogue.indicators if i.code.startswith(OWN_SERIES_PREFIX)],
            ),
        ),
        _component("REF_AREA", Role.DIMENSION, _codelist("CL_AREA", "Areas", catalogue.areas)),
    ]
    for name in DIMENSIONS:
        codelist = catalogue.codelists.get(name)
        closed = codelist is not None and not codelist.open
        codes = _codelist(f"CL_{name.upper()}", name, sorted(catalogue.codes(name)))
        components.append(_component(name.upper(), Role.DIMENSION, codes if closed else None))
    components += [
        sdg["TIME_PERIOD"],
        _component("OBS_VALUE", Role.MEASURE, number=True),
        _component(
            "UNIT_MEASURE",
            Role.ATTRIBUTE,
            _codelist("CL_UNIT_MEASURE", "Units", list(get_args(Unit))),
        ),
        sdg["UNIT_MULT"],
        sdg["NATURE"],
        sdg["OBS_STATUS"],
        *(
            _component(id_, Role.ATTRIBUTE, required=False, number=id_ != "SOURCE_DETAIL")
            for id_ in ("SOURCE_DETAIL", "LOWER_BOUND", "UPPER_BOUND", "STANDARD_ERROR")
        ),
        _component("COMMENT_OBS", Role.ATTRIBUTE, required=False),
    ]
    dsd = DataStructureDefinition(
        id="LINDUNG",
        name="Lindung: ASEAN Social Protection Monitoring Framework series",
        agency=LINDUNG_AGENCY,
        version=catalogue.version,
        components=Components(components),
    )
    areas = {area: area for area in catalogue.areas}
    return Layout(
        dsd=dsd,
        dimensions={name.upper(): name for name in DIMENSIONS},
        codes=_codelist_codes(dsd),
        area_out=areas,
        area_in=areas,
        unit_out={unit: unit for unit in get_args(Unit)},
        extra_attributes={"STANDARD_ERROR": "se"},
    )


def layout_for_series(catalogue: Catalogue, series: str) -> Layout:
    """Return the layout a series goes out under: Lindung's DSD for ``ASP_``, else the SDG DSD."""
    if series.startswith(OWN_SERIES_PREFIX):
        return _lindung_layout(catalogue)
    return _sdg_layout(catalogue)


def layouts(catalogue: Catalogue) -> dict[str, Layout]:
    """Return every layout Lindung reads, by the agency:id of its DSD or of a dataflow over it
    (``SDG_DATAFLOWS``)."""
    found = {}
    for layout in (_sdg_layout(catalogue), _lindung_layout(catalogue)):
        found[f"{layout.dsd.agency}:{layout.dsd.id}"] = layout
    sdg = found[f"{sdg_dsd().agency}:{sdg_dsd().id}"]
    for dataflow in SDG_DATAFLOWS:
        found[f"{sdg_dsd().agency}:{dataflow}"] = sdg
    return found
