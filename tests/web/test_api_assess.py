"""The assessment over the API: availability and consistency of values seeded in each test,
with expectations computed by hand, on both engines."""

from __future__ import annotations

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from lindung.store import transaction
from lindung.store.submissions import set_status

from .test_api import seed

COVERAGE = "SI_COV_BENFTS"


def publish(engine: Engine, number: int) -> None:
    """Walk a national submission through review to publication."""
    with transaction(engine) as connection:
        for before, after in (
            ("draft", "submitted"),
            ("submitted", "validated"),
            ("validated", "published"),
        ):
            set_status(connection, number, after, expected=before, actor="tests")


def test_availability_counts_headline_years_since_the_baseline(
    app: FastAPI, engine: Engine
) -> None:
    seed(
        engine,
        [
            {"series": COVERAGE, "time_period": 2014, "value": 20.0},
            {"series": COVERAGE, "time_period": 2016, "value": 22.0},
            {"series": COVERAGE, "time_period": 2020, "value": 25.0},
            {"series": COVERAGE, "time_period": 2021, "sex": "F", "value": 26.0},
        ],
    )
    response = TestClient(app).get(
        "/api/v1/availability", params={"series": COVERAGE, "area": ["PHL", "VNM"]}
    )
    assert response.status_code == 200
    rows = {row["ref_area"]: row for row in response.json()["data"]}
    # PHL: latest 2021 (a breakdown), headline years since 2015: 2016 and 2020; VNM nothing.
    assert (rows["PHL"]["latest_year"], rows["PHL"]["points"]) == (2021, 2)
    assert rows["PHL"]["disaggregations"] == ["sex"]
    assert (rows["VNM"]["latest_year"], rows["VNM"]["points"]) == (None, 0)
    earlier = TestClient(app).get(
        "/api/v1/availability", params={"series": COVERAGE, "area": "PHL", "since": 2010}
    )
    assert earlier.json()["data"][0]["points"] == 3


@pytest.mark.parametrize(("national", "flagged"), [(36.2, False), (45.0, True)])
def test_consistency_flags_a_difference_beyond_five_points(
    app: FastAPI, engine: Engine, national: float, flagged: bool
) -> None:
    key = {"series": COVERAGE, "time_period": 2020}
    seed(engine, [{**key, "value": 33.1}])
    number = seed(engine, [{**key, "value": national}], kind="template", status="draft")
    before = TestClient(app).get("/api/v1/consistency", params={"series": COVERAGE})
    assert before.json()["data"] == []  # a draft is not compared
    publish(engine, number)
    response = TestClient(app).get(
        "/api/v1/consistency", params={"series": COVERAGE, "area": "PHL"}
    )
    rows = response.json()["data"]
    assert len(rows) == 1
    row = rows[0]
    assert (row["national"], row["international"], row["flag"]) == (national, 33.1, flagged)
    assert abs(abs(row["difference"]) - abs(national - 33.1)) < 1e-9
    csv_answer = TestClient(app).get(
        "/api/v1/consistency", params={"series": COVERAGE, "format": "csv"}
    )
    assert csv_answer.text.splitlines()[0].startswith("series,ref_area,time_period")


def test_tiers_weigh_availability_by_population(app: FastAPI, engine: Engine) -> None:
    from lindung.framework import load_catalogue

    client = TestClient(app)
    refused = client.get("/api/v1/tiers", params={"series": COVERAGE})
    assert refused.status_code == 422
    assert refused.json()["error"]["code"] == "assessment"
    members = [state.iso3 for state in load_catalogue().member_states]
    # Equal populations; coverage regularly produced (2 points since 2015) for 6 of them.
    for area in members:
        seed(engine, [{"series": "ASP_POP", "time_period": 2020, "value": 1e6}], area=area)
    for area in members[:6]:
        seed(
            engine,
            [{"series": COVERAGE, "time_period": year, "value": 30.0} for year in (2018, 2020)],
            area=area,
        )
    rows = client.get("/api/v1/tiers", params={"series": COVERAGE}).json()["data"]
    assert [row["series"] for row in rows] == [COVERAGE]
    assert rows[0]["asean_tier"] == "I"
    # Why, as a code with its numbers, and in Bahasa Indonesia for lang=id: 6 of 11 member
    # states of equal population, 6/11 = 55 % of each.
    assert rows[0]["reason_code"] == "tier_I"
    args = rows[0]["reason_args"]
    assert (args["regular"], args["members"], args["min_points"]) == (6, 11, 2)
    assert abs(args["population_share"] - 6 / 11) < 1e-12
    said = client.get("/api/v1/tiers", params={"series": COVERAGE, "lang": "id"})
    assert said.json()["data"][0]["reason"] == (
        "metodologi sudah mapan; data dihasilkan secara rutin (2 titik atau lebih) untuk 6 dari "
        "11 negara anggota (55%) yang mencakup 55% penduduk ASEAN"
    )
    assert said.json()["data"][0]["reason_args"] == args
