"""The web's guards: security headers, CSRF, sessions that end, escaping, limits, errors."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from lindung.ingest.accounts import sign_in as issue_login
from lindung.store import transaction
from lindung.store.tokens import list_tokens
from lindung.store.users import User
from lindung.web.sessions import SESSION_COOKIE

from .clients import PASSWORD, csrf_of


def test_every_answer_carries_a_strict_content_security_policy(app: FastAPI) -> None:
    client = TestClient(app)
    for response in (client.get("/"), client.get("/no-such-page"), client.get("/api/v1/x")):
        policy = response.headers["content-security-policy"]
        assert "script-src 'self'" in policy
        assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-frame-options"] == "DENY"


def test_an_unknown_api_path_is_a_json_error_with_the_catalogue_code(app: FastAPI) -> None:
    response = TestClient(app).get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not-found"


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(
    app: FastAPI, accounts: dict[str, User], engine: Engine
) -> None:
    client = TestClient(app)
    response = client.post(
        "/login", data={"email": accounts["admin"]["email"], "password": PASSWORD}
    )
    assert response.status_code == 403
    assert "security token" in response.text
    with transaction(engine) as connection:
        assert list_tokens(connection) == []


def test_a_csrf_token_not_signed_by_the_server_is_refused(
    app: FastAPI, accounts: dict[str, User]
) -> None:
    client = TestClient(app)
    client.cookies.set("lindung_csrf", "forged")
    response = client.post(
        "/login",
        data={"email": accounts["admin"]["email"], "password": PASSWORD, "csrf_token": "forged"},
    )
    assert response.status_code == 403


def test_signing_in_sets_an_httponly_samesite_cookie(
    app: FastAPI, accounts: dict[str, User]
) -> None:
    client = TestClient(app, base_url="http://127.0.0.1")
    response = client.post(
        "/login",
        data={
            "email": accounts["focal_point"]["email"].upper(),
            "password": PASSWORD,
            "csrf_token": csrf_of(client),
        },
        follow_redirects=False,
    )
    assert response.status_code == 303
    cookie = response.headers["set-cookie"].lower()
    assert cookie.startswith(SESSION_COOKIE)
    assert "httponly" in cookie and "samesite=lax" in cookie and "max-age=43200" in cookie
    assert "focal-point@example.org (focal point)" in client.get("/").text


def test_signing_out_revokes_the_session_so_a_copied_cookie_no_longer_works(
    browser_as: Callable[[str], TestClient],
) -> None:
    client = browser_as("secretariat")
    stolen = client.cookies[SESSION_COOKIE]
    assert "secretariat@example.org" in client.get("/").text
    client.post("/logout", data={"csrf_token": csrf_of(client)})
    thief = browser_as("anonymous")
    thief.cookies.set(SESSION_COOKIE, stolen)
    page = thief.get("/").text
    assert "secretariat@example.org" not in page
    assert "Sign in" in page


def test_a_wrong_password_shows_the_form_again_with_the_address_escaped(
    app: FastAPI, accounts: dict[str, User]
) -> None:
    client = TestClient(app)
    typed = '<script>alert("x")</script>@example.org'
    response = client.post(
        "/login", data={"email": typed, "password": "wrong-one", "csrf_token": csrf_of(client)}
    )
    assert response.status_code == 401
    assert "<script>alert" not in response.text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;@example.org" in response.text


def test_a_bearer_token_that_is_not_known_is_refused_with_401(app: FastAPI) -> None:
    response = TestClient(app).get(
        "/api/v1/indicators", headers={"Authorization": "Bearer lnd_not-a-token"}
    )
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "unauthenticated"


def test_a_bearer_token_needs_no_csrf_token(
    app: FastAPI, accounts: dict[str, User], engine: Engine
) -> None:
    with transaction(engine) as connection:
        _, token = issue_login(connection, accounts["partner"]["email"], PASSWORD, label="api")
    response = TestClient(app).post(
        "/logout", headers={"Authorization": f"Bearer {token}"}, follow_redirects=False
    )
    assert response.status_code == 303


def test_a_body_over_the_upload_limit_is_refused_before_it_is_read(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    from lindung.web import create_app

    monkeypatch.setenv("LINDUNG_SECRET_KEY", "s" * 40)
    monkeypatch.setenv("LINDUNG_IMPORT_MAX_FILE_BYTES", "1000")
    client = TestClient(create_app(engine=engine))
    response = client.post("/api/v1/tokens", content=b"x" * 200_000)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "too-large"
    assert "content-security-policy" in response.headers
    # A page (a browser's form) gets the error page, in the visitor's language.
    page = client.post("/submissions?lang=id", content=b"x" * 200_000)
    assert page.status_code == 413
    assert page.headers["content-type"].startswith("text/html")
    assert '<html lang="id">' in page.text
    assert (
        "lebih besar daripada yang diterima situs ini" in page.text
    )  # the explanation, in Indonesian
    assert "0.1 MB" in page.text and "content-security-policy" in page.headers


def test_lang_chooses_the_language_and_is_remembered(app: FastAPI) -> None:
    client = TestClient(app)
    assert '<html lang="id">' in client.get("/?lang=id").text
    assert '<html lang="id">' in client.get("/").text
    assert '<html lang="en">' in client.get("/", params={"lang": "en"}).text


def test_the_browser_language_is_used_when_nothing_was_chosen(app: FastAPI) -> None:
    client = TestClient(app)
    page = client.get("/", headers={"Accept-Language": "fr-FR, id;q=0.8, en;q=0.5"}).text
    assert '<html lang="id">' in page


@pytest.mark.parametrize(
    "address",
    ["/api/v1/observations?age=%00", "/api/v1/observations?series=SI%1bCOV", "/?series=%0d"],
)
def test_a_parameter_with_a_control_character_is_a_usage_error_naming_it(
    app: FastAPI, address: str
) -> None:
    # PostgreSQL refuses NUL in text outright: found by schemathesis as a 500 on that engine.
    response = TestClient(app).get(address)
    assert response.status_code == 400
    assert "control character" in response.text
    if address.startswith("/api/"):
        assert response.json()["error"]["code"] == "usage"


@pytest.mark.parametrize(
    ("address", "named"),
    [
        # A misspelt range once answered every observation, as if unfiltered.
        ("/api/v1/observations?period_from=2030&period_to=2000", "period_from"),
        ("/api/v1/observations?series=SI_COV_BENFTS&start=2000", "start"),
        ("/api/v1/observations/history?series=X&area=PHL&period=2020&sexe=F", "sexe"),
        ("/api/v1/indicators?bogus=1", "bogus"),
        ("/api/v1/countries/PHL?yaer=2020", "yaer"),
        ("/api/v1/progress?lang=id&countri=PHL", "countri"),
    ],
)
def test_an_api_query_parameter_the_route_does_not_take_is_refused_naming_it(
    app: FastAPI, address: str, named: str
) -> None:
    response = TestClient(app).get(address)
    assert response.status_code == 400, response.text
    error = response.json()["error"]
    assert error["code"] == "usage"
    assert f"unknown query parameter {named!r}" in error["message"]
    assert " takes " in error["message"] and "lang" in error["message"]


def test_the_parameters_an_api_route_takes_and_pages_extra_ones_are_answered(app: FastAPI) -> None:
    client = TestClient(app)
    taken = "/api/v1/observations?series=SI_COV_BENFTS&from=2000&to=2030&sex=F&limit=5&lang=id"
    assert client.get(taken).status_code == 200
    # A page followed from elsewhere carries its own parameters: they are ignored.
    assert client.get("/indicators?utm_source=newsletter").status_code == 200


def test_an_api_refusal_explains_its_code_in_the_language_asked(app: FastAPI) -> None:
    client = TestClient(app)
    english = client.get("/api/v1/countries/XXX").json()["error"]
    indonesian = client.get("/api/v1/countries/XXX?lang=id").json()["error"]
    by_header = client.get("/api/v1/countries/XXX", headers={"Accept-Language": "id"})
    assert english["code"] == indonesian["code"] == "unknown-code"
    assert english["explanation"].startswith("A code is not one the framework defines")
    assert indonesian["explanation"] != english["explanation"]
    assert by_header.json()["error"]["explanation"] == indonesian["explanation"]
    assert "Accept-Language" in by_header.headers["vary"]


def test_an_unknown_bearer_token_is_refused_in_the_words_of_the_api(app: FastAPI) -> None:
    refused = TestClient(app).get("/api/v1/indicators", headers={"Authorization": "Bearer xyz"})
    assert refused.status_code == 401
    message = refused.json()["error"]["message"]
    assert "bearer token is not known" in message and "POST /api/v1/tokens" in message
    assert "lindung login" not in message


def test_a_json_body_on_a_form_route_is_told_to_send_a_form(
    browser_as: Callable[[str], TestClient],
) -> None:
    client = browser_as("partner")
    refused = client.post(
        "/api/v1/tokens", json={"label": "ci"}, headers={"X-CSRF-Token": csrf_of(client)}
    )
    assert refused.status_code == 400, refused.text
    assert "application/x-www-form-urlencoded" in refused.json()["error"]["message"]
