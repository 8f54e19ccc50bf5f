"""The survey-run pages show published runs only: their design, and each estimate with its
standard error and 95 % confidence interval in the reader's number format.

Oracle: the estimates seeded by ``samples.seed_survey_runs`` (20.0, SE 1.5, CI 17.06 to
22.94; by sex F 1234.5, SE 0.25, CI 1234.01 to 1234.99), written by hand in each language.
"""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine
from starlette.testclient import TestClient

from .clients import ROLES
from .samples import HOSTILE_SURVEY, MICRODATA_PATH


def cells(page: str) -> list[list[str]]:
    """Return the text of each body row of the estimates table."""
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        (
            "en",
            [
                ["SI_COV_SOCAST", "total", "20.0", "per cent", "1.50", "17.1", "22.9"],
                [
                    "SI_COV_SOCAST",
                    "Sex: Female",
                    "1,234.5",
                    "per cent",
                    "0.25",
                    "1,234.0",
                    "1,235.0",
                ],
            ],
        ),
        (
            "id",
            [
                # The breakdown and the unit in the page's language, the numbers in its format.
                ["SI_COV_SOCAST", "total", "20,0", "persen", "1,50", "17,1", "22,9"],
                [
                    "SI_COV_SOCAST",
                    "Jenis kelamin: Perempuan",
                    "1.234,5",
                    "persen",
                    "0,25",
                    "1.234,0",
                    "1.235,0",
                ],
            ],
        ),
    ],
)
def test_a_published_run_shows_its_design_and_estimates_with_se_and_ci(
    app: FastAPI, seeded: dict[str, int], language: str, expected: list[list[str]]
) -> None:
    page = TestClient(app).get(f"/survey-runs/{seeded['survey_run']}?lang={language}")
    assert page.status_code == 200
    assert sorted(cells(page.text), key=lambda row: row[1] != "total") == expected
    # Each design field named in the page's language, its column as the spec gives it.
    strata, psu, weight = {
        "en": ("Strata column", "Primary sampling unit (PSU) column", "Weight column"),
        "id": ("Kolom strata", "Kolom unit sampling primer (PSU)", "Kolom bobot"),
    }[language]
    assert f"<dt>{strata}</dt><dd><code>w_prv</code></dd>" in page.text
    assert f"<dt>{psu}</dt><dd><code>w_ea</code></dd>" in page.text
    assert f"<dt>{weight}</dt><dd><code>w</code></dd>" in page.text
    assert "a" * 64 in page.text


def test_the_list_shows_published_runs_only_and_links_each(
    app: FastAPI, seeded: dict[str, int]
) -> None:
    page = TestClient(app).get("/survey-runs").text
    assert f'href="/survey-runs/{seeded["survey_run"]}"' in page
    assert f'href="/survey-runs/{seeded["draft_survey_run"]}"' not in page
    assert 'href="/survey-runs"' in page  # the navigation link, on every page


def test_the_pages_escape_the_survey_name_and_never_show_the_microdata_path(
    app: FastAPI, seeded: dict[str, int]
) -> None:
    client = TestClient(app)
    for address in ("/survey-runs", f"/survey-runs/{seeded['survey_run']}"):
        page = client.get(address).text
        assert HOSTILE_SURVEY not in page
        assert "&lt;script&gt;alert(&#34;survey&#34;)&lt;/script&gt; FIES" in page
        assert MICRODATA_PATH not in page


@pytest.mark.parametrize("role", ROLES)
def test_an_unpublished_or_unknown_run_is_not_found_for_every_role(
    browser_as: Callable[[str], TestClient], seeded: dict[str, int], role: str
) -> None:
    client = browser_as(role)
    assert client.get(f"/survey-runs/{seeded['draft_survey_run']}").status_code == 404
    assert client.get("/survey-runs/99999").status_code == 404
    assert client.get(f"/survey-runs/{seeded['survey_run']}").status_code == 200


def test_the_pages_are_in_indonesian(app: FastAPI, seeded: dict[str, int], engine: Engine) -> None:
    client = TestClient(app)
    listing = client.get("/survey-runs?lang=id").text
    run = client.get(f"/survey-runs/{seeded['survey_run']}?lang=id").text
    assert "Estimasi survei yang diterbitkan" in listing and "Survey runs" not in listing
    assert "Galat baku" in run and "Standard error" not in run
