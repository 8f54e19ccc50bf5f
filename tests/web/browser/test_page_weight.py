"""Each page type's first visit stays under 500 KB on the wire: a browser with nothing cached
loads the page and everything it pulls in (stylesheet, scripts, map, chart data), compressed.

Measured in the browser (Resource Timing's ``transferSize``: headers and the body as sent, i.e.
gzip-compressed where the server compressed it), on a store holding the shipped reference data.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import Page, Response
from sqlalchemy import Engine

from lindung.ingest.reference import load_reference
from lindung.store import make_engine, upgrade

from ..test_pages import seed
from .conftest import Problems, serving

#: The goal of issue 11, in bytes on the wire for one first visit.
LIMIT = 500_000
#: One page of each type: overview, country profile, indicator page, reporting status, survey
#: runs, sign-in.
PAGES = {
    "overview": "/",
    "country profile": "/countries/IDN",
    "indicator page": "/indicators/SI_COV_BENFTS",
    "reporting status": "/reporting-status",
    "survey runs": "/survey-runs",
    "sign-in": "/login",
}
#: Everything a page loads is in the navigation and resource entries once it has loaded.
TRANSFERRED = (
    "performance.getEntriesByType('navigation').concat(performance.getEntriesByType('resource'))"
    ".reduce((sum, entry) => sum + (entry.transferSize || 0), 0)"
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """Serve the application on a store with the reference data and a few published values."""
    folder = tmp_path_factory.mktemp("weight")
    engine: Engine = make_engine(f"sqlite:///{folder / 'weight.sqlite'}")
    upgrade(engine)
    load_reference(engine)
    seed(engine)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("LINDUNG_SECRET_KEY", "w" * 40)
        with serving(engine) as address:
            yield address
    engine.dispose()


@pytest.mark.parametrize("name", list(PAGES))
def test_a_first_visit_of_each_page_type_stays_under_500_kb_compressed(
    guarded: Callable[[], tuple[Page, Problems]], site: str, name: str
) -> None:
    page, problems = guarded()  # a new context: nothing cached
    answers: list[Response] = []
    page.on("response", lambda answer: answers.append(answer))
    page.goto(f"{site}{PAGES[name]}", wait_until="networkidle")
    weight = int(page.evaluate(TRANSFERRED))
    print(f"{name} ({PAGES[name]}) first visit: {weight} bytes transferred")
    assert 0 < weight < LIMIT, f"{name}: {weight} bytes on a first visit, over {LIMIT}"
    # Every script and stylesheet of more than a kilobyte came compressed.
    for answer in answers:
        kind = answer.headers.get("content-type", "")
        size = int(answer.headers.get("content-length") or len(answer.body()))
        if ("javascript" in kind or "css" in kind) and size > 1024:
            assert answer.headers.get("content-encoding") == "gzip", answer.url
    assert problems.report(page) == []
