"""The OpenAPI schema holds: generated requests to every read and token route get no 5xx and
no status the schema does not document (schemathesis, in process)."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import status_code_conformance
from starlette.testclient import TestClient

#: The read API and the tokens; the submission routes are checked by their own tests.
CHECKED = r"^/api/v1/(indicators|countries|observations|survey-runs|tokens|progress|aggregates)"


@pytest.mark.slow
def test_no_generated_request_gets_a_5xx_or_an_undocumented_status(app: FastAPI) -> None:
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures: list[str] = []
    calls: list[int] = []
    for operation in schema.include(path_regex=CHECKED).get_all_operations():
        case_strategy = operation.ok().as_strategy()

        @settings(
            max_examples=15,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case: schemathesis.Case) -> None:
            response = case.call()
            calls.append(response.status_code)
            try:
                case.validate_response(
                    response, checks=(not_a_server_error, status_code_conformance)
                )
            except Exception as error:
                failures.append(f"{case.method} {case.formatted_path}: {error}")

        given(case=case_strategy)(run)()
    assert not failures, "\n".join(failures[:10])
    assert len(calls) >= 50 and 200 in calls


def test_every_api_route_documents_its_refusals_with_the_error_body(app: FastAPI) -> None:
    schema = TestClient(app).get("/api/v1/openapi.json").json()
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            if not path.startswith("/api/v1/") or path.startswith("/api/v1/submissions"):
                continue
            where = f"{method.upper()} {path}"
            assert operation.get("summary") and operation.get("description"), where
            for status in ("400", "401", "503"):
                content = operation["responses"][status]["content"]["application/json"]
                assert content["schema"]["$ref"].endswith("/ErrorBody"), where


def test_docs_api_md_describes_every_api_route(app: FastAPI) -> None:
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "api.md").read_text(encoding="utf-8")
    schema = TestClient(app).get("/api/v1/openapi.json").json()
    missing = [
        f"{method.upper()} {path}"
        for path, item in schema["paths"].items()
        if path.startswith("/api/v1/")
        for method in item
        if f"{method.upper()} {path}" not in text
    ]
    assert not missing, f"docs/api.md does not mention {missing}"


def test_the_schema_lists_the_api_only_not_the_pages(app: FastAPI) -> None:
    paths = TestClient(app).get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/observations" in paths
    assert [path for path in paths if not path.startswith("/api/v1/")] == []
    # The pages still answer; only the schema leaves them out.
    assert TestClient(app).get("/indicators").status_code == 200
