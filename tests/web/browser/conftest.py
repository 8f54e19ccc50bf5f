"""Browser tests: a headless Debian Chromium driven by Playwright, that may talk to 127.0.0.1 only.

Put browser tests in this folder. ``page`` is a fresh tab per test in the session's one browser;
the test fails on any request that leaves 127.0.0.1 (it is aborted), on any console error or
uncaught exception, and on any Content-Security-Policy violation the page reports.
``screenshot(page, name)`` saves a PNG under ``out/screenshots/`` (git-ignored; CI keeps it as an
artefact). ``axe_violations(page)`` runs axe-core (``tests/web/vendor``) and returns the serious
and critical violations. ``make test`` installs Debian's ``chromium`` when it is missing; these
tests never download a browser and never skip.

Under the site's CSP (no 'unsafe-eval') Playwright's ``wait_for_function`` is refused by the
page: wait with ``wait_for_selector`` (e.g. on a ``data-`` attribute the page's script sets)
instead; ``page.evaluate`` works, as it goes through DevTools.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import uvicorn
from playwright.sync_api import (
    Browser,
    ConsoleMessage,
    Page,
    Playwright,
    Request,
    Route,
    expect,
    sync_playwright,
)
from playwright.sync_api import Error as PlaywrightError
from sqlalchemy import Engine

from lindung.web import create_app

# A sign-in hashes the password with argon2id, which takes seconds on a loaded two-core
# machine: give each expectation that long before calling it a failure (Playwright's own
# default is 5 s).
expect.set_options(timeout=20_000)


@contextlib.contextmanager
def serving(engine: Engine) -> Iterator[str]:
    """Serve the application on ``engine`` at a free loopback port; yield its address."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    server = uvicorn.Server(
        uvicorn.Config(create_app(engine=engine), host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        assert time.monotonic() < deadline, "the server did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parents[3]
SCREENSHOTS = ROOT / "out" / "screenshots"
AXE = ROOT / "tests" / "web" / "vendor" / "axe.min.js"
LOOPBACK = {"127.0.0.1"}
# Collects what the page reports about its Content-Security-Policy, before any page script runs.
_WATCH_CSP = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective} blocked ${event.blockedURI || "inline"}`);
});
"""


@dataclass
class Problems:
    """What went wrong in a page: requests off the machine, console errors, CSP violations."""

    off_machine: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)

    def report(self, page: Page) -> list[str]:
        found = [f"request left 127.0.0.1: {url}" for url in self.off_machine]
        found += [f"console error: {text}" for text in self.console_errors]
        with contextlib.suppress(PlaywrightError):  # a closed page has no more to say
            found += [f"CSP violation: {v}" for v in page.evaluate("window.__cspViolations || []")]
        return found


@pytest.fixture(scope="session")
def playwright() -> Iterator[Playwright]:
    with sync_playwright() as driver:
        yield driver


@pytest.fixture(scope="session")
def browser(playwright: Playwright) -> Iterator[Browser]:
    """Return the session's headless Chromium: Debian's, at /usr/bin/chromium."""
    if not CHROMIUM.exists():
        pytest.fail(
            "the browser tests need Debian's chromium at /usr/bin/chromium: run `make test` "
            "(it installs it with apt-get when it can) or `apt-get install chromium` as root",
            pytrace=False,
        )
    browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True)
    yield browser
    browser.close()


def open_guarded(browser: Browser) -> tuple[Page, Problems]:
    """Open a tab in a new context whose requests off 127.0.0.1 are aborted and noted, with its
    console errors and CSP violations noted too; closing its context is the caller's."""
    context = browser.new_context(service_workers="block")
    context.add_init_script(_WATCH_CSP)
    problems = Problems()

    def guard(route: Route, request: Request) -> None:
        if urlsplit(request.url).hostname in LOOPBACK:
            route.continue_()
        else:
            problems.off_machine.append(request.url)
            route.abort("blockedbyclient")

    def console(message: ConsoleMessage) -> None:
        if message.type == "error":
            problems.console_errors.append(message.text)

    context.route("**/*", guard)
    tab = context.new_page()
    tab.on("console", console)
    tab.on("pageerror", lambda error: problems.console_errors.append(f"uncaught {error}"))
    return tab, problems


@pytest.fixture
def guarded(browser: Browser) -> Iterator[Callable[[], tuple[Page, Problems]]]:
    """Return a function opening guarded tabs without failing the test: for testing the guard."""
    opened: list[Page] = []

    def open_tab() -> tuple[Page, Problems]:
        tab, problems = open_guarded(browser)
        opened.append(tab)
        return tab, problems

    yield open_tab
    for tab in opened:
        tab.context.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """Return a fresh tab that fails the test on requests off 127.0.0.1 and on console errors."""
    tab, problems = open_guarded(browser)
    yield tab
    found = problems.report(tab)
    tab.context.close()
    if found:
        pytest.fail("the page misbehaved:\n" + "\n".join(found), pytrace=False)


@pytest.fixture
def screenshot(request: pytest.FixtureRequest) -> Callable[[Page, str], Path]:
    """Return a function saving a full-page PNG of a page as out/screenshots/<test>-<name>.png."""

    def save(page: Page, name: str) -> Path:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        test = "".join(c if c.isalnum() or c in "-_" else "_" for c in request.node.name)
        path = SCREENSHOTS / f"{test}-{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return save


@pytest.fixture(scope="session")
def axe_violations() -> Callable[[Page, str], list[dict[str, Any]]]:
    """Return a function running axe-core on a page (or the part a CSS selector picks): its
    serious and critical violations, each with axe's ``id``, ``help`` and ``nodes``."""
    source = AXE.read_text()

    def run(page: Page, selector: str = "html") -> list[dict[str, Any]]:
        if not page.evaluate("typeof window.axe !== 'undefined'"):
            page.evaluate(source)  # through DevTools, so the page's CSP does not block it
        violations: list[dict[str, Any]] = page.evaluate(
            "async (selector) => (await axe.run(document.querySelector(selector),"
            " {resultTypes: ['violations']})).violations",
            selector,
        )
        return [v for v in violations if v.get("impact") in {"serious", "critical"}]

    return run
