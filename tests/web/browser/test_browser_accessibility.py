"""Every page type the other browser tests do not check with axe, in both languages: the
indicator index, the member states' list, the survey runs and a run, the sign-in page, the
public and signed-in submission lists, a submission under review and the upload form. No
serious or critical axe-core violation, no request off the machine, no console error."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from lindung.ingest.accounts import register_user
from lindung.store import make_engine, transaction, upgrade
from lindung.store.users import User

from ..clients import ACCOUNTS, PASSWORD
from ..samples import seed_survey_runs, seed_workflow
from ..test_pages import seed
from .conftest import serving
from .test_browser_workflow import sign_in

LANGUAGES = ("en", "id")


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, dict[str, int]]]:
    """Serve a store with published values, survey runs and submissions in every state; yield
    its address and the ids of the runs and submissions."""
    engine: Engine = make_engine(f"sqlite:///{tmp_path / 'axe.sqlite'}")
    upgrade(engine)
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
    (tmp_path / "seeds").mkdir()
    ids = {**seed_workflow(engine, tmp_path / "seeds", users), **seed_survey_runs(engine, users)}
    seed(engine)
    monkeypatch.setenv("LINDUNG_SECRET_KEY", "x" * 40)
    with serving(engine) as address:
        yield address, ids
    engine.dispose()


def violations_of(
    page: Page,
    address: str,
    paths: list[str],
    axe_violations: Callable[[Page, str], list[dict[str, Any]]],
) -> dict[str, list[str]]:
    """Return, per page and language with any, the ids of its serious and critical violations."""
    found: dict[str, list[str]] = {}
    for path in paths:
        for language in LANGUAGES:
            joiner = "&" if "?" in path else "?"
            response = page.goto(f"{address}{path}{joiner}lang={language}")
            assert response is not None and response.status == 200, path
            expect(page.locator("html")).to_have_attribute("lang", language)
            ids = [v["id"] for v in axe_violations(page, "html")]
            if ids:
                found[f"{path} ({language})"] = ids
    return found


def test_the_public_pages_have_no_serious_violation_in_either_language(
    page: Page,
    site: tuple[str, dict[str, int]],
    axe_violations: Callable[[Page, str], list[dict[str, Any]]],
) -> None:
    address, ids = site
    paths = [
        "/indicators",
        "/countries",
        "/survey-runs",
        f"/survey-runs/{ids['survey_run']}",
        "/login",
        "/submissions",
        "/api/v1/docs",
    ]
    assert violations_of(page, address, paths, axe_violations) == {}


def test_the_workflow_pages_have_no_serious_violation_in_either_language(
    page: Page,
    site: tuple[str, dict[str, int]],
    axe_violations: Callable[[Page, str], list[dict[str, Any]]],
) -> None:
    address, ids = site
    sign_in(page, address, "focal-point@example.org")
    own = ["/submissions/new", "/submissions", f"/submissions/{ids['draft']}"]
    found = violations_of(page, address, own, axe_violations)
    page.get_by_role("button", name="Keluar").press("Enter")  # the last page was Indonesian
    expect(page.locator("a[href='/login']")).to_be_visible()
    sign_in(page, f"{address}", "secretariat@example.org")
    review = [
        "/submissions?status=submitted",
        f"/submissions/{ids['submitted_page']}",
        f"/submissions/{ids['validated_page']}",
    ]
    found |= violations_of(page, address, review, axe_violations)
    assert found == {}
