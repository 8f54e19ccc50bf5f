"""Every route answers every role as the table says; a route without a row fails the test.

The rows are in ``tests/web/matrix.py``, one table per part of the site.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from starlette.routing import Mount
from starlette.testclient import TestClient

from .clients import ROLES, csrf_of
from .matrix import API_ROWS, PAGE_ROWS, WORKFLOW_ROWS, Row

MATRIX: dict[tuple[str, str], Row] = {**PAGE_ROWS, **WORKFLOW_ROWS, **API_ROWS}

#: Served by the framework itself, the same to everyone: the schema and the static files.
NOT_IN_MATRIX = {"/api/v1/openapi.json"}


def routes(app: FastAPI) -> set[tuple[str, str]]:
    """Return (method, path) of every route the application answers, included routers too."""
    found: set[tuple[str, str]] = set()
    for route in app.routes:
        if isinstance(route, Mount):
            continue
        # FastAPI keeps an included router as one entry that lists its routes' contexts.
        contexts = getattr(route, "effective_route_contexts", None)
        for context in contexts() if contexts is not None else [route]:
            if context.path not in NOT_IN_MATRIX:
                found |= {(method, context.path) for method in context.methods if method != "HEAD"}
    return found


def test_every_route_has_a_row_in_the_matrix(app: FastAPI) -> None:
    assert routes(app) == set(MATRIX), "add a row to MATRIX for each new route"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_the_status_the_matrix_says(
    browser_as: Callable[[str], TestClient], role: str, seeded: dict[str, int]
) -> None:
    client = browser_as(role)
    answers = {}
    for (method, _), row in MATRIX.items():
        path = row.path.format_map(seeded)
        if method == "GET":
            response = client.get(path, follow_redirects=False)
        else:
            form = {**row.form, "csrf_token": csrf_of(client)}
            response = client.request(
                method, path, data=form, files=row.files or None, follow_redirects=False
            )
        answers[(method, row.path)] = response.status_code
        if (method, row.path) == ("POST", "/logout"):
            # Signing out ends the session: sign in again for the rows after it.
            client = browser_as(role)
    expected = {(method, row.path): row.expected[role] for (method, _), row in MATRIX.items()}
    assert answers == expected
