"""Static files have addresses that change with their content, so browsers keep them: a page
names each file as ``/static/<path>?v=<first 12 hex of its SHA-256>``, whose answer may be kept a
year unasked (immutable); any other address of a static file is revalidated before each use.

Oracle: the SHA-256 of each file as it lies in the package, computed here with hashlib.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

import pytest
from fastapi import FastAPI
from starlette.testclient import TestClient

STATIC = Path(__file__).resolve().parents[2] / "src" / "lindung" / "web" / "static"
YEAR = "public, max-age=31536000, immutable"


def version(path: str) -> str:
    return hashlib.sha256((STATIC / path).read_bytes()).hexdigest()[:12]


@pytest.mark.parametrize("page", ["/", "/reporting-status", "/survey-runs", "/api/v1/docs"])
def test_every_static_address_of_a_page_carries_its_files_version(app: FastAPI, page: str) -> None:
    text = TestClient(app).get(page).text
    addresses = re.findall(r'(?:src|href)="(/static/[^"]+)"', text)
    assert any("css/site.css" in address for address in addresses)
    for address in addresses:
        path, _, query = address.removeprefix("/static/").partition("?")
        assert query == f"v={version(path)}", address


def test_a_versioned_address_is_kept_a_year_and_any_other_is_revalidated(app: FastAPI) -> None:
    client = TestClient(app)
    current = client.get(f"/static/css/site.css?v={version('css/site.css')}")
    assert current.status_code == 200
    assert current.content == (STATIC / "css" / "site.css").read_bytes()
    assert current.headers["cache-control"] == YEAR
    for address in ("/static/css/site.css", "/static/css/site.css?v=000000000000"):
        plain = client.get(address)
        assert plain.status_code == 200
        assert plain.headers["cache-control"] == "no-cache"
        again = client.get(address, headers={"If-None-Match": plain.headers["etag"]})
        assert again.status_code == 304
        assert again.headers["cache-control"] == "no-cache"


def test_a_missing_static_file_is_404_and_never_kept(app: FastAPI) -> None:
    response = TestClient(app).get("/static/css/none.css?v=000000000000")
    assert response.status_code == 404
    assert "immutable" not in response.headers.get("cache-control", "")


def test_no_template_names_a_static_file_without_its_version() -> None:
    templates = STATIC.parent / "templates"
    raw = [
        f"{page.name}: {address}"
        for page in sorted(templates.glob("*.html"))
        for address in re.findall(r'(?:src|href)="(/static/[^"]*)"', page.read_text())
    ]
    assert raw == [], "name static files as {{ static('css/site.css') }} (web/assets.py)"
