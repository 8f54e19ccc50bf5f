"""The read API /api/v1: observations filtered and paged, CSV, ETags, a key's history, survey
runs and the catalogue, on both engines, against values seeded in each test."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from typing import Any

from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from lindung.framework import load_catalogue
from lindung.store import create_submission, insert_observations, transaction
from lindung.store.users import User

from .samples import MICRODATA_PATH

FORMULA = '=HYPERLINK("http://evil.example","click")'


def seed(
    engine: Engine,
    rows: list[dict[str, Any]],
    *,
    area: str = "PHL",
    kind: str = "reference",
    status: str = "published",
    created_by: int | None = None,
) -> int:
    """Store ``rows`` as one submission of ``kind`` in ``status``; return its id."""
    with transaction(engine) as connection:
        number = create_submission(
            connection,
            kind=kind,
            ref_area=area,
            time_period=None,
            source="test source",
            framework_version="1.0.0",
            actor="tests",
            status=status,
            created_by=created_by,
        )
        insert_observations(
            connection,
            number,
            [{"ref_area": area, "unit": "percent", **row} for row in rows],
            framework_version="1.0.0",
        )
    return number


def grid(engine: Engine) -> list[dict[str, Any]]:
    """Seed 2 series x 2 areas x 3 years x sex (_T, F, M): 36 published values."""
    rows: dict[str, list[dict[str, Any]]] = {"PHL": [], "VNM": []}
    for area, base in (("PHL", 30.0), ("VNM", 50.0)):
        for series in ("SI_COV_BENFTS", "SI_COV_SOCAST"):
            for year in (2019, 2020, 2021):
                for offset, sex in enumerate(("_T", "F", "M")):
                    rows[area].append(
                        {
                            "series": series,
                            "time_period": year,
                            "sex": sex,
                            "value": base + (year - 2019) + offset / 10,
                            "se": 0.5,
                            "ci_low": base - 1,
                            "ci_high": base + 1,
                            "nature": "C",
                        }
                    )
    for area, area_rows in rows.items():
        seed(engine, area_rows, area=area)
    return [row for area_rows in rows.values() for row in area_rows]


def test_observations_filter_by_series_area_period_and_a_dimension(
    app: FastAPI, engine: Engine
) -> None:
    grid(engine)
    client = TestClient(app)
    response = client.get(
        "/api/v1/observations",
        params={"series": "SI_COV_BENFTS", "area": "PHL", "from": 2020, "to": 2021, "sex": "F"},
    )
    assert response.status_code == 200
    body = response.json()
    # Hand-computed: PHL base 30, + (year - 2019), + 0.1 for F.
    assert [(r["time_period"], r["value"]) for r in body["data"]] == [(2020, 31.1), (2021, 32.1)]
    first = body["data"][0]
    assert (first["unit"], first["se"], first["ci_low"], first["ci_high"]) == (
        "percent",
        0.5,
        29.0,
        31.0,
    )
    assert first["nature"] == "C" and first["source"] is None
    assert body["next_cursor"] is None
    version = load_catalogue().version
    assert response.headers["lindung-framework-version"] == version
    assert body["framework_version"] == version


def test_several_codes_of_one_dimension_and_of_one_area(app: FastAPI, engine: Engine) -> None:
    grid(engine)
    response = TestClient(app).get(
        "/api/v1/observations?series=SI_COV_SOCAST&sex=F&sex=M&from=2021&area=VNM&area=PHL"
    )
    values = [(r["ref_area"], r["sex"], r["value"]) for r in response.json()["data"]]
    assert values == [
        ("PHL", "F", 32.1),
        ("PHL", "M", 32.2),
        ("VNM", "F", 52.1),
        ("VNM", "M", 52.2),
    ]


def test_walking_every_page_gives_the_unpaginated_set_once(app: FastAPI, engine: Engine) -> None:
    grid(engine)
    client = TestClient(app)
    whole = client.get("/api/v1/observations", params={"limit": 10_000}).json()["data"]
    assert len(whole) == 36
    walked: list[dict[str, Any]] = []
    pages = 0
    cursor: str | None = None
    while True:
        params: dict[str, Any] = {"limit": 5}
        if cursor is not None:
            params["cursor"] = cursor
        response = client.get("/api/v1/observations", params=params)
        body = response.json()
        walked.extend(body["data"])
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            assert "link" not in response.headers
            break
        assert 'rel="next"' in response.headers["link"]
    assert pages == 8  # 36 rows, 5 a page
    assert walked == whole


def test_a_cursor_the_api_did_not_give_is_a_usage_error(app: FastAPI) -> None:
    for cursor in ("not-base64!", "WzFd", "eyJhIjoxfQ=="):
        response = TestClient(app).get("/api/v1/observations", params={"cursor": cursor})
        assert response.status_code == 400
        assert response.json()["error"]["code"] == "usage"
        assert "cursor" in response.json()["error"]["message"]


def test_an_unknown_series_or_area_is_refused_with_its_code(app: FastAPI) -> None:
    client = TestClient(app)
    response = client.get("/api/v1/observations", params={"series": "NO_SUCH"})
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "unknown-code"
    response = client.get("/api/v1/observations", params={"area": "XXX"})
    assert response.status_code == 404
    response = client.get("/api/v1/observations", params={"from": 2021, "to": 2019})
    assert response.status_code == 400


def test_csv_parses_and_neutralises_a_formula_in_a_note(app: FastAPI, engine: Engine) -> None:
    seed(
        engine,
        [{"series": "SI_COV_BENFTS", "time_period": 2020, "value": 12.5, "comment": FORMULA}],
    )
    response = TestClient(app).get("/api/v1/observations", params={"format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert len(rows) == 1
    assert rows[0]["comment"] == "'" + FORMULA
    assert rows[0]["value"] == "12.5" and rows[0]["unit"] == "percent"
    assert rows[0]["sex"] == "_T"
    by_accept = TestClient(app).get("/api/v1/observations", headers={"Accept": "text/csv"})
    assert by_accept.text == response.text


def test_an_etag_sent_back_gets_304_until_the_data_change(app: FastAPI, engine: Engine) -> None:
    seed(engine, [{"series": "SI_COV_BENFTS", "time_period": 2020, "value": 1.0}])
    client = TestClient(app)
    first = client.get("/api/v1/observations")
    etag = first.headers["etag"]
    assert etag.startswith('"') and not etag.startswith("W/")
    assert first.headers["cache-control"] == "public, max-age=60"
    again = client.get("/api/v1/observations", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    seed(engine, [{"series": "SI_COV_BENFTS", "time_period": 2020, "value": 2.0}])
    changed = client.get("/api/v1/observations", headers={"If-None-Match": etag})
    assert changed.status_code == 200
    assert changed.json()["data"][0]["value"] == 2.0


def test_history_shows_drafts_only_to_who_may_read_them(
    browser_as: Callable[[str], TestClient], engine: Engine, accounts: dict[str, User]
) -> None:
    row = {"series": "SI_COV_BENFTS", "time_period": 2020, "sex": "F"}
    seed(engine, [{**row, "value": 10.0}])
    seed(
        engine,
        [{**row, "value": 11.0}],
        kind="template",
        status="draft",
        created_by=accounts["focal_point"]["id"],
    )
    path = "/api/v1/observations/history?series=SI_COV_BENFTS&area=PHL&period=2020&sex=F"
    seen = {}
    for role in ("anonymous", "partner", "other_focal_point", "focal_point", "secretariat"):
        response = browser_as(role).get(path)
        assert response.status_code == 200
        assert response.headers["cache-control"] == "private, no-cache"
        seen[role] = [(r["value"], r["submission_status"]) for r in response.json()["data"]]
    public = [(10.0, "published")]
    everything = [(10.0, "published"), (11.0, "draft")]
    assert seen == {
        "anonymous": public,
        "partner": public,
        "other_focal_point": public,
        "focal_point": everything,
        "secretariat": everything,
    }
    # The total is another key: it has no version.
    total = browser_as("anonymous").get(path.replace("&sex=F", ""))
    assert total.status_code == 404


def test_an_indicator_has_its_definition_in_both_languages(app: FastAPI) -> None:
    response = TestClient(app).get("/api/v1/indicators/si_cov_benfts")
    assert response.status_code == 200
    body = response.json()
    expected = load_catalogue().indicator("SI_COV_BENFTS")
    assert body["definition"] == {"en": expected.definition.en, "id": expected.definition.id}
    assert body["tier"] == (expected.sdg.tier if expected.sdg else None)
    assert body["custodian"] == expected.custodian
    assert body["crosswalk"] == [entry.model_dump() for entry in expected.crosswalk]
    assert TestClient(app).get("/api/v1/indicators/NOPE").status_code == 404
    listed = TestClient(app).get("/api/v1/indicators").json()["data"]
    assert [i["code"] for i in listed] == [i.code for i in load_catalogue().indicators]


def test_only_published_survey_runs_are_listed_with_their_estimates(
    app: FastAPI, seeded: dict[str, int]
) -> None:
    published_run = seeded["survey_run"]
    client = TestClient(app)
    runs = client.get("/api/v1/survey-runs").json()["data"]
    assert [run["id"] for run in runs] == [published_run]
    assert runs[0]["design"] == {"weight": "w", "strata": "w_prv", "psu": "w_ea"}
    assert "household" not in runs[0]
    assert MICRODATA_PATH not in client.get("/api/v1/survey-runs").text
    one = client.get(f"/api/v1/survey-runs/{published_run}").json()
    assert sorted((e["value"], e["se"], e["ci_low"], e["ci_high"]) for e in one["data"]) == [
        (20.0, 1.5, 17.06, 22.94),
        (1234.5, 0.25, 1234.01, 1234.99),
    ]
    assert client.get(f"/api/v1/survey-runs/{seeded['draft_survey_run']}").status_code == 404
