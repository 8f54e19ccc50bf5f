"""The public pages in a real browser: the overview's map and heat map drawn and the reporting
status's tables and filters, in both languages, nothing loaded from off the machine, no console
error, no CSP violation, no serious axe violation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, expect
from sqlalchemy import Engine

from lindung.store import make_engine, upgrade

from ..test_pages import seed
from .conftest import Problems, serving


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Serve the application on a store holding published values; yield its address."""
    engine: Engine = make_engine(f"sqlite:///{tmp_path / 'pages.sqlite'}")
    upgrade(engine)
    seed(engine)
    monkeypatch.setenv("LINDUNG_SECRET_KEY", "p" * 40)
    with serving(engine) as address:
        yield address
    engine.dispose()


@pytest.mark.parametrize(("language", "state"), [("en", "Indonesia"), ("id", "Indonesia")])
def test_the_overview_draws_its_map_and_heat_map_within_the_policy(
    guarded: Callable[[], tuple[Page, Problems]],
    site: str,
    screenshot: Callable[[Page, str], Path],
    axe_violations: Callable[[Page, str], list[dict[str, Any]]],
    language: str,
    state: str,
) -> None:
    page, problems = guarded()
    page.goto(f"{site}/?lang={language}")
    expect(page.locator("#map-figure .vega svg, #map-figure .vega canvas").first).to_be_visible()
    expect(
        page.locator("#availability-figure .vega svg, #availability-figure .vega canvas").first
    ).to_be_visible()
    expect(page.locator("#latest-values tr", has_text=state)).to_contain_text(
        "1,234.6" if language == "en" else "1.234,6"
    )
    screenshot(page, f"overview-{language}")
    weight = page.evaluate(
        "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
        ".reduce((sum, entry) => sum + (entry.transferSize || 0), 0)"
    )
    print(f"overview ({language}) first visit: {weight} bytes transferred")
    assert weight < 500_000, "a first visit must stay under 500 KB on the wire"
    assert problems.report(page) == []
    assert axe_violations(page, "html") == []


@pytest.mark.parametrize(
    ("language", "state", "status"), [("en", "Indonesia", "totals only"), ("id", "Indonesia", "")]
)
def test_the_reporting_status_shows_its_tables_within_the_policy(
    page: Page,
    site: str,
    screenshot: Callable[[Page, str], Path],
    axe_violations: Callable[[Page, str], list[dict[str, Any]]],
    language: str,
    state: str,
    status: str,
) -> None:
    page.goto(f"{site}/reporting-status?pillar=coverage&lang={language}")
    # The seed: IDN SI_COV_BENFTS in 2017 and 2019 (totals only), PHL in 2020.
    years = page.locator("#years-reported thead th")
    expect(years).to_have_text([years.first.inner_text(), "2017", "2019", "2020"])
    expect(page.locator("#years-reported tr", has_text=state).locator("td")).to_have_text(
        ["1", "1", "–"]
    )
    expect(
        page.locator("#availability-figure .vega svg, #availability-figure .vega canvas").first
    ).to_be_visible()
    row = page.locator("#disaggregation-status tbody tr", has_text="SI_COV_BENFTS")
    expect(row).to_contain_text(status or "hanya total")
    screenshot(page, f"reporting-status-{language}")
    assert axe_violations(page, "html") == []
    page.select_option("#pillar", "outcomes")
    page.click("#reporting-filters button")
    expect(page.locator("#no-years")).to_be_visible()
    assert "pillar=outcomes" in page.url


HEAT_MAP = "#availability-figure .vega svg, #availability-figure .vega canvas"


def test_the_filters_swap_the_tables_and_heat_map_without_reloading(
    page: Page, site: str, axe_violations: Callable[[Page, str], list[dict[str, Any]]]
) -> None:
    page.goto(f"{site}/reporting-status?lang=id")
    expect(page.locator(HEAT_MAP).first).to_be_visible()
    page.evaluate("window.__notReloaded = true")
    page.select_option("#pillar", "outcomes")  # no value of the seed's is an outcome
    expect(page.locator("#no-years")).to_be_visible()
    expect(page.locator(HEAT_MAP).first).to_be_visible()  # drawn again after the swap
    assert page.evaluate("window.__notReloaded === true"), "htmx swapped the tables, no reload"
    assert "pillar=outcomes" in page.url
    expect(page.locator("#languages a[hreflang=en]")).to_have_attribute(
        "href", re.compile(r"pillar=outcomes")
    )
    page.select_option("#pillar", "coverage")  # the heat map comes back, drawn
    expect(page.locator(HEAT_MAP).first).to_be_visible()
    expect(page.locator("#years-reported tr", has_text="Indonesia").locator("td")).to_have_text(
        ["1", "1", "–"]
    )
    assert page.evaluate("window.__notReloaded === true")
    assert "pillar=coverage" in page.url
    assert axe_violations(page, "html") == []
    # Back goes to the previous filters (htmx keeps no copy: the page is fetched again).
    page.go_back()
    expect(page.locator("#no-years")).to_be_visible()
    expect(page.locator("#pillar")).to_have_value("outcomes")


def test_the_filters_work_with_the_keyboard_only(page: Page, site: str) -> None:
    page.goto(f"{site}/reporting-status?pillar=outcomes&lang=en")
    expect(page.locator("#no-years")).to_be_visible()
    for _ in range(40):
        if page.evaluate("document.activeElement && document.activeElement.id") == "pillar":
            break
        page.keyboard.press("Tab")
    else:
        pytest.fail("the pillar filter cannot be reached with Tab")
    page.keyboard.press("Home")  # All pillars: the seed's values are back
    expect(page.locator("#years-reported")).to_be_visible()
    expect(page.locator(HEAT_MAP).first).to_be_visible()
    assert "pillar=&" in page.url
    # The focus stays on the filter the reader changed.
    assert page.evaluate("document.activeElement.id") == "pillar"


def test_the_filters_work_without_javascript(browser: Browser, site: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    try:
        tab = context.new_page()
        tab.goto(f"{site}/reporting-status?lang=en")
        tab.select_option("#pillar", "outcomes")
        tab.get_by_role("button", name="Show").click()
        tab.wait_for_url("**/reporting-status?pillar=outcomes**")
        expect(tab.locator("#no-years")).to_be_visible()
        expect(tab.locator("#pillar")).to_have_value("outcomes")
    finally:
        context.close()


def test_the_api_reference_is_drawn_with_nothing_from_another_site(
    page: Page, site: str, axe_violations: Callable[[Page, str], list[dict[str, Any]]]
) -> None:
    page.goto(f"{site}/api/v1/docs")
    expect(page.locator("#get--api-v1-aggregates h3")).to_have_text("GET /api/v1/aggregates")
    page.click('a[href="#get--api-v1-progress"]')
    expect(page.locator("#get--api-v1-progress")).to_be_in_viewport()
    assert axe_violations(page, "html") == []


def test_a_later_visit_takes_the_static_files_from_the_cache(browser: Browser, site: str) -> None:
    # Playwright turns the HTTP cache off in a context whose requests it routes, so this tab
    # is not the guarded one: it notes any request off the machine instead of aborting it.
    context = browser.new_context(service_workers="block")
    tab = context.new_page()
    off_machine: list[str] = []
    tab.on(
        "request",
        lambda request: (
            None
            if urlsplit(request.url).hostname == "127.0.0.1"
            else off_machine.append(request.url)
        ),
    )
    sizes = (
        "performance.getEntriesByType('resource').filter(e => e.name.includes('/static/'))"
        ".map(e => [new URL(e.name).pathname, e.transferSize])"
    )
    drawn = "#map-figure .vega svg, #map-figure .vega canvas"
    try:
        tab.goto(f"{site}/?lang=en")
        expect(tab.locator(drawn).first).to_be_visible()
        first = dict(tab.evaluate(sizes))
        assert first and all(size > 0 for size in first.values()), first
        tab.goto(f"{site}/reporting-status?lang=en")
        tab.goto(f"{site}/?lang=en")
        expect(tab.locator(drawn).first).to_be_visible()
        later = dict(tab.evaluate(sizes))
    finally:
        context.close()
    # Nothing of the stylesheet and scripts crosses the wire again, not even a revalidation.
    assert set(later) == set(first) and all(size == 0 for size in later.values()), later
    assert off_machine == []
