"""The public pages show the published values, formatted for the reader's language."""

from __future__ import annotations

import json
import re

from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from lindung.store import create_submission, insert_observations, transaction

HOSTILE = '<script>alert("source")</script> national survey'


def publish_reference(engine: Engine, area: str, rows: list[dict[str, object]]) -> None:
    """Store ``rows`` for ``area`` as one published reference submission."""
    with transaction(engine) as connection:
        submission_id = create_submission(
            connection,
            kind="reference",
            ref_area=area,
            time_period=None,
            source=HOSTILE,
            framework_version="1.0.0",
            actor="system",
            status="published",
        )
        insert_observations(
            connection,
            submission_id,
            [{"ref_area": area, "unit": "percent", "source": HOSTILE, **row} for row in rows],
            framework_version="1.0.0",
        )


def seed(engine: Engine) -> None:
    publish_reference(
        engine,
        "IDN",
        [
            {"series": "SI_COV_BENFTS", "time_period": 2017, "value": 50.0},
            {"series": "SI_COV_BENFTS", "time_period": 2019, "value": 1234.56},
        ],
    )
    publish_reference(
        engine, "PHL", [{"series": "SI_COV_BENFTS", "time_period": 2020, "value": 61.25}]
    )


def row_of(page: str, name: str) -> str:
    # The name links to the member state's profile (tests/web/test_country_pages.py).
    match = re.search(rf"<th scope=\"row\"><a [^>]*>{name}</a></th>(.*?)</tr>", page, re.S)
    assert match, name
    return re.sub(r"\s+", " ", match.group(1))


def test_the_overview_shows_each_states_latest_value_in_the_readers_number_format(
    app: FastAPI, engine: Engine
) -> None:
    seed(engine)
    client = TestClient(app)
    english = client.get("/?series=SI_COV_BENFTS&lang=en").text
    # IDN's latest is 2019 (not 2017), 1234.56 to one decimal.
    assert '<td class="number">1,234.6</td><td>2019</td>' in row_of(english, "Indonesia")
    assert '<td class="number">61.3</td><td>2020</td>' in row_of(english, "Philippines")
    assert "no data" in row_of(english, "Viet Nam")
    indonesian = client.get("/?series=SI_COV_BENFTS&lang=id").text
    assert '<td class="number">1.234,6</td><td>2019</td>' in row_of(indonesian, "Indonesia")
    assert '<td class="number">61,3</td><td>2020</td>' in row_of(indonesian, "Filipina")


def test_the_overview_escapes_a_hostile_source_in_the_table_and_in_the_chart_data(
    app: FastAPI, engine: Engine
) -> None:
    seed(engine)
    page = TestClient(app).get("/").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;source&#34;)&lt;/script&gt; national survey" in page


def test_the_overview_embeds_the_availability_heat_map_with_the_years_of_data(
    app: FastAPI, engine: Engine
) -> None:
    seed(engine)
    page = TestClient(app).get("/?lang=id").text
    block = re.search(
        r'<script type="application/json" id="availability-spec">(.*?)</script>', page, re.S
    )
    assert block
    spec = json.loads(block.group(1))
    assert spec["config"]["locale"]["number"]["decimal"] == ","
    cells = {(c["series"], c["area"]): (c["latest"], c["points"]) for c in spec["data"]["values"]}
    # IDN: values in 2017 and 2019, both since 2015; PHL: 2020 only.
    assert cells[("SI_COV_BENFTS", "Indonesia")] == (2019, 2)
    assert cells[("SI_COV_BENFTS", "Filipina")] == (2020, 1)
    assert cells[("SI_COV_BENFTS", "Vietnam")] == (None, 0)
    assert '<td class="number">2019 (2)</td>' in page


def test_an_unknown_indicator_is_404_naming_the_closest_code(app: FastAPI) -> None:
    response = TestClient(app).get("/?series=SI_COV_BENFT")
    assert response.status_code == 404
    assert "SI_COV_BENFTS" in response.text


def test_the_overview_without_data_says_there_is_no_aggregate(app: FastAPI) -> None:
    page = TestClient(app).get("/?lang=en").text
    assert "No regional aggregate" in page


def test_the_overview_says_why_there_is_no_aggregate_in_the_readers_language(
    app: FastAPI, engine: Engine
) -> None:
    # Equal populations in 2020: PHL alone has a value that year, 1 of 11 = 9.1 % of the
    # population, below half: no ASEAN mean (nor ASEAN-10's: 1 of 10 = 10.0 %). Only PHL's
    # value: seed()'s 1234.56 % for IDN shows number formats, but no aggregate is made of a
    # percentage outside 0-100 (assess refuses it, as no import stores it).
    publish_reference(
        engine, "PHL", [{"series": "SI_COV_BENFTS", "time_period": 2020, "value": 61.25}]
    )
    members = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "TLS"]
    for area in members:
        publish_reference(
            engine,
            area,
            [{"series": "ASP_POP", "time_period": 2020, "value": 1e6, "unit": "persons"}],
        )
    page = TestClient(app).get("/?lang=id").text
    table = page.split('id="aggregates"')[1].split("</table>")[0]
    rows = re.findall(r"<tr>(.*?)</tr>", table.split("<tbody>")[1], re.S)
    notes = [re.findall(r"<td([^>]*)>(.*?)</td>", row, re.S)[-1] for row in rows]
    assert (
        "",
        "negara anggota yang memiliki data mencakup 9,1% dari penduduk total, di bawah 50%",
    ) in notes
    assert all('lang="en"' not in attributes for attributes, _ in notes)


def test_a_value_no_aggregate_may_be_made_of_is_said_in_the_aggregates_place(
    app: FastAPI, engine: Engine
) -> None:
    # IDN's 1234.56 % (seed) lies outside 0-100: `assess aggregate` refuses it, and the
    # overview says so where the aggregate would stand instead of failing as a whole.
    seed(engine)
    for area in ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "TLS"]:
        publish_reference(
            engine,
            area,
            [{"series": "ASP_POP", "time_period": 2020, "value": 1e6, "unit": "persons"}],
        )
    answer = TestClient(app).get("/?lang=id")
    assert answer.status_code == 200
    refused = answer.text.split('id="aggregate-refused"')[1].split("</p>")[0]
    assert "Tidak ada agregat regional" in refused
    assert "IDN" in refused and "outside the range" in refused
    assert 'id="aggregates"' not in answer.text
