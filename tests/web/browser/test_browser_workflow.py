"""In the browser: a focal point walks a submission to review, two reviewers publish it, and
the public reads the value on the indicator page. Keyboard only for every form but the file
picker."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from lindung.ingest import make_template
from lindung.ingest.accounts import register_user
from lindung.store import make_engine, transaction, upgrade

from ..clients import PASSWORD
from ..samples import fill_workbook
from .conftest import Problems, serving

PEOPLE = {
    "admin@example.org": ("admin", None),
    "secretariat@example.org": ("secretariat", None),
    "focal.phl@example.org": ("focal_point", "PHL"),
}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Engine]:
    engine = make_engine(f"sqlite:///{tmp_path / 'browser.sqlite'}")
    upgrade(engine)
    with transaction(engine) as connection:
        admin = None
        for email, (role, country) in PEOPLE.items():
            user = register_user(
                connection, email=email, role=role, password=PASSWORD, country=country, by=admin
            )
            admin = admin or user
    yield engine
    engine.dispose()


@pytest.fixture
def site(store: Engine, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Serve the application on a free loopback port; yield its address."""
    monkeypatch.setenv("LINDUNG_SECRET_KEY", "b" * 40)
    with serving(store) as address:
        yield address


def sign_in(page: Page, site: str, email: str) -> None:
    """Sign in with the keyboard only: Tab to the e-mail field, type, Tab, type, Enter."""
    page.goto(f"{site}/login")
    for _ in range(30):
        if page.evaluate("document.activeElement && document.activeElement.id") == "email":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the e-mail field cannot be reached with Tab")
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.locator(".account")).to_contain_text(email)


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out").press("Enter")
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def take_step(page: Page, button: str, note: str = "") -> None:
    if note:
        page.get_by_label("Note (optional)").first.press_sequentially(note)
    page.get_by_role("button", name=button).press("Enter")


#: Chromium logs a page answered 4xx as a console error: the refused upload (422) is one.
REFUSED_UPLOAD = "Failed to load resource: the server responded with a status of 422"


def test_a_submission_goes_from_a_focal_points_upload_to_the_public_indicator_page(
    guarded: Callable[[], tuple[Page, Problems]],
    site: str,
    tmp_path: Path,
    screenshot: Callable[[Page, str], Path],
) -> None:
    page, problems = guarded()
    template = tmp_path / "template.xlsx"
    make_template(template, country="PHL", year=2022, indicators=["SI_COV_BENFTS"])
    bad, good = tmp_path / "bad" / "PHL_2022.xlsx", tmp_path / "good" / "PHL_2022.xlsx"
    bad.parent.mkdir()
    good.parent.mkdir()
    cells = fill_workbook(template, bad, {"_T": 40.0, "F": 138.0, "M": 42.0})
    fill_workbook(template, good, {"_T": 40.0, "F": 38.0, "M": 42.0})

    sign_in(page, site, "focal.phl@example.org")
    page.goto(f"{site}/submissions/new")
    page.set_input_files("#file", str(bad))
    page.get_by_role("button", name="Check and upload").press("Enter")
    finding = page.locator("tr.finding-error", has_text=cells["F"])
    expect(finding).to_contain_text("percentage")
    expect(page.get_by_role("alert")).to_contain_text("nothing was stored")
    screenshot(page, "findings")

    page.set_input_files("#file", str(good))
    page.get_by_role("button", name="Check and upload").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Submission")
    take_step(page, "Submit for review")
    expect(page.locator(".facts")).to_contain_text("submitted")
    sign_out(page)

    sign_in(page, site, "secretariat@example.org")
    page.goto(f"{site}/submissions?status=submitted")
    page.get_by_role("link", name="1", exact=True).press("Enter")
    expect(page.locator("tr.change-new")).to_have_count(3)
    take_step(page, "Validate", note="matches the PSA tables")
    expect(page.locator(".facts")).to_contain_text("validated")
    sign_out(page)

    sign_in(page, site, "admin@example.org")
    page.goto(f"{site}/submissions/1")
    take_step(page, "Publish")
    expect(page.locator(".facts")).to_contain_text("published")
    sign_out(page)

    page.goto(f"{site}/indicators/SI_COV_BENFTS")
    published = page.locator("#values tr", has_text="Philippines")
    expect(published).to_have_count(1)
    expect(published).to_contain_text("2022")
    expect(published).to_contain_text("40.0")
    expect(
        page.locator("#series-figure .vega svg, #series-figure .vega canvas").first
    ).to_be_visible()
    page.locator("#breakdown-sex").select_option("F")
    expect(page.locator("#values tr", has_text="Philippines")).to_contain_text("38.0")
    screenshot(page, "indicator")
    # The network guard and the console guard: only the one refusal the test caused.
    found = problems.report(page)
    assert [line for line in found if REFUSED_UPLOAD not in line] == []
    assert len(found) == 1
