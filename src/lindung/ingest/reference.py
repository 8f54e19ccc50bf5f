"""Loading the shipped reference data (UN SDG database, WDI, UN WPP, Maddison) as published
observations, one submission per source file and country; loading twice adds nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from importlib import resources
from typing import Any

import pandas as pd
from sqlalchemy import Engine

from lindung.errors import UnknownCode
from lindung.framework import Catalogue, load_catalogue
from lindung.store import (
    DIMENSIONS,
    create_submission,
    find_by_hash,
    insert_observations,
    transaction,
)

REFERENCE_PACKAGE = "lindung.data.reference"

UNSD_FILE = "asean_sdg_1_3_1_and_poverty_unsd_2020.csv"
WDI_FILE = "asean_wdi_gini_aspire_extract.csv"
WPP_FILE = "asean_population_by_age5_sex_wpp2019_1990_2050.csv"
MADDISON_FILE = "asean_gdp_pc_maddison2020_via_owid.csv"

UNSD_SOURCE = "UN SDG Global Database (UNSD), 2020 snapshot"
SERIES_AGENCY = {
    "SI_COV_SOCAST": "World Bank ASPIRE",
    "SI_COV_SOCINS": "World Bank ASPIRE",
    "SI_COV_LMKT": "World Bank ASPIRE",
    "SI_POV_DAY1": "World Bank",
    "SI_POV_NAHC": "World Bank (national poverty lines)",
    "SI_POV_50MI": "World Bank",
    "SI_POV_EMP1": "ILO",
}
SEX = {"": "_T", "bothsex": "_T", "female": "F", "male": "M"}
AGE = {"": "_T", "15": "Y_GE15", "15_24": "Y15T24", "25": "Y_GE25"}
QUANTILE = {"": "_T", "t": "_T", "q1": "Q1", "b50": "_T"}
LOCATION = {"": "_T", "allarea": "_T", "urban": "U", "rural": "R"}
WDI_SERIES = {
    "SI.POV.GINI": ("SI_POV_GINI", "_T", "World Bank WDI SI.POV.GINI"),
    "per_allsp.cov_pop_tot": ("ASP_COV", "ALL_SP", "World Bank ASPIRE per_allsp.cov_pop_tot"),
    "per_allsp.adq_pop_tot": ("ASP_ADQ", "ALL_SP", "World Bank ASPIRE per_allsp.adq_pop_tot"),
}
MADDISON_AREAS = {
    "Cambodia": "KHM",
    "Indonesia": "IDN",
    "Laos": "LAO",
    "Malaysia": "MYS",
    "Myanmar": "MMR",
    "Philippines": "PHL",
    "Singapore": "SGP",
    "Thailand": "THA",
    "Vietnam": "VNM",
    "World": "WLD",
}
LAST_WPP_ESTIMATE_YEAR = 2019

Row = dict[str, Any]


@dataclass
class ReferenceBatch:
    """The observations of one reference file for one area: one submission."""

    file_name: str
    file_hash: str
    ref_area: str
    source: str
    rows: list[Row]


@dataclass
class LoadSummary:
    """What a reference load did."""

    submissions_created: int = 0
    observations_written: int = 0
    batches_already_loaded: int = 0
    files: list[str] = field(default_factory=list)


def _read(file_name: str) -> tuple[pd.DataFrame, str]:
    raw = resources.files(REFERENCE_PACKAGE).joinpath(file_name).read_bytes()
    frame = pd.read_csv(
        resources.files(REFERENCE_PACKAGE).joinpath(file_name).open("rb"), dtype=str
    )
    return frame.fillna(""), hashlib.sha256(raw).hexdigest()


def _unsd_rows(frame: pd.DataFrame, catalogue: Catalogue) -> Iterator[Row]:
    for record in frame.to_dict("records"):
        series = record["series"]
        agency = SERIES_AGENCY.get(series, "ILO")
        yield {
            "series": series,
            "ref_area": record["iso3"],
            "time_period": int(record["year"]),
            "sex": SEX[record["sex"]],
            "age": AGE[record["age"]],
            "income_wealth_quantile": QUANTILE[record["quantile"]],
            "urbanisation": LOCATION[record["location"]],
            "value": float(record["value"]),
            "unit": catalogue.indicator(series).unit,
            "nature": record["nature"].upper(),
            "source": f"{UNSD_SOURCE}; {agency}",
        }


def _wdi_rows(frame: pd.DataFrame, catalogue: Catalogue) -> Iterator[Row]:
    for record in frame.to_dict("records"):
        series, program, source = WDI_SERIES[record["indicator"]]
        yield {
            "series": series,
            "ref_area": record["iso3"],
            "time_period": int(record["year"]),
            "program": program,
            "value": float(record["value"]),
            "unit": catalogue.indicator(series).unit,
            "nature": "CA",
            "source": source,
        }


def _wpp_rows(frame: pd.DataFrame, catalogue: Catalogue) -> Iterator[Row]:
    unit = catalogue.indicator("ASP_POP").unit
    frame = frame.assign(
        persons=frame["population_thousands"].astype(float) * 1000.0,
        sex=frame["sex"].map({"male": "M", "female": "F"}),
        age=frame["age_group"].map(_wpp_age),
        year=frame["year"].astype(int),
    )
    by_sex = frame.groupby(["iso3", "year", "sex"], as_index=False).agg(persons=("persons", "sum"))
    by_sex["age"] = "_T"
    total = frame.groupby(["iso3", "year"], as_index=False).agg(persons=("persons", "sum"))
    total["age"] = "_T"
    total["sex"] = "_T"
    parts: list[tuple[pd.DataFrame, str | None]] = [
        (frame, None),
        (by_sex, "sum of the five-year age groups"),
        (total, "sum of the five-year age groups and both sexes"),
    ]
    for part, comment in parts:
        for record in part[["iso3", "year", "sex", "age", "persons"]].to_dict("records"):
            year = int(record["year"])
            projected = year > LAST_WPP_ESTIMATE_YEAR
            yield {
                "series": "ASP_POP",
                "ref_area": record["iso3"],
                "time_period": year,
                "sex": record["sex"],
                "age": record["age"],
                "value": float(record["persons"]),
                "unit": unit,
                "nature": "M" if projected else "E",
                "source": "UN World Population Prospects 2019"
                + (" (projection)" if projected else ""),
                "comment": comment,
            }


def _wpp_age(label: str) -> str:
    if label.endswith("plus"):
        return f"Y_GE{label.removesuffix('plus')}"
    low, high = label.split("_")
    return f"Y{low}T{high}"


def _maddison_rows(frame: pd.DataFrame, catalogue: Catalogue) -> Iterator[Row]:
    unit = catalogue.indicator("ASP_GDP_PC").unit
    for record in frame.to_dict("records"):
        if record["GDP per capita"] == "":
            continue
        yield {
            "series": "ASP_GDP_PC",
            "ref_area": MADDISON_AREAS[record["Entity"]],
            "time_period": int(record["Year"]),
            "value": float(record["GDP per capita"]),
            "unit": unit,
            "nature": "E",
            "source": "Maddison Project Database 2020 (Bolt and van Zanden 2020)",
        }


READERS: dict[str, tuple[str, Callable[[pd.DataFrame, Catalogue], Iterator[Row]]]] = {
    UNSD_FILE: (UNSD_SOURCE, _unsd_rows),
    WDI_FILE: ("World Bank World Development Indicators", _wdi_rows),
    WPP_FILE: ("UN World Population Prospects 2019", _wpp_rows),
    MADDISON_FILE: ("Maddison Project Database 2020", _maddison_rows),
}


def _check_codes(catalogue: Catalogue, row: Row, file_name: str) -> None:
    """Refuse a row whose codes the framework does not define (a mapping bug, not user input)."""
    catalogue.indicator(row["series"])
    if row["ref_area"] not in catalogue.areas:
        raise UnknownCode("area", row["ref_area"], f"in {file_name}")
    for dimension in DIMENSIONS:
        code = row.get(dimension, "_T")
        codelist = catalogue.codelists.get(dimension)
        if codelist is not None and not codelist.open and code not in catalogue.codes(dimension):
            raise UnknownCode(dimension, code, f"in {file_name}, series {row['series']}")


def reference_batches(catalogue: Catalogue) -> list[ReferenceBatch]:
    """Return the shipped reference data as batches, one per file and area."""
    batches = []
    for file_name, (source, read_rows) in READERS.items():
        frame, file_hash = _read(file_name)
        by_area: dict[str, list[Row]] = {}
        for row in read_rows(frame, catalogue):
            _check_codes(catalogue, row, file_name)
            by_area.setdefault(row["ref_area"], []).append(row)
        for area, rows in sorted(by_area.items()):
            batch_hash = hashlib.sha256(f"{file_hash}:{area}".encode()).hexdigest()
            batches.append(ReferenceBatch(file_name, batch_hash, area, source, rows))
    return batches


def load_reference(
    engine: Engine,
    *,
    actor: str = "system",
    progress: Callable[[ReferenceBatch], None] | None = None,
) -> LoadSummary:
    """Load every reference batch not yet in the store, each as one published submission."""
    catalogue = load_catalogue()
    summary = LoadSummary(files=list(READERS))
    batches = reference_batches(catalogue)
    with transaction(engine) as connection:
        for batch in batches:
            if find_by_hash(connection, batch.file_hash, kind="reference") is not None:
                summary.batches_already_loaded += 1
            else:
                submission_id = create_submission(
                    connection,
                    kind="reference",
                    ref_area=batch.ref_area,
                    time_period=None,
                    source=batch.source,
                    framework_version=catalogue.version,
                    actor=actor,
                    file_name=batch.file_name,
                    file_hash=batch.file_hash,
                    status="published",
                )
                summary.observations_written += insert_observations(
                    connection, submission_id, batch.rows, framework_version=catalogue.version
                )
                summary.submissions_created += 1
            if progress is not None:
                progress(batch)
    return summary
