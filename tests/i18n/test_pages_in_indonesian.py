"""The web's pages speak the language chosen, from the catalogues of lindung.i18n."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine
from starlette.testclient import TestClient

from lindung.web import create_app


@pytest.fixture
def client(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> TestClient:
    monkeypatch.setenv("LINDUNG_SECRET_KEY", "s" * 40)
    return TestClient(create_app(engine=engine))


def test_the_site_chrome_is_indonesian_with_lang_id_and_english_without(client: TestClient) -> None:
    indonesian = client.get("/login?lang=id").text
    assert '<html lang="id">' in indonesian
    assert "Langsung ke konten" in indonesian and "Kata sandi" in indonesian
    english = client.get("/login?lang=en").text
    assert "Skip to content" in english and "Password" in english


def test_the_browser_s_language_is_heard_through_i18n_negotiation(client: TestClient) -> None:
    page = client.get("/login", headers={"Accept-Language": "id-ID,id;q=0.9,en;q=0.5"}).text
    assert "Kata sandi" in page
