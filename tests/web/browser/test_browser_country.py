"""A member state's profile in a real browser: its sparklines drawn in both languages, nothing
loaded from off the machine, no console error, no CSP violation, no serious axe violation."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from sqlalchemy import Engine

from lindung.store import make_engine, upgrade

from ..test_country_pages import seed_country
from .conftest import Problems, serving


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """Serve the application on a store holding PHL's values (``seed_country``)."""
    engine: Engine = make_engine(f"sqlite:///{tmp_path / 'country.sqlite'}")
    upgrade(engine)
    seed_country(engine)
    monkeypatch.setenv("LINDUNG_SECRET_KEY", "c" * 40)
    with serving(engine) as address:
        yield address
    engine.dispose()


@pytest.mark.parametrize(
    ("language", "value", "label"),
    [("en", "40.0", "published values by year"), ("id", "40,0", "nilai yang diterbitkan")],
)
def test_the_profile_draws_its_sparklines_within_the_policy(
    guarded: Callable[[], tuple[Page, Problems]],
    site: str,
    screenshot: Callable[[Page, str], Path],
    axe_violations: Callable[[Page, str], list[dict[str, Any]]],
    language: str,
    value: str,
    label: str,
) -> None:
    page, problems = guarded()
    page.goto(f"{site}/countries/PHL?lang={language}")
    line = page.locator("#indicator-SI_COV_BENFTS")
    expect(line.locator(".vega svg, .vega canvas").first).to_be_visible()
    expect(line).to_contain_text(value)
    # Screen readers hear the values the sparkline draws.
    expect(line.locator("div.vega[aria-label]")).to_have_attribute("aria-label", re.compile(label))
    # Both sparklines with data are drawn, and only those.
    expect(page.locator("figure.sparkline .vega svg, figure.sparkline .vega canvas")).to_have_count(
        2
    )
    screenshot(page, f"country-{language}")
    assert problems.report(page) == []
    assert axe_violations(page, "html") == []
