"""Shared pieces of the assessment tests: the hand-computed oracle from the shipped CSVs, and a
national value put in the store the way a country's template submission would."""

from __future__ import annotations

import csv
from collections import defaultdict
from pathlib import Path

import lindung
from lindung.store import create_submission, insert_observations, make_engine, transaction

from ..conftest import publish_through_review

REFERENCE = Path(lindung.__file__).parent / "data" / "reference"
MEMBERS = ("BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "TLS")


def benfts_2019_by_hand() -> tuple[dict[str, float], dict[str, float]]:
    """SI_COV_BENFTS 2019 per member state and its total population (thousands), read with the
    csv module straight from the shipped UN files, independently of pandas and lindung.assess."""
    values: dict[str, float] = {}
    with (REFERENCE / "asean_sdg_1_3_1_and_poverty_unsd_2020.csv").open() as handle:
        for row in csv.DictReader(handle):
            if (
                row["series"] == "SI_COV_BENFTS"
                and row["year"] == "2019"
                and row["iso3"] in MEMBERS
            ):
                values[row["iso3"]] = float(row["value"])
    population: dict[str, float] = defaultdict(float)
    with (REFERENCE / "asean_population_by_age5_sex_wpp2019_1990_2050.csv").open() as handle:
        for row in csv.DictReader(handle):
            if row["year"] == "2019":
                population[row["iso3"]] += float(row["population_thousands"])
    return values, dict(population)


def store_values(
    database_url: str,
    values: dict[tuple[str, str], float],
    *,
    year: int,
    source: str,
    published: bool = False,
    area: str = "IDN",
) -> int:
    """Store ``(series, ref_area) -> value`` (percent) for one year as one template
    submission from ``area``, a draft or published through review; return its id."""
    engine = make_engine(database_url)
    with transaction(engine) as connection:
        submission = create_submission(
            connection,
            kind="template",
            ref_area=area,
            time_period=year,
            source=source,
            framework_version="1.0.0",
            actor="test",
        )
        insert_observations(
            connection,
            submission,
            [
                {
                    "series": series,
                    "ref_area": ref_area,
                    "time_period": year,
                    "value": value,
                    "unit": "percent",
                }
                for (series, ref_area), value in values.items()
            ],
            framework_version="1.0.0",
        )
        if published:
            publish_through_review(connection, submission)
    engine.dispose()
    return submission


def store_national_value(
    database_url: str, *, area: str, year: int, value: float, source: str, published: bool = False
) -> int:
    """Store one national SI_COV_BENFTS value as a template submission; return its id."""
    return store_values(
        database_url,
        {("SI_COV_BENFTS", area): value},
        year=year,
        source=source,
        published=published,
        area=area,
    )
