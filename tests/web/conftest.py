"""The web application on a fresh store of each engine, and a browser-like client per role."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from lindung.ingest.accounts import register_user
from lindung.store import transaction
from lindung.store.users import User
from lindung.web import create_app

from .clients import ACCOUNTS, PASSWORD, sign_in
from .samples import seed_survey_runs, seed_workflow


@pytest.fixture
def app(engine: Engine, monkeypatch: pytest.MonkeyPatch) -> FastAPI:
    """Return the web application on a fresh store (its secret from the environment)."""
    monkeypatch.setenv("LINDUNG_SECRET_KEY", "s" * 40)
    return create_app(engine=engine)


@pytest.fixture
def accounts(engine: Engine) -> dict[str, User]:
    """Add one user per role (the admin first, as a new store requires); return them by role."""
    users: dict[str, User] = {}
    with transaction(engine) as connection:
        for name, (role, country) in ACCOUNTS.items():
            users[name] = register_user(
                connection,
                email=f"{name.replace('_', '-')}@example.org",
                role=role,
                password=PASSWORD,
                country=country,
                by=users.get("admin"),
            )
    return users


@pytest.fixture
def browser_as(app: FastAPI, accounts: dict[str, User]) -> Iterator[Callable[[str], TestClient]]:
    """Return a function giving a cookie-keeping client signed in as the role named."""
    clients: list[TestClient] = []

    def make(role: str) -> TestClient:
        client = TestClient(app, base_url="http://127.0.0.1")
        client.__enter__()
        clients.append(client)
        if role != "anonymous":
            sign_in(client, accounts[role]["email"])
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture
def seeded(
    engine: Engine, accounts: dict[str, User], tmp_path_factory: pytest.TempPathFactory
) -> dict[str, int]:
    """Return the ids of PHL submissions in every workflow state (``samples.SEEDS``) and of
    a published and a draft survey run (``samples.seed_survey_runs``)."""
    return {
        **seed_workflow(engine, tmp_path_factory.mktemp("seeds"), accounts),
        **seed_survey_runs(engine, accounts),
    }
