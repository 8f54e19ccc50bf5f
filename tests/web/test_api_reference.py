"""The API reference at /api/v1/docs is the served schema drawn on the server: every operation,
its parameters and answers, nothing loaded from another site; and the schema documents the
refusal a bad parameter really gets (400 with the error body), not FastAPI's 422."""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from starlette.testclient import TestClient


def test_the_reference_lists_every_operation_of_the_schema(app: FastAPI) -> None:
    client = TestClient(app)
    schema = client.get("/api/v1/openapi.json").json()
    page = client.get("/api/v1/docs")
    assert page.status_code == 200
    listed = set(re.findall(r"<h3><code>([A-Z]+ /api/[^<]+)</code></h3>", page.text))
    expected = {
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        if path.startswith("/api/")
        for method in item
    }
    assert listed == expected
    assert "GET /api/v1/aggregates" in listed


def test_the_reference_shows_parameters_bounds_answers_and_examples(app: FastAPI) -> None:
    page = TestClient(app).get("/api/v1/docs").text
    section = page.split('id="get--api-v1-aggregates"')[1].split("</article>")[0]
    row = re.search(r"<code>min_share</code></th>(.*?)</tr>", section, re.S)
    assert row
    assert "number (&gt; 0, &lt;= 1)" in row.group(1) and "<code>0.5</code>" in row.group(1)
    assert "one of json, csv or null" in section  # the format, its enumeration resolved
    answers = re.findall(r"<tr><th scope=\"row\">(\d{3})</th>", section)
    assert answers == ["200", "304", "400", "401", "404", "422", "500", "503"]
    assert "&#34;coverage_rule&#34;" in section  # the JSON example, escaped
    assert "series,ref_area,time_period" in section  # the CSV example


def test_the_reference_loads_nothing_from_another_site_and_needs_no_script(
    app: FastAPI,
) -> None:
    page = TestClient(app).get("/api/v1/docs?lang=en")
    outside = [
        address
        for address in re.findall(r'(?:src|href)="([^"]+)"', page.text)
        if not address.startswith(("/", "#", "http://testserver/"))
    ]
    assert outside == []
    scripts = re.findall(r"<script[^>]*>", page.text)
    assert len(scripts) == 1 and scripts[0].startswith('<script src="/static/js/site.js?v=')
    assert "default-src 'self'" in page.headers["content-security-policy"]
    for gone in ("/docs", "/redoc", "/api/v1/redoc"):
        assert TestClient(app).get(gone).status_code == 404


def test_the_reference_is_in_indonesian(app: FastAPI) -> None:
    page = TestClient(app).get("/api/v1/docs?lang=id").text
    assert "Referensi API" in page and "API reference" not in page
    assert "<caption>Parameter</caption>" in page
    # The schema's own words stay English, and are marked so (for screen readers).
    assert "Operasi dijelaskan dalam bahasa Inggris, sebagaimana skema menjelaskannya." in page
    assert (
        '<p lang="en"><strong>Progress of each indicator and member state towards its '
        "target</strong></p>"
    ) in page
    assert '<td lang="en">Only values up to this year.</td>' in page
    english = TestClient(app).get("/api/v1/docs?lang=en").text
    assert 'lang="en"><strong>' not in english


def test_the_schema_documents_a_bad_parameter_as_the_400_it_answers(app: FastAPI) -> None:
    client = TestClient(app)
    schema = client.get("/api/v1/openapi.json").json()
    assert "HTTPValidationError" not in json.dumps(schema)
    assert "ValidationError" not in schema["components"]["schemas"]
    operation = schema["paths"]["/api/v1/availability"]["get"]
    assert "422" not in operation["responses"]
    documented = operation["responses"]["400"]["content"]["application/json"]["schema"]
    assert documented["$ref"] == "#/components/schemas/ErrorBody"
    # What a bad parameter really gets: 400 and the error body the schema names.
    answer = client.get("/api/v1/availability", params={"since": "soon"})
    assert answer.status_code == 400
    assert set(answer.json()) == {"error"}
    assert set(answer.json()["error"]) == set(
        schema["components"]["schemas"]["ErrorDetail"]["properties"]
    )
    # An operation's own 422 (an assessment that cannot be made) stays, with the error body.
    tiers = schema["paths"]["/api/v1/tiers"]["get"]["responses"]["422"]
    assert tiers["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorBody")
    # A page (not in the schema) answers a bad parameter with its error page: 400, HTML.
    page = client.get("/reporting-status", params={"tier": "Tier IV"})
    assert page.status_code == 400 and page.headers["content-type"].startswith("text/html")
