"""The population that weights `lindung assess aggregate` is the UN WPP loaded as reference
data, whatever a country submits under ASP_POP, and every aggregate names its source."""

from __future__ import annotations

import json
from typing import Any

import pytest

from lindung.keys import DIMENSIONS
from lindung.store import create_submission, insert_observations, make_engine, transaction

from ..conftest import publish_through_review

WPP = "UN World Population Prospects 2019"
# Hand-made round numbers (persons) and coverage (percent) for 2019; BRN and TLS report no
# coverage. Weighted by WPP: (60*270 + 20*100 + 40*50 + 30*6*10) / 480 = 22000 / 480.
POPULATION = {"IDN": 270.0, "PHL": 100.0, "THA": 50.0, "BRN": 1.0, "TLS": 1.0}
POPULATION |= {c: 10.0 for c in ("KHM", "LAO", "MYS", "MMR", "SGP", "VNM")}
COVERAGE = {"IDN": 60.0, "PHL": 20.0, "THA": 40.0}
COVERAGE |= {c: 30.0 for c in ("KHM", "LAO", "MYS", "MMR", "SGP", "VNM")}
SHARE_WITH_DATA = (270 + 100 + 50 + 60) / 482


def _store(
    database_url: str, *, kind: str, area: str, rows: list[tuple[str, str, float]], source: str
) -> None:
    engine = make_engine(database_url)
    with transaction(engine) as connection:
        submission = create_submission(
            connection,
            kind=kind,
            ref_area=area,
            time_period=2019,
            source=source,
            framework_version="1.0.0",
            actor="test",
            # Shipped reference data is born published; anything else goes through review.
            status="published" if kind == "reference" else "draft",
        )
        insert_observations(
            connection,
            submission,
            [
                {
                    "series": series,
                    "ref_area": ref_area,
                    "time_period": 2019,
                    **dict.fromkeys(DIMENSIONS, "_T"),
                    "value": value,
                    "unit": "persons" if series == "ASP_POP" else "percent",
                    "source": source,
                }
                for series, ref_area, value in rows
            ],
            framework_version="1.0.0",
        )
        if kind != "reference":
            publish_through_review(connection, submission)
    engine.dispose()


def _weighted(lindung: Any) -> dict[str, Any]:
    result = lindung(
        "assess", "aggregate", "--series", "SI_COV_BENFTS", "--year", "2019", "--region",
        "ASEAN", "--no-store", "--format", "json",
    )  # fmt: skip
    assert result.exit_code == 0, result.stderr
    rows: list[dict[str, Any]] = json.loads(result.stdout)
    return next(r for r in rows if r["method"] == "population_weighted")


def test_a_country_template_of_population_changes_neither_the_weights_nor_the_source(
    lindung: Any, database_url: str
) -> None:
    assert lindung("db", "init").exit_code == 0
    _store(
        database_url,
        kind="reference",
        area="ASEAN",
        rows=[("ASP_POP", c, p) for c, p in POPULATION.items()],
        source=WPP,
    )
    _store(
        database_url,
        kind="template",
        area="ASEAN",
        rows=[("SI_COV_BENFTS", c, v) for c, v in COVERAGE.items()],
        source="test: national coverage",
    )
    before = _weighted(lindung)
    assert before["value"] == pytest.approx(22000 / 480, rel=1e-12)
    assert before["population_source"] == WPP
    assert before["population_share"] == pytest.approx(SHARE_WITH_DATA, rel=1e-12)

    # Indonesia publishes its own population, ten times WPP's, and the
    # Philippines one of 1e300 persons.
    _store(
        database_url,
        kind="template",
        area="IDN",
        rows=[("ASP_POP", "IDN", 2700.0)],
        source="test: Indonesia's own census projection",
    )
    _store(
        database_url,
        kind="template",
        area="PHL",
        rows=[("ASP_POP", "PHL", 1e300)],
        source="test: a hostile template",
    )
    after = _weighted(lindung)
    assert after["value"] == pytest.approx(22000 / 480, rel=1e-12)
    assert after["population_source"] == WPP
    assert after["population_share"] == pytest.approx(SHARE_WITH_DATA, rel=1e-12)
