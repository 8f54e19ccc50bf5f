"""The indicator pages: the framework's metadata of an indicator, its published values by
breakdown as a chart, a table and CSV downloads, and each member state's progress.

Oracles: the values seeded here (``SEED``), filtered and formatted in the test by hand (member
states in the catalogue's order, one decimal, ``1,234.6`` / ``1.234,6``); the 95 % band of a
value with only an SE is value +/- z(0.975) SE, z from ``statistics.NormalDist``; Open SDG's
ratio R = -CAGR_observed / |CAGR_required| for a lower-is-better series (sdg-build
ProgressMeasure.py; a target of 0 is replaced by 0.001).
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from statistics import NormalDist

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from lindung.framework import load_catalogue
from lindung.store import create_submission, insert_observations, transaction

#: A note a spreadsheet would run as a formula: every CSV must hand it out as text.
FORMULA_NOTE = '=HYPERLINK("http://evil.example/","click")'
HOSTILE_SOURCE = "<script>alert(1)</script> census"

#: (area, year, sex, value, se, ci_low, ci_high, comment) of SI_COV_BENFTS, published.
SEED: list[tuple[str, int, str, float, float | None, float | None, float | None, str | None]] = [
    ("PHL", 2017, "_T", 30.0, None, None, None, None),
    ("PHL", 2020, "_T", 36.5, None, None, None, None),
    ("PHL", 2020, "F", 35.0, None, None, None, FORMULA_NOTE),
    ("IDN", 2016, "_T", 50.0, None, None, None, None),
    ("IDN", 2018, "_T", 54.0, 1.0, None, None, None),
    ("IDN", 2018, "F", 48.3, None, 46.0, 50.5, None),
    ("IDN", 2018, "M", 59.7, None, None, None, None),
    ("VNM", 2019, "_T", 1234.56, None, None, None, None),
]
#: A revision of IDN 2018 F still a draft: nobody sees it on the public pages.
DRAFT_VALUE = 99.9
#: The member states in the catalogue's order, and their names.
ORDER = ["BRN", "KHM", "IDN", "LAO", "MYS", "MMR", "PHL", "SGP", "THA", "VNM", "TLS"]
NAMES = {
    "en": {"IDN": "Indonesia", "PHL": "Philippines", "VNM": "Viet Nam"},
    "id": {"IDN": "Indonesia", "PHL": "Filipina", "VNM": "Vietnam"},
}


def publish(engine: Engine, area: str, series: str, rows: list[dict[str, object]]) -> None:
    """Store ``rows`` of ``series`` for ``area`` as one published reference submission."""
    with transaction(engine) as connection:
        submission_id = create_submission(
            connection,
            kind="reference",
            ref_area=area,
            time_period=None,
            source=HOSTILE_SOURCE,
            framework_version="1.0.0",
            actor="tests",
            status="published",
        )
        insert_observations(
            connection,
            submission_id,
            [
                {"series": series, "ref_area": area, "unit": "percent", "source": HOSTILE_SOURCE}
                | row
                for row in rows
            ],
            framework_version="1.0.0",
        )


def seed(engine: Engine) -> None:
    """Publish ``SEED``, and store a draft revision of IDN 2018 F."""
    for area in ("PHL", "IDN", "VNM"):
        publish(
            engine,
            area,
            "SI_COV_BENFTS",
            [
                {
                    "time_period": year,
                    "sex": sex,
                    "value": value,
                    "se": se,
                    "ci_low": low,
                    "ci_high": high,
                    "comment": comment,
                }
                for (where, year, sex, value, se, low, high, comment) in SEED
                if where == area
            ],
        )
    with transaction(engine) as connection:
        draft = create_submission(
            connection,
            kind="template",
            ref_area="IDN",
            time_period=2018,
            source="draft",
            framework_version="1.0.0",
            actor="tests",
        )
        insert_observations(
            connection,
            draft,
            [
                {
                    "series": "SI_COV_BENFTS",
                    "ref_area": "IDN",
                    "time_period": 2018,
                    "sex": "F",
                    "unit": "percent",
                    "value": DRAFT_VALUE,
                }
            ],
            framework_version="1.0.0",
        )


def formatted(value: float, language: str) -> str:
    english = f"{value:,.1f}"
    return english if language == "en" else english.translate(str.maketrans(",.", ".,"))


def expected_rows(sex: str, language: str) -> list[list[str]]:
    """The table's (member state, year, value) rows, from ``SEED`` by hand."""
    chosen = [row for row in SEED if row[2] == sex]
    chosen.sort(key=lambda row: (ORDER.index(row[0]), row[1]))
    return [[NAMES[language][a], str(y), formatted(v, language)] for a, y, _, v, *_ in chosen]


def table_rows(page: str, table_id: str) -> list[list[str]]:
    """Return the text of each body row's cells of the table ``table_id``."""
    table = page.split(f'id="{table_id}"')[1].split("</table>")[0]
    body = table.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def spec_of(page: str) -> dict[str, object]:
    block = re.search(
        r'<script type="application/json" id="series-spec">(.*?)</script>', page, re.S
    )
    assert block, "the page has no chart"
    found: dict[str, object] = json.loads(block.group(1))
    return found


def csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def client(app: FastAPI, engine: Engine) -> TestClient:
    seed(engine)
    return TestClient(app)


@pytest.mark.parametrize("language", ["en", "id"])
@pytest.mark.parametrize("sex", ["_T", "F"])
def test_the_table_holds_the_published_values_of_the_breakdown_in_the_readers_format(
    client: TestClient, language: str, sex: str
) -> None:
    query = "" if sex == "_T" else f"&sex={sex}"
    page = client.get(f"/indicators/SI_COV_BENFTS?lang={language}{query}").text
    assert [row[:3] for row in table_rows(page, "values")] == expected_rows(sex, language)


def test_the_indonesian_page_writes_a_thousand_with_a_dot_and_decimals_with_a_comma(
    client: TestClient,
) -> None:
    page = client.get("/indicators/SI_COV_BENFTS?lang=id").text
    assert ["Vietnam", "2019", "1.234,6"] in [row[:3] for row in table_rows(page, "values")]
    assert "Penduduk yang tercakup oleh sedikitnya satu manfaat" in page
    chart = spec_of(page)
    assert chart["config"]["locale"]["number"]["decimal"] == ","  # type: ignore[index]


def test_choosing_a_breakdown_changes_the_table_the_chart_and_the_download(
    client: TestClient,
) -> None:
    total = client.get("/indicators/SI_COV_BENFTS").text
    female = client.get("/indicators/SI_COV_BENFTS?sex=F").text
    assert 'href="/indicators/SI_COV_BENFTS/table.csv"' in total
    assert 'href="/indicators/SI_COV_BENFTS/table.csv?sex=F"' in female
    assert '<option value="F" selected>Female</option>' in female
    points = spec_of(female)["data"]["values"]  # type: ignore[index]
    assert sorted((p["area"], p["year"], p["value"]) for p in points) == [
        ("Indonesia", 2018, 48.3),
        ("Philippines", 2020, 35.0),
    ]
    download = client.get("/indicators/SI_COV_BENFTS/table.csv?sex=F")
    assert download.status_code == 200
    assert 'filename="SI_COV_BENFTS_sex-F.csv"' in download.headers["content-disposition"]
    rows = csv_rows(download.text)
    assert [(r["ref_area"], r["time_period"], r["sex"], r["value"]) for r in rows] == [
        ("IDN", "2018", "F", "48.3"),
        ("PHL", "2020", "F", "35.0"),
    ]
    totals = csv_rows(client.get("/indicators/SI_COV_BENFTS/table.csv").text)
    assert {r["sex"] for r in totals} == {"_T"} and len(totals) == 5


def test_the_selector_offers_the_codes_with_data_of_the_frameworks_dimensions(
    client: TestClient,
) -> None:
    page = client.get("/indicators/SI_COV_BENFTS").text
    form = page.split('id="breakdown"')[1].split("</form>")[0]
    # SI_COV_BENFTS is broken down by sex only (the catalogue); F and M have data.
    assert re.findall(r'name="([a-z_]+)"', form) == ["sex"]
    assert re.findall(r'<option value="([^"]+)"', form) == ["_T", "F", "M"]
    assert 'hx-get="/indicators/SI_COV_BENFTS"' in form and 'hx-select="#selection"' in form


def test_the_csv_downloads_carry_unit_source_and_framework_version_and_neutralise_formulas(
    client: TestClient,
) -> None:
    answer = client.get("/indicators/SI_COV_BENFTS/data.csv")
    assert answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["lindung-framework-version"] == load_catalogue().version
    rows = csv_rows(answer.text)
    assert len(rows) == len(SEED)
    assert {"unit", "source", "framework_version", "se", "ci_low", "ci_high"} <= set(rows[0])
    assert {(r["unit"], r["source"], r["framework_version"]) for r in rows} == {
        ("percent", HOSTILE_SOURCE, "1.0.0")
    }
    noted = [r for r in rows if r["comment"]]
    assert [r["comment"] for r in noted] == ["'" + FORMULA_NOTE]
    assert not any(cell.startswith("=") for r in rows for cell in r.values())
    selection = csv_rows(client.get("/indicators/SI_COV_BENFTS/table.csv?sex=F").text)
    assert [r["comment"] for r in selection if r["comment"]] == ["'" + FORMULA_NOTE]


def test_draft_values_are_on_no_public_page_or_download_whoever_asks(
    browser_as: Callable[[str], TestClient], engine: Engine, seeded: dict[str, int]
) -> None:
    seed(engine)
    for role in ("anonymous", "focal_point", "secretariat"):
        client = browser_as(role)
        page = client.get("/indicators/SI_COV_BENFTS?sex=F").text
        shown = [row[:3] for row in table_rows(page, "values")]
        assert ["Indonesia", "2018", "48.3"] in shown, role
        # The seeded PHL 2022 submissions (40.0 and up) are drafts, submitted or validated.
        assert all(year != "2022" for _, year, _ in shown), role
        assert str(DRAFT_VALUE) not in page and "99,9" not in page, role
        for address in ("table.csv?sex=F", "data.csv"):
            rows = csv_rows(client.get(f"/indicators/SI_COV_BENFTS/{address}").text)
            assert rows and all(r["value"] != str(DRAFT_VALUE) for r in rows), role
            assert all(r["time_period"] != "2022" for r in rows), role


def test_the_chart_draws_the_95_percent_band_from_the_se_or_the_ci(client: TestClient) -> None:
    z = NormalDist().inv_cdf(0.975)
    total = {
        (p["area"], p["year"]): p
        for p in spec_of(client.get("/indicators/SI_COV_BENFTS").text)["data"]["values"]
    }  # type: ignore[index]
    assert total[("Indonesia", 2018)]["low"] == pytest.approx(54.0 - z * 1.0, abs=1e-9)
    assert total[("Indonesia", 2018)]["high"] == pytest.approx(54.0 + z * 1.0, abs=1e-9)
    assert total[("Indonesia", 2016)]["low"] is None
    female = spec_of(client.get("/indicators/SI_COV_BENFTS?sex=F").text)["data"]["values"]  # type: ignore[index]
    idn = next(p for p in female if p["area"] == "Indonesia")
    assert (idn["low"], idn["high"]) == (46.0, 50.5)


def test_progress_names_the_method_and_judges_each_member_state(
    app: FastAPI, engine: Engine
) -> None:
    # SI_POV_DAY1: lower is better, target 0 by 2030 from 2015 (the catalogue).
    publish(
        engine,
        "IDN",
        "SI_POV_DAY1",
        [{"time_period": 2015, "value": 10.0}, {"time_period": 2020, "value": 5.0}],
    )
    page = TestClient(app).get("/indicators/SI_POV_DAY1?lang=en").text
    observed = (5.0 / 10.0) ** (1 / 5) - 1
    required = (0.001 / 10.0) ** (1 / 15) - 1
    ratio = -observed / abs(required)
    assert 0 <= ratio < 0.6  # Open SDG: limited progress
    rows = {row[0]: row for row in table_rows(page, "progress")}
    assert rows["Indonesia"][1:4] == ["Limited progress", "2015: 10.0", "2020: 5.0"]
    assert f"R = {ratio:.3f}" in rows["Indonesia"][4]
    # The explanation in Indonesian, its numbers as Indonesian writes them, not marked English.
    # Growth rates as percentages to two decimals, R to three; target 0 taken as 0.001.
    indonesian = TestClient(app).get("/indicators/SI_POV_DAY1?lang=id").text
    cell = re.search(
        r"<th scope=\"row\">Indonesia</th>(.*?)</tr>", indonesian.split('id="progress"')[1], re.S
    )
    assert cell
    explanation = re.findall(r"<td([^>]*)>(.*?)</td>", cell.group(1), re.S)[-1]
    comma = str.maketrans(".", ",")
    assert 'lang="en"' not in explanation[0]
    assert explanation[1] == (
        f"pertumbuhan teramati {observed * 100:.2f}% per tahun dibandingkan "
        f"{required * 100:.2f}% per tahun yang diperlukan (2015–2030): rasio R = {ratio:.3f}; "
        "target 0 diganti dengan 0,001"
    ).translate(comma)
    # The custodian named in the page's language (catalogue: World Bank).
    assert "<dt>Custodian</dt><dd>World Bank</dd>" in page
    assert "<dd>Bank Dunia</dd>" in indonesian and "<dd>World Bank</dd>" not in indonesian
    assert rows["Philippines"][1] == "no data"
    assert "Open SDG" in page.split('id="progress-method"')[1].split("</p>")[0]
    target = [layer for layer in spec_of(page)["layer"] if layer["mark"]["type"] == "rule"]  # type: ignore[index,union-attr]
    assert target and target[0]["data"]["values"] == [{"target": 0.0}]


def test_the_page_shows_the_frameworks_metadata(client: TestClient) -> None:
    page = client.get("/indicators/SI_COV_BENFTS?lang=en").text
    indicator = load_catalogue().indicator("SI_COV_BENFTS")
    assert indicator.definition.en in page
    assert "Goal 1, target 1.3, indicator 1.3.1" in page
    metadata = re.sub(r"\s+", " ", page.split('id="metadata"')[1].split("</dl>")[0])
    assert "<dt>Global tier (IAEG-SDGs)</dt><dd>I</dd>" in metadata
    assert "<dt>Custodian</dt><dd>ILO</dd>" in metadata
    assert "no UN population" in metadata  # the ASEAN tier needs population weights
    crosswalk = table_rows(page, "crosswalk")
    assert [row[0] for row in crosswalk] == [entry.agency for entry in indicator.crosswalk]
    assert HOSTILE_SOURCE not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt; census" in page


@pytest.mark.parametrize(
    ("language", "ilo", "world_bank"),
    [
        (
            "en",
            "Same definition; ILO fills gaps with modelled estimates for regional aggregates, "
            "Lindung stores country data as submitted.",
            "Survey-based: persons in households where at least one member receives any social "
            "protection or labour program; counts household members of a beneficiary, not only "
            "the beneficiary.",
        ),
        (
            "id",
            "Definisi sama; ILO mengisi kekosongan data dengan estimasi model untuk agregat "
            "regional, sedangkan Lindung menyimpan data negara sebagaimana disampaikan.",
            "Berbasis survei: orang dalam rumah tangga dengan sedikitnya satu anggota yang "
            "menerima program perlindungan sosial atau pasar kerja apa pun; yang dihitung "
            "adalah seluruh anggota rumah tangga penerima manfaat, bukan hanya penerimanya.",
        ),
    ],
)
def test_the_crosswalk_says_how_each_definition_differs_in_the_readers_language(
    client: TestClient, language: str, ilo: str, world_bank: str
) -> None:
    page = client.get(f"/indicators/SI_COV_BENFTS?lang={language}").text
    assert table_rows(page, "crosswalk") == [
        ["ILO", "SDG_0131_SEX_SOC_RT", ilo],
        [{"en": "World Bank", "id": "Bank Dunia"}[language], "per_allsp.cov_pop_tot", world_bank],
    ]
    # The note is in the page's language: nothing in the table is marked as English.
    table = page.split('id="crosswalk"')[1].split("</table>")[0]
    assert 'lang="en"' not in table


def test_the_index_lists_every_indicator_by_pillar_each_linked(client: TestClient) -> None:
    catalogue = load_catalogue()
    page = client.get("/indicators").text
    for indicator in catalogue.indicators:
        assert f'href="/indicators/{indicator.code}"' in page
    headings = re.findall(r'<h2 id="pillar-([a-z_]+)">', page)
    assert headings == [
        p.code for p in catalogue.pillars if any(i.pillar == p.code for i in catalogue.indicators)
    ]
    assert "Cakupan" in client.get("/indicators?lang=id").text
    # SEED: IDN, PHL and VNM have published SI_COV_BENFTS; the draft adds no state.
    row = table_rows(page.replace('<table class="data">', '<table id="coverage">', 1), "coverage")
    benefits = next(cells for cells in row if cells[0] == "SI_COV_BENFTS")
    assert benefits[-1] == "3 / 11"


def test_an_unknown_code_is_404_and_a_bad_breakdown_400_naming_it(client: TestClient) -> None:
    unknown = client.get("/indicators/SI_COV_BENFT")
    assert unknown.status_code == 404 and "SI_COV_BENFTS" in unknown.text
    assert client.get("/indicators/SI_COV_BENFT/data.csv").status_code == 404
    bad = client.get("/indicators/SI_COV_BENFTS?sex=Q")
    assert bad.status_code == 400 and "sex=Q" in bad.text
    other = client.get("/indicators/SI_COV_BENFTS/table.csv?age=Y0T14")
    assert other.status_code == 400 and "not broken down by age" in other.text


def test_the_overview_links_its_indicator_to_the_indicator_page(client: TestClient) -> None:
    page = client.get("/?series=SI_COV_PENSN").text
    assert '<h2><a href="/indicators/SI_COV_PENSN">' in page
    assert '<a href="/indicators">' in page  # the navigation, on every page


def test_the_asean_tier_weighs_the_member_states_with_data_by_population(
    app: FastAPI, engine: Engine
) -> None:
    # Equal populations; SI_COV_PENSN regularly produced (2 points since 2015) in 6 of 11
    # member states: more than half the population, so Tier I (IAEG-SDGs criteria).
    for area in ORDER:
        publish(engine, area, "ASP_POP", [{"time_period": 2020, "value": 1e6, "unit": "persons"}])
    for area in ORDER[:6]:
        publish(
            engine,
            area,
            "SI_COV_PENSN",
            [{"time_period": year, "value": 30.0} for year in (2018, 2020)],
        )
    page = TestClient(app).get("/indicators/SI_COV_PENSN?lang=en").text
    tier = re.sub(r"<[^>]+>|\s+", " ", page.split('id="asean-tier">')[1].split("</dd>")[0])
    assert tier.split()[0] == "I"
    assert "no UN population" not in tier
    # 6 of 11 member states (55 %) holding 6 / 11 of the population (55 %), both >= 50 %;
    # said in Indonesian, not marked English.
    indonesian = TestClient(app).get("/indicators/SI_COV_PENSN?lang=id").text
    said = indonesian.split('id="asean-tier">')[1].split("</dd>")[0]
    assert 'lang="en"' not in said
    assert re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", said)).strip() == (
        "I (metodologi sudah mapan; data dihasilkan secara rutin (2 titik atau lebih) untuk 6 "
        "dari 11 negara anggota (55%) yang mencakup 55% penduduk ASEAN)"
    )


#: UN population (total, women) of 2018 and 2020 for the regional aggregate: IDN, PHL and VNM
#: hold most of it, each other member state 100 000 (50 000 women).
POPULATION = {"IDN": (6e6, 3e6), "PHL": (3e6, 1.5e6), "VNM": (1e6, 0.5e6)}
#: (area, year, sex, value) of SI_COV_BENFTS for the aggregate: VNM alone in 2019, no ASP_POP.
AGGREGATED = [
    ("IDN", 2018, "_T", 40.0),
    ("IDN", 2020, "_T", 50.0),
    ("IDN", 2020, "F", 44.0),
    ("PHL", 2018, "_T", 20.0),
    ("PHL", 2020, "_T", 30.0),
    ("PHL", 2020, "F", 26.0),
    ("VNM", 2019, "_T", 70.0),
    ("VNM", 2020, "_T", 60.0),
]


def seed_weighed(engine: Engine) -> None:
    """Publish ``AGGREGATED`` and the population of every member state in 2018 and 2020."""
    for area in ORDER:
        total, women = POPULATION.get(area, (1e5, 5e4))
        publish(
            engine,
            area,
            "ASP_POP",
            [
                {"time_period": year, "sex": sex, "value": people, "unit": "persons"}
                for year in (2018, 2020)
                for sex, people in (("_T", total), ("F", women))
            ],
        )
    for area in POPULATION:
        publish(
            engine,
            area,
            "SI_COV_BENFTS",
            [
                {"time_period": year, "sex": sex, "value": value}
                for where, year, sex, value in AGGREGATED
                if where == area
            ],
        )


@pytest.fixture
def weighed(app: FastAPI, engine: Engine) -> TestClient:
    """A client of a store seeded by ``seed_weighed``."""
    seed_weighed(engine)
    return TestClient(app)


def regional_rows(page: str) -> list[list[str]]:
    """Return the text of each cell of the values table's regional rows."""
    body = page.split('id="regional-values">')[1].split("</tbody>")[0]
    return [
        [
            re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", cell)).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_the_chart_table_and_csv_add_the_asean_population_weighted_mean(
    weighed: TestClient,
) -> None:
    # By hand: sum(P_i x_i) / sum(P_i) over the member states with a value, in millions.
    # 2018: (6 x 40 + 3 x 20) / 9 = 33.33, share 9 / 10.8 = 83.3 %; 2019: VNM alone (and no
    # population): no aggregate; 2020: (6 x 50 + 3 x 30 + 1 x 60) / 10 = 45, share 92.6 %.
    page = weighed.get("/indicators/SI_COV_BENFTS?lang=en").text
    spec = spec_of(page)
    regional = [
        (p["area"], p["year"], p["value"])
        for p in spec["data"]["values"]  # type: ignore[index]
        if p["line"] == "ASEAN, population-weighted mean"
    ]
    assert [(area, year) for area, year, _ in regional] == [
        ("ASEAN (11 member states)", 2018),
        ("ASEAN (11 member states)", 2020),
    ]
    assert [value for *_, value in regional] == pytest.approx([300 / 9, 45.0])
    line = next(layer for layer in spec["layer"] if layer["mark"]["type"] == "line")  # type: ignore[index,union-attr]
    dash = line["encoding"]["strokeDash"]
    assert dash["title"] == "Line"
    assert dash["scale"]["domain"] == ["Member state", "ASEAN, population-weighted mean"]
    assert "dashed line" in spec["description"]  # type: ignore[operator]
    cells = regional_rows(page)
    assert [c[:3] for c in cells] == [
        ["ASEAN (11 member states)", "2018", "33.3"],
        ["ASEAN (11 member states)", "2020", "45.0"],
    ]
    assert "IDN, PHL" in cells[0][6] and "83.3 %" in cells[0][6]
    assert 'id="no-regional"' not in page
    rows = csv_rows(weighed.get("/indicators/SI_COV_BENFTS/table.csv").text)
    asean = [r for r in rows if r["ref_area"] == "ASEAN"]
    assert [(r["time_period"], round(float(r["value"]), 4)) for r in asean] == [
        ("2018", round(300 / 9, 4)),
        ("2020", 45.0),
    ]
    assert asean[0]["comment"].startswith("population_weighted over IDN, PHL")
    assert {r["unit"] for r in asean} == {"percent"}


def test_the_regional_mean_of_a_breakdown_is_weighted_by_its_own_population_in_indonesian(
    weighed: TestClient,
) -> None:
    # Women, 2020: (3 x 44 + 1.5 x 26) / 4.5 = 38.0, share 4.5 / 5.4 = 83.3 %.
    page = weighed.get("/indicators/SI_COV_BENFTS?sex=F&lang=id").text
    assert [row[:3] for row in regional_rows(page)] == [
        ["ASEAN (11 negara anggota)", "2020", "38,0"]
    ]
    assert "83,3 %" in regional_rows(page)[0][6]
    line = next(layer for layer in spec_of(page)["layer"] if layer["mark"]["type"] == "line")  # type: ignore[index,union-attr]
    labels = line["encoding"]["strokeDash"]["scale"]["domain"]
    assert (
        labels[0] == "Negara anggota"
        and "ASEAN" in labels[1]
        and labels[1] != "ASEAN, population-weighted mean"
    )


def test_without_population_there_is_no_regional_line_and_the_page_says_why(
    client: TestClient,
) -> None:
    page = client.get("/indicators/SI_COV_BENFTS?lang=en").text
    assert 'id="no-regional"' in page and 'id="regional-values"' not in page
    line = next(layer for layer in spec_of(page)["layer"] if layer["mark"]["type"] == "line")  # type: ignore[index,union-attr]
    assert "strokeDash" not in line["encoding"]
    rows = csv_rows(client.get("/indicators/SI_COV_BENFTS/table.csv").text)
    assert all(r["ref_area"] != "ASEAN" for r in rows)
