"""Progress and regional aggregates over the API, of values seeded in each test, with
expectations computed by hand from Open SDG's formulas (open-sdg docs/progress-methodology.md:
R = observed CAGR / |required CAGR|, a zero target replaced by 0.001) and from the means'
definitions (simple: sum x_i / n; weighted: sum P_i x_i / sum P_i; coverage: the population
share of the member states with a value)."""

from __future__ import annotations

import csv
import io
import json
import math

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from lindung.framework import load_catalogue
from lindung.web.api.progress import AGGREGATE_COLUMNS, PROGRESS_COLUMNS

from .test_api import seed

COVERAGE = "SI_COV_BENFTS"
POVERTY = "SI_POV_DAY1"


def test_progress_gives_each_series_and_state_its_status_baseline_latest_and_target(
    app: FastAPI, engine: Engine
) -> None:
    seed(
        engine,
        [
            {"series": POVERTY, "time_period": 2015, "value": 10.0},
            {"series": POVERTY, "time_period": 2020, "value": 5.0},
            {"series": POVERTY, "time_period": 2020, "sex": "F", "value": 6.0},
            {"series": COVERAGE, "time_period": 2016, "value": 20.0},
            {"series": COVERAGE, "time_period": 2020, "value": 30.0},
        ],
    )
    seed(engine, [{"series": COVERAGE, "time_period": 2019, "value": 50.0}], area="IDN")
    response = TestClient(app).get(
        "/api/v1/progress", params={"series": [POVERTY, COVERAGE], "area": ["PHL", "IDN"]}
    )
    assert response.status_code == 200
    rows = {(row["series"], row["ref_area"]): row for row in response.json()["data"]}
    # One row per series and state with values: the women's row is not a headline.
    assert sorted(rows) == [(COVERAGE, "IDN"), (COVERAGE, "PHL"), (POVERTY, "PHL")]
    poverty = rows[(POVERTY, "PHL")]
    # Lower is better, target 0 (taken as 0.001) by 2030 from 2015.
    observed = (5.0 / 10.0) ** (1 / 5) - 1
    required = (0.001 / 10.0) ** (1 / 15) - 1
    ratio = -observed / abs(required)
    assert 0 <= ratio < 0.6  # Open SDG: limited progress below R = 0.6
    assert poverty["status"] == "limited_progress"
    assert poverty["method"] == "opensdg"
    assert math.isclose(poverty["progress_value"], ratio, rel_tol=1e-9)
    assert (poverty["base_year"], poverty["base_value"]) == (2015, 10.0)
    assert (poverty["current_year"], poverty["current_value"]) == (2020, 5.0)
    assert (poverty["target"], poverty["target_year"]) == (0.0, 2030)
    coverage = rows[(COVERAGE, "PHL")]
    # No target: the growth rate since the first value on or after 2015 (2016), 10.7 % a
    # year, beyond 1.5 % even scaled by C = 1 - (20/100)^4.44.
    assert coverage["status"] == "substantial_progress"
    assert math.isclose(coverage["progress_value"], (30.0 / 20.0) ** (1 / 4) - 1, rel_tol=1e-9)
    assert (coverage["base_year"], coverage["target"]) == (2016, None)
    assert rows[(COVERAGE, "IDN")]["status"] == "not_available"
    assert list(rows[(COVERAGE, "IDN")]) == list(PROGRESS_COLUMNS)


def test_progress_by_escap_and_as_csv(app: FastAPI, engine: Engine) -> None:
    seed(engine, [{"series": POVERTY, "time_period": y, "value": 10.0} for y in (2015, 2020)])
    client = TestClient(app)
    escap = client.get("/api/v1/progress", params={"series": POVERTY, "method": "escap"})
    assert [row["method"] for row in escap.json()["data"]] == ["escap"]
    answer = client.get("/api/v1/progress", params={"series": POVERTY, "format": "csv"})
    assert answer.text.splitlines()[0] == ",".join(PROGRESS_COLUMNS)
    assert answer.text.splitlines()[1].startswith(f"{POVERTY},PHL,_T,opensdg,")
    refused = client.get("/api/v1/progress", params={"method": "fastest"})
    assert refused.status_code == 400
    assert "method" in refused.json()["error"]["message"]


#: Populations in millions: the three states with values, the eight others 10 each.
POPULATION = {"PHL": 100.0, "IDN": 270.0, "VNM": 100.0}


def seed_population(engine: Engine) -> None:
    for state in load_catalogue().member_states:
        millions = POPULATION.get(state.iso3, 10.0)
        seed(
            engine,
            [
                {"series": "ASP_POP", "time_period": y, "value": millions * 1e6}
                for y in (2020, 2021)
            ],
            area=state.iso3,
        )


def test_aggregates_weigh_by_population_and_state_their_coverage(
    app: FastAPI, engine: Engine
) -> None:
    client = TestClient(app)
    refused = client.get("/api/v1/aggregates", params={"series": COVERAGE})
    assert refused.status_code == 422  # no UN population loaded
    assert refused.json()["error"]["code"] == "assessment"
    seed_population(engine)
    for area, value in (("PHL", 40.0), ("IDN", 50.0), ("VNM", 30.0)):
        seed(engine, [{"series": COVERAGE, "time_period": 2020, "value": value}], area=area)
    seed(engine, [{"series": COVERAGE, "time_period": 2021, "value": 44.0}])
    answer = client.get("/api/v1/aggregates", params={"series": COVERAGE})
    assert answer.status_code == 200
    body = answer.json()
    assert "50%" in body["coverage_rule"]
    rows = {(r["ref_area"], r["time_period"], r["method"]): r for r in body["data"]}
    # ASEAN: 100 + 270 + 100 + 8 x 10 = 550 million; PHL, IDN, VNM hold 470.
    weighted = rows[("ASEAN", 2020, "population_weighted")]
    assert math.isclose(weighted["value"], (100 * 40 + 270 * 50 + 100 * 30) / 470, rel_tol=1e-9)
    assert math.isclose(weighted["population_share"], 470 / 550, rel_tol=1e-9)
    assert weighted["countries"] == ["IDN", "PHL", "VNM"]
    assert weighted["min_share"] == 0.5
    assert math.isclose(rows[("ASEAN", 2020, "simple_mean")]["value"], 40.0, rel_tol=1e-9)
    # ASEAN10 leaves Timor-Leste (10 million) out: 470 of 540.
    assert math.isclose(
        rows[("ASEAN10", 2020, "simple_mean")]["population_share"], 470 / 540, rel_tol=1e-9
    )
    # 2021: PHL alone holds 100 of 550 (18.2 %), below half: no value, and why.
    alone = rows[("ASEAN", 2021, "population_weighted")]
    assert alone["value"] is None and "18.2%" in alone["reason"]
    assert list(alone) == list(AGGREGATE_COLUMNS)
    lenient = client.get(
        "/api/v1/aggregates",
        params={"series": COVERAGE, "region": "ASEAN", "year": 2021, "min_share": 0.1},
    ).json()
    assert [(r["ref_area"], r["time_period"], r["value"]) for r in lenient["data"]] == [
        ("ASEAN", 2021, 44.0),
        ("ASEAN", 2021, 44.0),
    ]
    assert "10%" in lenient["coverage_rule"]


def test_aggregates_answer_csv_and_304_to_their_etag(app: FastAPI, engine: Engine) -> None:
    seed_population(engine)
    seed(engine, [{"series": COVERAGE, "time_period": 2020, "value": 40.0}])
    client = TestClient(app)
    params = {"series": COVERAGE, "region": "ASEAN10"}
    first = client.get("/api/v1/aggregates", params=params)
    again = client.get(
        "/api/v1/aggregates", params=params, headers={"If-None-Match": first.headers["ETag"]}
    )
    assert again.status_code == 304
    text = client.get("/api/v1/aggregates", params={**params, "format": "csv"}).text
    assert text.splitlines()[0] == ",".join(AGGREGATE_COLUMNS)
    assert all(line.startswith(f"{COVERAGE},ASEAN10,2020,") for line in text.splitlines()[1:])


@pytest.mark.parametrize(
    ("params", "status", "named"),
    [
        ({"region": "EUROPE"}, 404, "ASEAN10"),
        ({"series": "SI_COV_BENFT"}, 404, "SI_COV_BENFTS"),
        ({"min_share": "0"}, 400, "min_share"),
        ({"min_share": "1.5"}, 400, "min_share"),
    ],
)
def test_aggregates_refuse_what_they_cannot_use_naming_it(
    app: FastAPI, params: dict[str, str], status: int, named: str
) -> None:
    response = TestClient(app).get("/api/v1/aggregates", params=params)
    assert response.status_code == status
    assert named in response.json()["error"]["message"]


def test_progress_reasons_come_as_a_code_with_its_numbers_and_in_the_language_asked(
    app: FastAPI, engine: Engine
) -> None:
    seed(
        engine,
        [{"series": POVERTY, "time_period": y, "value": v} for y, v in ((2015, 10.0), (2020, 5.0))],
    )
    client = TestClient(app)
    english = client.get("/api/v1/progress", params={"series": POVERTY})
    (row,) = english.json()["data"]
    # Open SDG, a target of 0 taken as 0.001 by 2030: observed (5/10)^(1/5) - 1 = -12.94 %,
    # required (0.001/10)^(1/15) - 1 = -45.88 % a year, R = 0.282 (as above).
    observed = (5.0 / 10.0) ** (1 / 5) - 1
    required = (0.001 / 10.0) ** (1 / 15) - 1
    assert row["reason_code"] == "growth_ratio"
    args = row["reason_args"]
    assert (args["base_year"], args["target_year"], args["notes"]) == (2015, 2030, ["target_zero"])
    assert math.isclose(args["observed"], observed, rel_tol=1e-12)
    assert math.isclose(args["required"], required, rel_tol=1e-12)
    assert math.isclose(args["ratio"], -observed / abs(required), rel_tol=1e-12)
    # English: the assessment's own sentence (`lindung assess progress`).
    assert row["reason"].startswith("observed CAGR -12.9449% vs required -45.8830%")
    indonesian = (
        "pertumbuhan teramati -12,94% per tahun dibandingkan -45,88% per tahun yang "
        "diperlukan (2015–2030): rasio R = 0,282; target 0 diganti dengan 0,001"
    )
    for asked in (
        {"params": {"series": POVERTY, "lang": "id"}},
        {"params": {"series": POVERTY}, "headers": {"Accept-Language": "id"}},
    ):
        answer = client.get("/api/v1/progress", **asked)  # type: ignore[arg-type]
        (said,) = answer.json()["data"]
        assert said["reason"] == indonesian
        assert (said["reason_code"], said["reason_args"]) == ("growth_ratio", args)
        assert "Accept-Language" in answer.headers["vary"]
    # CSV: the arguments as JSON text, which a client reads back as they were.
    text = client.get("/api/v1/progress", params={"series": POVERTY, "format": "csv"}).text
    (parsed,) = csv.DictReader(io.StringIO(text))
    assert parsed["reason_code"] == "growth_ratio"
    assert json.loads(parsed["reason_args"]) == args


def test_aggregate_reasons_come_as_a_code_and_in_the_language_asked(
    app: FastAPI, engine: Engine
) -> None:
    seed_population(engine)
    seed(engine, [{"series": COVERAGE, "time_period": 2021, "value": 44.0}])
    params = {"series": COVERAGE, "region": "ASEAN"}
    client = TestClient(app)
    (english, _) = client.get("/api/v1/aggregates", params=params).json()["data"]
    # PHL alone holds 100 of 550 million (18.2 %): below half, no value.
    assert english["value"] is None and english["reason_code"] == "below_share"
    assert english["reason_args"]["population"] == "TOTAL"
    assert math.isclose(english["reason_args"]["share"], 100 / 550, rel_tol=1e-12)
    assert "18.2%" in english["reason"]
    (said, _) = client.get("/api/v1/aggregates", params={**params, "lang": "id"}).json()["data"]
    assert said["reason"] == (
        "negara anggota yang memiliki data mencakup 18,2% dari penduduk total, di bawah 50%"
    )
    assert said["reason_args"] == english["reason_args"]


def test_the_schema_shows_each_reason_with_its_code_and_the_arguments_the_code_names(
    app: FastAPI,
) -> None:
    from lindung.assess import aggregates, progress

    paths = TestClient(app).get("/api/v1/openapi.json").json()["paths"]

    def example(path: str) -> dict[str, object]:
        answer = paths[path]["get"]["responses"]["200"]
        assert "reason_code" in answer["description"]  # what the columns are, said once
        found: dict[str, object] = answer["content"]["application/json"]["example"]
        return found

    codes = {
        "/api/v1/progress": progress.REASON_CODES,
        "/api/v1/aggregates": aggregates.REASON_CODES,
    }
    for path, known in codes.items():
        for row in example(path)["data"]:  # type: ignore[attr-defined]
            assert set(row["reason_args"]) == set(known[row["reason_code"]]), (path, row)
    latest = paths["/api/v1/countries/{iso3}"]["get"]["responses"]["200"]
    shown = latest["content"]["application/json"]["example"]["latest"][0]["progress"]
    assert set(shown["reason_args"]) == set(progress.REASON_CODES[shown["reason_code"]])
