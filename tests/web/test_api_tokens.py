"""Personal API tokens: made by a signed-in user, shown once, kept hashed, acting with the
user's role, revocable by their owner or an admin, on both engines."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Engine, select
from starlette.testclient import TestClient

from lindung.store import transaction
from lindung.store.schema import tokens
from lindung.store.tokens import token_hash
from lindung.store.users import User

from .clients import csrf_of


def make_token(client: TestClient, label: str = "script") -> dict[str, object]:
    response = client.post(
        "/api/v1/tokens",
        data={"label": label, "days": "30"},
        headers={"X-CSRF-Token": csrf_of(client)},
    )
    assert response.status_code == 201, response.text
    assert response.headers["cache-control"] == "no-store"
    made: dict[str, object] = response.json()
    return made


def test_a_token_is_shown_once_kept_hashed_and_acts_as_its_user(
    browser_as: Callable[[str], TestClient], engine: Engine, app: object
) -> None:
    made = make_token(browser_as("focal_point"))
    secret = str(made["token"])
    assert secret.startswith("lnd_") and made["email"] == "focal-point@example.org"
    with transaction(engine) as connection:
        stored = connection.execute(select(tokens.c.token_hash)).scalars().all()
    assert token_hash(secret) in stored and secret not in stored
    machine = TestClient(browser_as("anonymous").app)
    listed = machine.get("/api/v1/tokens", headers={"Authorization": f"Bearer {secret}"})
    assert listed.status_code == 200
    assert "token" not in listed.json()["data"][0]
    assert {t["label"] for t in listed.json()["data"]} == {"web session", "script"}


def test_a_form_without_csrf_makes_no_token(
    browser_as: Callable[[str], TestClient], engine: Engine
) -> None:
    client = browser_as("partner")
    with transaction(engine) as connection:
        before = connection.execute(select(tokens.c.id)).scalars().all()
    response = client.post("/api/v1/tokens", data={"label": "x"})
    assert response.status_code == 403
    with transaction(engine) as connection:
        assert connection.execute(select(tokens.c.id)).scalars().all() == before


def test_only_the_owner_or_an_admin_revokes_and_a_revoked_token_is_refused(
    browser_as: Callable[[str], TestClient], accounts: dict[str, User]
) -> None:
    owner = browser_as("partner")
    made = make_token(owner)
    bearer = {"Authorization": f"Bearer {made['token']}"}
    other = browser_as("secretariat")
    refused = other.delete(f"/api/v1/tokens/{made['id']}", headers={"X-CSRF-Token": csrf_of(other)})
    assert refused.status_code == 403
    assert owner.get("/api/v1/tokens", headers=bearer).status_code == 200
    # Someone else's tokens: an admin may list them, the secretariat may not.
    assert other.get("/api/v1/tokens?email=partner@example.org").status_code == 403
    admin = browser_as("admin")
    listed = admin.get("/api/v1/tokens?email=partner@example.org").json()["data"]
    assert made["id"] in [t["id"] for t in listed]
    revoked = admin.delete(f"/api/v1/tokens/{made['id']}", headers={"X-CSRF-Token": csrf_of(admin)})
    assert revoked.json() == {"id": made["id"], "revoked": True}
    machine = TestClient(owner.app)
    assert machine.get("/api/v1/tokens", headers=bearer).status_code == 401
    assert machine.get("/api/v1/indicators", headers=bearer).status_code == 401
