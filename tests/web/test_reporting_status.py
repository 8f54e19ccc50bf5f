"""The reporting-status page: the indicators each member state published, year by year, and the
breakdowns the framework expects of each indicator beside those each member state reported.

Oracle: the values this file publishes (``PUBLISHED``) and the published survey run of
``samples.seed_survey_runs`` (PHL 2021 SI_COV_SOCAST, total and women), counted here by hand
from those lists; the expected breakdowns are the framework's (SI_COV_BENFTS: sex;
SI_COV_SOCAST: income quantile and urbanisation; SI_POV_DAY1: sex, age, urbanisation;
SI_COV_MATNL: none). The seeded PHL 2022 submissions are not published and count for nothing.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from lindung.store.users import User

from .samples import seed_survey_runs
from .test_pages import publish_reference

#: (area, series, year, breakdown) of every value published here; {} is the total.
PUBLISHED: list[tuple[str, str, int, dict[str, str]]] = [
    ("PHL", "SI_COV_BENFTS", 2016, {}),
    ("PHL", "SI_COV_BENFTS", 2020, {}),
    ("PHL", "SI_COV_BENFTS", 2020, {"sex": "F"}),
    ("PHL", "SI_COV_BENFTS", 2020, {"sex": "M"}),
    ("PHL", "SI_COV_SOCAST", 2020, {}),
    ("PHL", "SI_COV_SOCAST", 2020, {"urbanisation": "R"}),
    ("PHL", "SI_COV_MATNL", 2012, {}),  # before 2015: no column, but it is reported
    ("IDN", "SI_COV_BENFTS", 2017, {}),
    ("IDN", "SI_POV_DAY1", 2017, {}),
    ("IDN", "SI_POV_DAY1", 2017, {"sex": "F"}),
]
#: The published survey run's values (samples.seed_survey_runs).
SURVEY: list[tuple[str, str, int, dict[str, str]]] = [
    ("PHL", "SI_COV_SOCAST", 2021, {}),
    ("PHL", "SI_COV_SOCAST", 2021, {"sex": "F"}),
]


def publish(engine: Engine) -> None:
    for area in ("PHL", "IDN"):
        publish_reference(
            engine,
            area,
            [
                {"series": series, "time_period": year, "value": 10.0, **breakdown}
                for where, series, year, breakdown in PUBLISHED
                if where == area
            ],
        )


@pytest.fixture
def published(engine: Engine, accounts: dict[str, User]) -> None:
    """Publish ``PUBLISHED`` and the survey runs (no unpublished submission: see ``seeded``)."""
    seed_survey_runs(engine, accounts)
    publish(engine)


def counts_by_year(
    values: list[tuple[str, str, int, dict[str, str]]], series: set[str] | None = None
) -> dict[str, dict[int, int]]:
    """Count by hand the distinct series of ``values`` per area and year since 2015."""
    found: dict[tuple[str, int], set[str]] = {}
    for area, code, year, _ in values:
        if year >= 2015 and (series is None or code in series):
            found.setdefault((area, year), set()).add(code)
    counted: dict[str, dict[int, int]] = {}
    for (area, year), codes in found.items():
        counted.setdefault(area, {})[year] = len(codes)
    return counted


def table(page: str, table_id: str) -> list[list[str]]:
    """Return the text of each row of the table ``table_id`` (head, body and foot)."""
    match = re.search(rf'<table class="data" id="{table_id}">(.*?)</table>', page, re.S)
    assert match, table_id
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", match.group(1), re.S)
    ]


def years_grid(page: str) -> dict[str, dict[int, int]]:
    """Return the years table as member state name -> year -> count (dashes left out)."""
    head, *rows = table(page, "years-reported")
    years = [int(year) for year in head[1:]]
    return {
        row[0]: {year: int(cell) for year, cell in zip(years, row[1:], strict=True) if cell != "–"}
        for row in rows
        if any(cell != "–" for cell in row[1:])
    }


def status_grid(page: str) -> dict[str, dict[str, Any]]:
    """Return the disaggregation table as series -> {expected, ISO3 -> cell text}."""
    head, *rows, _footer = table(page, "disaggregation-status")
    areas = head[2:]
    return {row[0]: {"expected": row[1], **dict(zip(areas, row[2:], strict=True))} for row in rows}


NAMES = {"PHL": "Philippines", "IDN": "Indonesia"}


def test_the_years_table_counts_the_indicators_each_state_published_each_year(
    app: FastAPI, engine: Engine, seeded: dict[str, int]
) -> None:
    publish(engine)
    page = TestClient(app).get("/reporting-status?lang=en").text
    expected = counts_by_year(PUBLISHED + SURVEY)
    assert years_grid(page) == {NAMES[area]: years for area, years in expected.items()}
    # By hand: PHL 2016 BENFTS; 2020 BENFTS and SOCAST; 2021 SOCAST; IDN 2017 BENFTS, DAY1.
    assert expected == {"PHL": {2016: 1, 2020: 2, 2021: 1}, "IDN": {2017: 2}}
    # The unpublished 2022 submissions make no column; 2012 is before the baseline.
    assert table(page, "years-reported")[0][1:] == ["2016", "2017", "2020", "2021"]
    assert '<abbr title="SI_COV_BENFTS, SI_COV_SOCAST">2</abbr>' in page


def test_the_status_table_sets_expected_breakdowns_beside_those_reported(
    app: FastAPI, published: None
) -> None:
    page = TestClient(app).get("/reporting-status?lang=en").text
    grid = status_grid(page)
    assert grid["SI_COV_BENFTS"]["expected"] == "Sex"
    assert grid["SI_COV_BENFTS"]["PHL"] == "complete"
    assert grid["SI_COV_BENFTS"]["IDN"] == "totals only missing: Sex"
    assert grid["SI_COV_BENFTS"]["VNM"] == "no data"
    # Urbanisation (2020) reported, sex (the survey run) is not expected: the quantile missing.
    assert grid["SI_COV_SOCAST"]["PHL"] == "partial missing: Income or wealth quantile"
    assert grid["SI_POV_DAY1"]["IDN"] == "partial missing: Age, Degree of urbanisation"
    # Nothing is expected of SI_COV_MATNL: its 2012 total is complete.
    assert grid["SI_COV_MATNL"]["expected"] == "none"
    assert grid["SI_COV_MATNL"]["PHL"] == "complete"
    head, *_, footer = table(page, "disaggregation-status")
    complete = dict(zip(head[2:], footer[2:], strict=True))
    assert (complete["PHL"], complete["IDN"], complete["VNM"]) == ("2", "0", "0")


def test_the_filters_keep_the_indicators_of_a_pillar_tier_and_custodian(
    app: FastAPI, published: None
) -> None:
    client = TestClient(app)
    outcomes = client.get("/reporting-status?pillar=outcomes").text
    assert years_grid(outcomes) == {"Indonesia": counts_by_year(PUBLISHED, {"SI_POV_DAY1"})["IDN"]}
    assert set(status_grid(outcomes)) >= {"SI_POV_DAY1", "SL_TLF_UEM"}
    assert "SI_COV_BENFTS" not in status_grid(outcomes)
    assert '<option value="outcomes" selected>' in outcomes
    # Of ILO's tier I coverage indicators, the published ones are BENFTS and MATNL.
    ilo = client.get("/reporting-status?pillar=coverage&tier=I&custodian=ILO").text
    assert years_grid(ilo) == {"Philippines": {2016: 1, 2020: 1}, "Indonesia": {2017: 1}}
    assert "SI_COV_SOCAST" not in status_grid(ilo)  # the World Bank's
    who = client.get("/reporting-status?custodian=WHO").text
    assert sorted(status_grid(who)) == ["SH_ACS_UNHC", "SH_XPD_EARN10"]
    assert 'id="no-years"' in who
    not_sdg = client.get("/reporting-status?tier=none&pillar=coverage").text
    assert sorted(status_grid(not_sdg)) == ["ASP_COV", "ASP_REG_COV"]  # survey and registry


@pytest.mark.parametrize(
    ("query", "status", "named"),
    [
        ("pillar=coverge", 404, "coverage"),
        ("custodian=Nobody", 404, "World Bank"),
        ("tier=IV", 400, "tier"),
    ],
)
def test_an_unknown_filter_is_refused_naming_what_to_use(
    app: FastAPI, query: str, status: int, named: str
) -> None:
    response = TestClient(app).get(f"/reporting-status?{query}")
    assert response.status_code == status
    assert named in response.text


def test_the_page_is_in_indonesian(app: FastAPI, published: None) -> None:
    page = TestClient(app).get("/reporting-status?lang=id").text
    grid = status_grid(page)
    assert grid["SI_COV_BENFTS"]["expected"] == "Jenis kelamin"
    assert "Reporting status" not in page and "Disaggregation status" not in page
    assert grid["SI_COV_BENFTS"]["VNM"] not in ("no data", "")
    assert years_grid(page)["Filipina"] == {2016: 1, 2020: 2, 2021: 1}


def test_every_page_links_the_reporting_status(app: FastAPI) -> None:
    assert 'href="/reporting-status"' in TestClient(app).get("/survey-runs").text


def test_the_heat_map_shades_each_indicator_and_state_by_its_years_with_data(
    app: FastAPI, published: None
) -> None:
    client = TestClient(app)
    page = client.get("/reporting-status?pillar=coverage&lang=id").text
    block = re.search(
        r'<script type="application/json" id="availability-spec">(.*?)</script>', page, re.S
    )
    assert block
    spec = json.loads(block.group(1))
    cells = {(c["series"], c["area"]): (c["latest"], c["points"]) for c in spec["data"]["values"]}
    # PHL: totals in 2016 and 2020 (two years since 2015); IDN 2017; SOCAST: 2020 and the run's
    # 2021; MATNL's 2012 is the latest year but no point since 2015.
    assert cells[("SI_COV_BENFTS", "Filipina")] == (2020, 2)
    assert cells[("SI_COV_BENFTS", "Indonesia")] == (2017, 1)
    assert cells[("SI_COV_SOCAST", "Filipina")] == (2021, 2)
    assert cells[("SI_COV_MATNL", "Filipina")] == (2012, 0)
    assert {series for series, _ in cells} == set(status_grid(page))
    none = client.get("/reporting-status?tier=III").text  # the framework has no tier III
    assert "availability-spec" not in none
    # The scripts are there all the same: a change of filter may swap a heat map in (htmx).
    assert "vega.min.js" in none and "htmx.min.js" in none


def test_an_htmx_request_gets_the_tables_alone_with_the_language_links_out_of_band(
    app: FastAPI, published: None
) -> None:
    client = TestClient(app)
    address = "/reporting-status?pillar=outcomes&tier=&custodian="
    page = client.get(address)
    fragment = client.get(address, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert "HX-Request" in fragment.headers["vary"] and "HX-Request" in page.headers["vary"]
    body = fragment.text
    # The swapped part only: no page around it, no form; the same tables as the page's.
    assert body.lstrip().startswith('<div id="reporting">')
    assert "<html" not in body and 'id="reporting-filters"' not in body
    assert (
        years_grid(body)
        == years_grid(page.text)
        == {"Indonesia": counts_by_year(PUBLISHED, {"SI_POV_DAY1"})["IDN"]}
    )
    assert status_grid(body) == status_grid(page.text)
    # The language links follow the filters, swapped out of band.
    nav = body.split('<nav class="languages"')[1].split("</nav>")[0]
    assert 'hx-swap-oob="true"' in nav and "pillar=outcomes" in nav and "lang=id" in nav
    assert "hx-swap-oob" not in page.text.split('<nav class="languages"')[1].split("</nav>")[0]
    # A history restore (htmx sends HX-Request with it) gets the whole page.
    restored = client.get(
        address, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    )
    assert "<html" in restored.text and 'id="reporting-filters"' in restored.text


def test_the_filters_form_is_a_get_form_that_htmx_enhances(app: FastAPI) -> None:
    page = TestClient(app).get("/reporting-status?lang=id").text
    form = page.split('<form method="get" action="/reporting-status"')[1].split(">")[0]
    # Without JavaScript the form still sends a GET to the page (no CSRF token needed: it
    # changes nothing); with it, htmx sends the same GET and swaps #reporting.
    for attribute in (
        'hx-get="/reporting-status"',
        'hx-target="#reporting"',
        'hx-swap="outerHTML"',
        'hx-push-url="true"',
    ):
        assert attribute in form
    fragment = TestClient(app).get("/reporting-status?lang=id", headers={"HX-Request": "true"})
    assert "Status pelaporan" not in fragment.text.split('<nav class="languages"')[0]
    assert "Indikator terpilih:" in fragment.text
