"""Signing in is throttled: per account and per address, answered 429 with Retry-After."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from lindung.ingest.accounts import ACCOUNT_ATTEMPTS, ADDRESS_ATTEMPTS, SIGN_IN_WINDOW
from lindung.store import transaction
from lindung.store.schema import sign_in_failures
from lindung.store.tokens import list_tokens
from lindung.store.users import User

from .clients import PASSWORD, csrf_of


def attempt(client: TestClient, email: str, password: str) -> object:
    return client.post(
        "/login",
        data={"email": email, "password": password, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )


def test_after_five_wrong_passwords_the_account_is_refused_429_even_with_the_right_one(
    app: FastAPI, accounts: dict[str, User], engine: Engine
) -> None:
    client = TestClient(app)
    email = accounts["focal_point"]["email"]
    for _ in range(ACCOUNT_ATTEMPTS):
        assert attempt(client, email.upper(), "wrong-password").status_code == 401
    refused = attempt(client, email, PASSWORD)
    assert refused.status_code == 429
    wait = int(refused.headers["retry-after"])
    assert SIGN_IN_WINDOW.total_seconds() - 60 < wait <= SIGN_IN_WINDOW.total_seconds() + 1
    assert "try again after" in refused.text
    with transaction(engine) as connection:
        assert list_tokens(connection) == []
    # Another account from the same address is still heard.
    assert attempt(client, accounts["partner"]["email"], PASSWORD).status_code == 303


def test_many_failures_from_one_address_refuse_every_account_from_it(
    app: FastAPI, accounts: dict[str, User]
) -> None:
    client = TestClient(app)
    for number in range(ADDRESS_ATTEMPTS):
        assert attempt(client, f"guess{number}@example.org", "wrong-one").status_code == 401
    refused = attempt(client, accounts["admin"]["email"], PASSWORD)
    assert refused.status_code == 429
    assert "this address" in refused.text and "retry-after" in refused.headers


def test_failures_older_than_the_window_no_longer_count(
    app: FastAPI, accounts: dict[str, User], engine: Engine
) -> None:
    email = accounts["secretariat"]["email"]
    long_ago = datetime.now(UTC) - SIGN_IN_WINDOW - timedelta(minutes=1)
    with transaction(engine) as connection:
        connection.execute(
            sign_in_failures.insert(),
            [{"at": long_ago, "email": email, "address": "testclient"}] * ACCOUNT_ATTEMPTS,
        )
    assert attempt(TestClient(app), email, PASSWORD).status_code == 303
