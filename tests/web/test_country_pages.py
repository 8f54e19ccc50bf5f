"""The member states' pages: every indicator's latest published value with its year, sparkline
and progress status, the vulnerable-groups matrix, national beside international figures, and
the submissions the visitor may see; and ``/api/v1/countries/{iso3}``.

Oracle: what ``seed_country`` stores for PHL, by hand. SI_COV_BENFTS published 30.0 (2019) and
40.0 (2022) in total, 28.0 and 38.0 for women; a draft of 2023 (77.7) never shows. Open SDG
without a target, the limit 100 of a percentage: CAGR (40/30)^(1/3) - 1 = 10.06 % a year,
above the threshold 1.5 % x C, C = 1 - 0.3^4.44 = 0.995: substantial progress. The ILO figure
for 2022 is 33.0: the difference 7.0 is beyond the 5 points allowed for a percentage.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from lindung.assess.selection import CONTEXT_SERIES
from lindung.framework import load_catalogue
from lindung.store import create_submission, insert_observations, set_status, transaction

from .clients import ROLES

HOSTILE_FILE = '<script>alert("file")</script>.csv'
HOSTILE_NOTE = '<script>alert("note")</script> revised totals'
#: Published national coverage by year and sex, and the draft of a later year.
PUBLISHED = {2019: {"_T": 30.0, "F": 28.0, "M": 32.0}, 2022: {"_T": 40.0, "F": 38.0, "M": 42.0}}
DRAFT = {"_T": 77.7, "F": 75.5, "M": 79.9}
INTERNATIONAL_2022 = 33.0
REVIEW_STEPS = (("draft", "submitted"), ("submitted", "validated"), ("validated", "published"))
#: A reference amount in local currency, to see the thousands separator.
SPENDING = 1234567.891


def open_sdg_trend_status(base: float, current: float, years: int) -> str:
    """Open SDG without a target for a percentage (limit 100), higher is better, by hand."""
    growth = (current / base) ** (1 / years) - 1
    scale = 1 - (base / 100) ** 4.44
    if growth >= 0.015 * scale:
        return "substantial_progress"
    if growth >= 0.005 * scale:
        return "moderate_progress"
    return "limited_progress" if growth >= 0 else "deterioration"


def store_submission(
    engine: Engine,
    kind: str,
    rows: list[dict[str, object]],
    *,
    year: int | None = None,
    published: bool = True,
    file_name: str | None = None,
    note: str | None = None,
) -> int:
    """Store PHL ``rows`` as one submission of ``kind``, published through the review steps
    unless ``published`` is False (a reference submission is born published); return its id."""
    with transaction(engine) as connection:
        submission_id = create_submission(
            connection,
            kind=kind,
            ref_area="PHL",
            time_period=year,
            source="PSA" if kind != "reference" else "ILO World Social Protection Database",
            framework_version="1.0.0",
            actor="tests",
            status="published" if kind == "reference" else "draft",
            file_name=file_name,
            note=note,
        )
        insert_observations(
            connection,
            submission_id,
            [{"ref_area": "PHL", "source": "PSA household survey", **row} for row in rows],
            framework_version="1.0.0",
        )
        if published and kind != "reference":
            for before, after in REVIEW_STEPS:
                set_status(connection, submission_id, after, expected=before, actor="tests")
    return submission_id


def coverage_rows(year: int, by_sex: dict[str, float]) -> list[dict[str, object]]:
    return [
        {
            "series": "SI_COV_BENFTS",
            "time_period": year,
            "sex": sex,
            "value": value,
            "unit": "percent",
        }
        for sex, value in by_sex.items()
    ]


def seed_country(engine: Engine) -> dict[str, int]:
    """Store PHL's international figures, then its national values of 2019 and 2022, a
    draft of 2023, and a published submission whose file name and note hold markup (published
    after the international figures, the national values are the current ones of their keys).
    Return the ids of the draft and of the hostile submission."""
    store_submission(
        engine,
        "reference",
        [
            *coverage_rows(2022, {"_T": INTERNATIONAL_2022}),
            {
                "series": "ASP_SPEXP_PER_BENEF",
                "time_period": 2021,
                "value": SPENDING,
                "unit": "LCU",
            },
        ],
    )
    for year, by_sex in PUBLISHED.items():
        store_submission(engine, "template", coverage_rows(year, by_sex), year=year)
    draft = store_submission(
        engine, "template", coverage_rows(2023, DRAFT), year=2023, published=False
    )
    hostile = store_submission(
        engine, "template", [], year=2020, file_name=HOSTILE_FILE, note=HOSTILE_NOTE
    )
    return {"draft": draft, "hostile": hostile}


@pytest.fixture
def country(engine: Engine) -> dict[str, int]:
    """Return the ids of ``seed_country``."""
    return seed_country(engine)


def text_of(html: str) -> str:
    """Return the words of an HTML fragment, tags removed and spaces collapsed."""
    spaced = re.sub(r"<(br|/li)[^>]*>", " ", html)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", spaced)).strip()


def table_rows(page: str, table_id: str) -> dict[str, list[str]]:
    """Return the body rows of the table ``table_id`` by the text of their header cell."""
    match = re.search(rf'<table class="[^"]*" id="{table_id}">(.*?)</table>', page, re.S)
    assert match, table_id
    body = match.group(1).split("<tbody>")[1]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", body, re.S):
        cells = [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        rows[cells[0]] = cells[1:]
    return rows


def spec_of(page: str, element: str) -> dict[str, object]:
    match = re.search(rf'<script type="application/json" id="{element}">(.*?)</script>', page, re.S)
    assert match, element
    found: dict[str, object] = json.loads(match.group(1))
    return found


@pytest.mark.parametrize(
    ("language", "coverage", "spending", "status"),
    [
        (
            "en",
            ["40.0", "per cent"],
            ["1,234,567.9", "local currency units"],
            "Substantial progress",
        ),
        (
            "id",
            ["40,0", "persen"],
            ["1.234.567,9", "satuan mata uang lokal"],
            "Kemajuan substansial",
        ),
    ],
)
def test_each_indicator_shows_its_latest_published_value_year_and_progress(
    app: FastAPI,
    country: dict[str, int],
    language: str,
    coverage: list[str],
    spending: list[str],
    status: str,
) -> None:
    assert open_sdg_trend_status(30.0, 40.0, 2022 - 2019) == "substantial_progress"
    page = TestClient(app).get(f"/countries/PHL?lang={language}")
    assert page.status_code == 200
    rows = {
        name.split(":")[0].strip(): cells
        for name, cells in table_rows(page.text, "indicators").items()
    }
    # Pillar, value, unit, year, (sparkline), progress and its method.
    benefits = rows["SI_COV_BENFTS"]
    assert benefits[1:4] == [*coverage, "2022"]
    assert benefits[5].startswith(status) and "Open SDG" in benefits[5]
    assert rows["ASP_SPEXP_PER_BENEF"][1:4] == [*spending, "2021"]
    # Every indicator of the framework has its row, with or without data.
    framework = [i.code for i in load_catalogue().indicators if i.code not in CONTEXT_SERIES]
    assert list(rows) == framework
    assert rows["SI_COV_CHLD"][1] in ("no data", "tidak ada data")


def test_a_draft_value_is_shown_to_nobody_and_a_draft_submission_only_to_who_may_see_it(
    browser_as: Callable[[str], TestClient], country: dict[str, int]
) -> None:
    for role in ROLES:
        page = browser_as(role).get("/countries/PHL?lang=en").text
        assert "77.7" not in page and "2023" not in page.split('id="submissions"')[0], role
        listed = f'href="/submissions/{country["draft"]}"' in page
        assert listed == (role in ("focal_point", "secretariat", "admin")), role
        assert f'href="/submissions/{country["hostile"]}"' in page, role


def test_the_sparkline_and_its_table_hold_every_published_year(
    app: FastAPI, country: dict[str, int]
) -> None:
    page = TestClient(app).get("/countries/PHL?lang=id").text
    spec = spec_of(page, "spark-SI_COV_BENFTS")
    values = spec["data"]["values"]  # type: ignore[index]
    assert [(point["year"], point["value"]) for point in values] == [(2019, 30.0), (2022, 40.0)]
    assert spec["config"]["locale"]["number"]["decimal"] == ","  # type: ignore[index]
    assert "2019: 30,0; 2022: 40,0" in str(spec["description"])
    by_year = table_rows(page, "values-by-year")
    header = re.search(r'id="values-by-year">.*?<thead>(.*?)</thead>', page, re.S)
    assert header and re.findall(r"<th scope=\"col\">(\d{4})</th>", header.group(1)) == [
        "2019",
        "2021",
        "2022",
    ]
    assert by_year["SI_COV_BENFTS"] == ["30,0", "", "40,0"]
    assert by_year["ASP_SPEXP_PER_BENEF"] == ["", "1.234.567,9", ""]


def test_the_matrix_shows_the_whole_population_and_women(
    app: FastAPI, country: dict[str, int]
) -> None:
    page = TestClient(app).get("/countries/PHL?lang=en").text
    rows = table_rows(page, "matrix")
    income = 0  # the first life dimension: income security
    assert "SI_COV_BENFTS: 40.0 (2022) Substantial progress" in rows["Whole population"][income]
    assert open_sdg_trend_status(28.0, 38.0, 3) == "substantial_progress"
    assert "SI_COV_BENFTS (women): 38.0 (2022) Substantial progress" in rows["Women"][income]
    indonesian = table_rows(TestClient(app).get("/countries/PHL?lang=id").text, "matrix")
    assert "SI_COV_BENFTS (perempuan): 38,0 (2022)" in indonesian["Perempuan"][income]


def test_national_and_international_figures_are_compared(
    app: FastAPI, country: dict[str, int]
) -> None:
    page = TestClient(app).get("/countries/PHL?lang=en").text
    rows = table_rows(page, "consistency")
    difference = PUBLISHED[2022]["_T"] - INTERNATIONAL_2022
    assert rows == {
        "SI_COV_BENFTS": [
            "2022",
            "40.0",
            "33.0",
            "UN SDG database (ILO)",
            f"{difference:.1f}",
            "5.0",
            "no: beyond the tolerance",
        ]
    }


def test_a_submissions_file_name_and_note_show_as_text(
    app: FastAPI, country: dict[str, int]
) -> None:
    page = TestClient(app).get("/countries/PHL").text
    assert "<script>alert" not in page
    assert "&lt;script&gt;alert(&#34;file&#34;)&lt;/script&gt;.csv" in page
    assert "&lt;script&gt;alert(&#34;note&#34;)&lt;/script&gt; revised totals" in page


@pytest.mark.parametrize("address", ["/countries/XYZ", "/countries/ASEAN", "/api/v1/countries/XYZ"])
def test_an_unknown_country_is_not_found(app: FastAPI, address: str) -> None:
    response = TestClient(app).get(address)
    assert response.status_code == 404
    assert "unknown-code" in response.text


def test_the_list_links_each_member_state_and_the_overview_links_its_names(
    app: FastAPI,
) -> None:
    client = TestClient(app)
    listing = client.get("/countries?lang=id").text
    links = re.findall(r'<a href="/countries/([A-Z]{3})">([^<]+)</a>', listing)
    assert len(links) == 11 and ("PHL", "Filipina") in links
    assert '<a href="/countries">Negara</a>' in listing  # the navigation
    overview = client.get("/?lang=en").text
    assert '<a href="/countries/VNM">Viet Nam</a>' in overview


def test_the_api_gives_the_country_and_its_latest_values(
    app: FastAPI, country: dict[str, int]
) -> None:
    answer = TestClient(app).get("/api/v1/countries/phl")
    assert answer.status_code == 200 and answer.headers["etag"]
    body = answer.json()
    assert (body["iso3"], body["m49"], body["name"]["id"]) == ("PHL", 608, "Filipina")
    latest = {row["series"]: row for row in body["latest"]}
    benefits = latest["SI_COV_BENFTS"]
    assert (benefits["time_period"], benefits["value"], benefits["points"]) == (2022, 40.0, 2)
    assert benefits["progress"]["status"] == open_sdg_trend_status(30.0, 40.0, 3)
    assert benefits["progress"]["method"] == "opensdg"
    assert latest["SI_COV_CHLD"]["value"] is None and latest["SI_COV_CHLD"]["progress"] is None


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            "2 of {n} indicators with data (latest 2022); 1 on track or achieved; "
            "1 without a progress assessment",
        ),
        (
            "id",
            "2 dari {n} indikator memiliki data (terbaru 2022); 1 sesuai jalur atau tercapai; "
            "1 tanpa penilaian kemajuan",
        ),
    ],
)
def test_each_matrix_cell_says_where_protection_stands_in_the_readers_language(
    app: FastAPI, country: dict[str, int], language: str, words: str
) -> None:
    # The whole population's income security: the framework's indicators without a group in
    # that life dimension; PHL has SI_COV_BENFTS (substantial progress, see above) and the
    # spending per beneficiary (local currency, neutral: not assessed).
    listed = [
        i
        for i in load_catalogue().indicators
        if not i.groups and i.life_dimension == "income_security" and i.code not in CONTEXT_SERIES
    ]
    page = TestClient(app).get(f"/countries/PHL?lang={language}").text
    summaries = re.findall(r'<p class="summary"([^>]*)>(.*?)</p>', page)
    attributes, first = summaries[0]
    assert first == words.format(n=len(listed))
    assert 'lang="en"' not in attributes  # translated, not English marked as such


#: The progress of SI_COV_BENFTS in PHL (above): 30.0 (2019) to 40.0 (2022) without a target,
#: growth (40/30)^(1/3) - 1 = 10.06 % a year, the thresholds scaled by C = 1 - 0.3^4.44 = 0.995.
GROWTH = (40.0 / 30.0) ** (1 / 3) - 1
SCALE = 1 - 0.3**4.44
REASON_ID = (
    "pertumbuhan 10,06% per tahun sejak 2019 (majemuk; tanpa target); ambang batas "
    "diskalakan dengan C = 0,995 untuk batas 100"
)
REASON_EN = (
    "growth of 10.06% a year since 2019 (compound; no target); thresholds scaled by "
    "C = 0.995 for the limit 100"
)


def test_the_api_gives_the_progress_reason_as_a_code_and_in_the_language_asked(
    app: FastAPI, country: dict[str, int]
) -> None:
    client = TestClient(app)
    english = client.get("/api/v1/countries/PHL")
    progress = {row["series"]: row for row in english.json()["latest"]}["SI_COV_BENFTS"]["progress"]
    assert progress["reason_code"] == "trend_near_limit"
    args = progress["reason_args"]
    assert (args["base_year"], args["limit"]) == (2019, 100.0)
    assert abs(args["cagr"] - GROWTH) < 1e-12 and abs(args["coefficient"] - SCALE) < 1e-12
    # English: the assessment's own sentence, as `lindung assess progress` prints it.
    assert progress["reason"].startswith("CAGR 10.06") and "C = 0.995" in progress["reason"]
    for asked in ({"params": {"lang": "id"}}, {"headers": {"Accept-Language": "id-ID,id;q=0.9"}}):
        answer = client.get("/api/v1/countries/PHL", **asked)  # type: ignore[arg-type]
        said = {row["series"]: row for row in answer.json()["latest"]}["SI_COV_BENFTS"]
        assert said["progress"]["reason"] == REASON_ID
        assert said["progress"]["reason_code"] == "trend_near_limit"
        assert said["progress"]["reason_args"] == args
        # A shared cache keeps the languages apart.
        assert "Accept-Language" in answer.headers["vary"]


@pytest.mark.parametrize(
    ("language", "method", "reason"),
    [("en", "Open SDG method", REASON_EN), ("id", "metode Open SDG", REASON_ID)],
)
def test_the_progress_column_explains_each_status_by_its_method_and_reason(
    app: FastAPI, country: dict[str, int], language: str, method: str, reason: str
) -> None:
    page = TestClient(app).get(f"/countries/PHL?lang={language}").text
    row = page[page.index('<tr id="indicator-SI_COV_BENFTS">') :]
    cell = row[: row.index("</tr>")].rsplit("<td>", 1)[1]
    status = "Substantial progress" if language == "en" else "Kemajuan substansial"
    # The status in words (not its colour alone), the method named and why, in the language.
    assert f'<span class="status status-substantial_progress">{status}</span>' in cell
    assert f'<small>{method}: <span class="reason">{reason}</span></small>' in cell
