"""The vendored Vega draws a chart and the ASEAN map under the site's strict CSP, offline.

The page is served from 127.0.0.1 by a small HTTP server in the test, with the web app's own
Content-Security-Policy (no 'unsafe-inline', no 'unsafe-eval'); the specs are lindung.charts'
with the Indonesian number locale of lindung.i18n; vega-embed runs with ``ast: true`` so
vega-interpreter evaluates the expressions instead of ``new Function``.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, ClassVar

import pytest
from playwright.sync_api import Page

from lindung.charts import choropleth, time_series
from lindung.framework import load_catalogue
from lindung.i18n import d3_format_locale
from lindung.web.guards import CONTENT_SECURITY_POLICY

STATIC = Path(__file__).resolve().parents[3] / "src" / "lindung" / "web" / "static"
MAP = STATIC / "map" / "asean-countries-50m.json"

PAGE = """<!doctype html>
<html lang="id"><head><meta charset="utf-8"><title>Vega di bawah CSP</title>
<script src="/static/vendor/vega.min.js"></script>
<script src="/static/vendor/vega-lite.min.js"></script>
<script src="/static/vendor/vega-interpreter.min.js"></script>
<script src="/static/vendor/vega-embed.min.js"></script>
<script src="/charts.js" defer></script>
</head><body><main><h1>Grafik</h1><div id="chart"></div><div id="map"></div></main></body></html>
"""

# First-party script, as the site's would be: no inline code, options as the vendor README says.
SCRIPT = """
const options = {
  ast: true, defaultStyle: false, actions: false, renderer: "svg",
  tooltip: {disableDefaultStyle: true},
};
async function draw() {
  const specs = await (await fetch("/specs.json")).json();
  await vegaEmbed("#chart", specs.chart, options);
  await vegaEmbed("#map", specs.map, options);
  document.body.dataset.drawn = "yes";
}
draw().catch((error) => { document.body.dataset.drawn = "failed"; console.error(String(error)); });
"""


def specs() -> dict[str, Any]:
    numbers = d3_format_locale("id")
    points = [
        {"area": name, "year": year, "value": value, "se": 1.2}
        for name, base in (("Indonesia", 27.5), ("Filipina", 36.7))
        for year, value in ((2015, base), (2018, base + 4.25), (2021, base + 9.5))
    ]
    chart = time_series(
        points,
        title="Cakupan",
        description="Cakupan menurut negara",
        year_title="Tahun",
        value_title="Nilai",
        area_title="Negara",
        number_locale=numbers,
        target=50.0,
        target_title="Target",
        width=480,
    )
    areas = [
        {"id": f"{s.m49:03d}", "name": s.name.id, "value": 10.0 + 7.5 * i, "year": 2021}
        for i, s in enumerate(load_catalogue().member_states)
    ]
    ten = [a for a in areas if a["id"] != "626"] + [{"id": "626", "name": "Timor-Leste"}]
    world = json.loads(MAP.read_text())
    asean = choropleth(
        world,
        ten,
        feature="countries",
        title="Peta",
        description="Peta ASEAN",
        value_title="Nilai",
        year_title="Tahun",
        name_title="Negara",
        number_locale=numbers,
        width=480,
        height=320,
    )
    return {"chart": chart, "map": asean}


class Site(BaseHTTPRequestHandler):
    """Serves the test page, its script, the specs and the vendored static files."""

    routes: ClassVar[dict[str, tuple[str, bytes]]] = {}

    def do_GET(self) -> None:
        path = self.path.split("?")[0]
        if path in self.routes:
            kind, body = self.routes[path]
        elif path.startswith("/static/") and (STATIC / path[8:]).resolve().is_relative_to(STATIC):
            file = STATIC / path[len("/static/") :]
            if not file.is_file():
                self.send_error(404)
                return
            kind = "application/json" if file.suffix == ".json" else "text/javascript"
            body = file.read_bytes()
        else:
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        """Keep the test output quiet."""


@pytest.fixture(scope="module")
def site() -> Iterator[str]:
    Site.routes = {
        "/": ("text/html", PAGE.encode()),
        "/charts.js": ("text/javascript", SCRIPT.encode()),
        "/specs.json": ("application/json", json.dumps(specs()).encode()),
    }
    server = ThreadingHTTPServer(("127.0.0.1", 0), Site)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


def test_a_chart_and_the_map_render_under_the_strict_csp(
    page: Page, site: str, screenshot: Callable[[Page, str], Path]
) -> None:
    page.goto(site)
    page.wait_for_selector("body[data-drawn]", state="attached", timeout=20_000)
    assert page.evaluate("document.body.dataset.drawn") == "yes"
    assert page.locator("#chart svg").count() == 1
    assert page.locator("#map svg").count() == 1
    # The two layers of the map: every member state grey below, those with a value shaded.
    assert page.locator("#map svg g.mark-shape path").count() == 11 + 10
    # Vega wrote the legend's numbers with the Indonesian decimal comma.
    legend = page.locator("#map svg g.role-legend text").all_text_contents()
    assert any(re.fullmatch(r"\d+,0", text) for text in legend), legend
    screenshot(page, "chart-and-map")
    # No violation: the page fixture fails the test on any one the page reports.
    assert page.evaluate("window.__cspViolations") == []


def test_the_indonesian_number_locale_agrees_with_chromium_s_icu(page: Page, site: str) -> None:
    page.goto(site)
    marks = page.evaluate(
        """() => Object.fromEntries(new Intl.NumberFormat("id-ID").formatToParts(1234567.5)
             .filter((part) => part.type === "group" || part.type === "decimal")
             .map((part) => [part.type, part.value]))"""
    )
    numbers = d3_format_locale("id")
    assert marks == {"group": numbers["thousands"], "decimal": numbers["decimal"]}
    formatted = page.evaluate(
        "(definition) => vega.formatLocale(definition).format(',.1f')(1234567.5)", numbers
    )
    assert formatted == "1.234.567,5"


def test_the_guard_catches_requests_off_the_machine_console_errors_and_csp_violations(
    guarded: Callable[[], tuple[Page, Any]], site: str
) -> None:
    tab, problems = guarded()
    tab.goto(site)
    tab.wait_for_selector("body[data-drawn]", state="attached", timeout=20_000)
    assert problems.report(tab) == []
    # What a careless page might do: log an error, add an inline style, call a CDN.
    tab.evaluate(
        """() => { console.error("boom");
                   const style = document.createElement("style");
                   style.textContent = "body { color: red }";
                   document.head.append(style); }"""
    )
    tab.wait_for_timeout(300)
    found = problems.report(tab)
    assert "console error: boom" in found
    assert "CSP violation: style-src-elem blocked inline" in found
    # The CSP already stops a fetch from the site's pages; the guard catches what gets past it.
    tab.goto("about:blank")
    tab.evaluate("() => fetch('https://cdn.example.org/lib.js').catch(() => null)")
    tab.wait_for_timeout(300)
    assert "request left 127.0.0.1: https://cdn.example.org/lib.js" in problems.report(tab)


def test_axe_reports_serious_violations_on_a_page_that_has_them(
    page: Page, site: str, axe_violations: Callable[[Page, str], list[dict[str, Any]]]
) -> None:
    page.goto(site)
    page.wait_for_selector("body[data-drawn]", state="attached", timeout=20_000)
    # The time-series chart and the map are clean.
    assert [v["id"] for v in axe_violations(page, "#chart")] == []
    assert [v["id"] for v in axe_violations(page, "#map")] == []
    # An image without alternative text is a critical violation (axe rule image-alt).
    page.evaluate(
        "() => { const img = document.createElement('img'); img.src = 'data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7';"
        " document.querySelector('main').append(img); }"
    )
    assert "image-alt" in [v["id"] for v in axe_violations(page, "main")]
