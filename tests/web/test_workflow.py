"""The submission workflow in the browser: upload, findings at their cells, review, history.

Every check is the importer's (``lindung.ingest``): the findings shown are those that
``check_file`` reports for the same file, which is the oracle of what the page must list.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine
from starlette.testclient import TestClient

from lindung.ingest import check_file, make_template
from lindung.store import get_submission, list_submissions, transaction

from .clients import csrf_of
from .samples import fill_workbook, sample_csv, shifted

Browser = Callable[[str], TestClient]
BAD = {"_T": 40.0, "F": 138.0, "M": 42.0}


def upload(client: TestClient, name: str, content: bytes, path: str = "/submissions") -> object:
    return client.post(
        path,
        data={"csrf_token": csrf_of(client)},
        files={"file": (name, content, "application/octet-stream")},
        follow_redirects=False,
    )


def step(client: TestClient, submission_id: int, action: str, note: str = "") -> int:
    response = client.post(
        f"/submissions/{submission_id}/{action}",
        data={"csrf_token": csrf_of(client), "note": note},
        follow_redirects=False,
    )
    return response.status_code


def stored(engine: Engine) -> list[int]:
    with transaction(engine) as connection:
        return [row["id"] for row in list_submissions(connection)]


@pytest.fixture
def workbook(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "PHL_2022.xlsx"
    make_template(path, country="PHL", year=2022, indicators=["SI_COV_BENFTS"])
    return path


def test_a_focal_point_sees_each_finding_at_its_cell_then_uploads_the_fix_and_submits(
    browser_as: Browser, engine: Engine, workbook: Path, tmp_path: Path
) -> None:
    client = browser_as("focal_point")
    bad = tmp_path / "PHL_2022.xlsx"
    cells = fill_workbook(workbook, bad, BAD)
    expected = check_file(bad).errors
    assert expected, "the oracle must find the out-of-range percentage"

    refused = client.post(
        "/submissions?lang=id",
        data={"csrf_token": csrf_of(client)},
        files={"file": (bad.name, bad.read_bytes(), "application/octet-stream")},
    )
    assert refused.status_code == 422
    for finding in expected:
        assert finding.location.describe() in refused.text
        assert finding.fix("id") in refused.text
    assert cells["F"] in refused.text
    assert stored(engine) == []

    good = tmp_path / "corrected" / "PHL_2022.xlsx"
    good.parent.mkdir()
    fill_workbook(workbook, good, {"_T": 40.0, "F": 38.0, "M": 42.0})
    created = upload(client, good.name, good.read_bytes())
    assert created.status_code == 303
    submission_id = int(created.headers["location"].rsplit("/", 1)[1])
    page = client.get(f"/submissions/{submission_id}").text
    assert "draft" in page and "/submit" in page and "/publish" not in page

    assert step(client, submission_id, "submit") == 303
    with transaction(engine) as connection:
        assert get_submission(connection, submission_id)["status"] == "submitted"


def test_the_secretariat_validates_another_publishes_and_the_public_then_sees_it(
    browser_as: Browser, engine: Engine, seeded: dict[str, int]
) -> None:
    secretariat, admin, public = (browser_as(r) for r in ("secretariat", "admin", "anonymous"))
    submission_id = seeded["submitted_page"]
    assert f"/submissions/{submission_id}" in secretariat.get("/submissions?status=submitted").text
    assert f"/submissions/{submission_id}" not in public.get("/submissions").text
    assert public.get(f"/submissions/{submission_id}").status_code == 401

    assert step(secretariat, submission_id, "validate") == 303
    refused = secretariat.post(
        f"/submissions/{submission_id}/publish", data={"csrf_token": csrf_of(secretariat)}
    )
    assert refused.status_code == 403 and "four eyes" in refused.text
    assert step(admin, submission_id, "publish", note="checked against PSA tables") == 303

    page = public.get(f"/submissions/{submission_id}").text
    assert "published" in page and "checked against PSA tables" in page
    # The public sees who acted by role, never their e-mail addresses.
    assert "@example.org" not in page
    assert "the ASEAN Secretariat" in page and "an administrator" in page


@pytest.mark.parametrize(
    ("role", "sees_people"),
    [
        ("anonymous", False),
        ("partner", False),
        ("other_focal_point", False),
        ("focal_point", True),
        ("secretariat", True),
        ("admin", True),
    ],
)
def test_only_those_who_may_see_a_countrys_drafts_see_the_people_behind_its_submissions(
    browser_as: Browser, seeded: dict[str, int], role: str, sees_people: bool
) -> None:
    submission_id = seeded["validated_page"]
    assert step(browser_as("secretariat"), submission_id, "publish") == 303
    client = browser_as(role)
    page = client.get(f"/submissions/{submission_id}").text
    answer = client.get(f"/api/v1/submissions/{submission_id}").json()
    listed = client.get("/api/v1/submissions").json()
    # The PHL focal point imported and submitted it, the admin validated it (the seed), the
    # secretariat published it.
    people = ("focal-point@example.org", "admin@example.org", "secretariat@example.org")
    for email in people:
        # Not within the signed-in user's own address ("other-focal-point@...") in the header.
        named = re.search(rf"(?<![\w.-]){re.escape(email)}", page) is not None
        assert named is sees_people, (role, email)
        history = [entry["actor"] for entry in answer["history"]]
        assert (email in history) is sees_people, (role, history)
    sources = [row["source"] for row in listed] + [answer["source"]]
    assert any("@example.org" in source for source in sources) is sees_people, sources
    if not sees_people:
        assert "a focal point (PHL)" in page and "an administrator" in page
        assert "the ASEAN Secretariat" in page
        said = client.get(f"/submissions/{submission_id}?lang=id").text
        assert "seorang focal point (PHL)" in said and "seorang administrator" in said


def test_a_new_version_is_shown_beside_the_published_values_with_the_differences(
    browser_as: Browser, engine: Engine, seeded: dict[str, int]
) -> None:
    assert step(browser_as("secretariat"), seeded["validated_page"], "publish") == 303
    focal = browser_as("focal_point")
    created = upload(focal, "PHL_2022_v2.csv", sample_csv(coverage={**shifted(0.7), "F": 40.0}))
    new_id = int(created.headers["location"].rsplit("/", 1)[1])

    page = browser_as("secretariat").get(f"/submissions/{new_id}").text
    rows = re.findall(r'<tr class="change-(\w+)">', page)
    # Published (seed 7): 40.7, 38.7, 42.7; the new version keeps _T and M, moves F to 40.
    assert sorted(rows) == ["changed", "same", "same"]
    assert "<mark>+1.3</mark>" in page
    # In Indonesian: the breakdown, the unit, the numbers and the audit trail in its words.
    said = browser_as("secretariat").get(f"/submissions/{new_id}?lang=id").text
    assert "<mark>+1,3</mark>" in said
    assert "<td>Jenis kelamin: Perempuan</td>" in said
    assert re.search(r'<td class="number">40 persen</td>\s*<td class="number">38,7</td>', said)
    assert "<td>diimpor</td>" in said
    # Who is signed in, with the role in the page's language.
    assert "(secretariat)</span>" in page and "(sekretariat)</span>" in said
    assert f'href="/submissions/{seeded["validated_page"]}"' in page  # the versions list


def test_a_returned_note_is_shown_escaped_in_the_audit_trail(
    browser_as: Browser, seeded: dict[str, int]
) -> None:
    secretariat = browser_as("secretariat")
    submission_id = seeded["to_return_page"]
    assert step(secretariat, submission_id, "return", note="<script>alert(1)</script>") == 303
    page = browser_as("focal_point").get(f"/submissions/{submission_id}").text
    assert "<script>alert(1)" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert step(secretariat, submission_id, "return", note="again") == 409


def test_returning_without_a_note_is_refused_and_changes_nothing(
    browser_as: Browser, engine: Engine, seeded: dict[str, int]
) -> None:
    assert step(browser_as("secretariat"), seeded["to_return_page"], "return") == 409
    with transaction(engine) as connection:
        assert get_submission(connection, seeded["to_return_page"])["status"] == "submitted"


def test_drafts_are_listed_only_for_their_country_and_the_secretariat(
    browser_as: Browser, seeded: dict[str, int]
) -> None:
    link = f'href="/submissions/{seeded["draft"]}"'
    assert link in browser_as("focal_point").get("/submissions").text
    assert link in browser_as("secretariat").get("/submissions").text
    for role in ("other_focal_point", "partner", "anonymous"):
        assert link not in browser_as(role).get("/submissions").text
    assert browser_as("other_focal_point").get(f"/submissions/{seeded['draft']}").status_code == 403


@pytest.mark.parametrize(
    ("name", "content", "status", "words"),
    [
        ("PHL_2022.txt", b"series,value\n", 400, "not a template file"),
        ("PHL_2022.xlsx", b"series,ref_area\n", 400, "not an Excel workbook"),
        ("PHL_2022.csv", b"PK\x03\x04 a workbook renamed", 400, "not a text CSV"),
        ("PHL_2022.csv", b"x" * 3000, 413, "more than the limit"),
    ],
)
def test_a_file_of_the_wrong_type_or_size_is_refused_before_it_is_parsed(
    browser_as: Browser,
    engine: Engine,
    monkeypatch: pytest.MonkeyPatch,
    name: str,
    content: bytes,
    status: int,
    words: str,
) -> None:
    monkeypatch.setenv("LINDUNG_IMPORT_MAX_FILE_BYTES", "2000")
    response = upload(browser_as("focal_point"), name, content)
    assert response.status_code == status
    assert words in response.text
    assert stored(engine) == []


def test_the_template_download_is_the_countrys_workbook_in_the_pages_language(
    browser_as: Browser, tmp_path: Path
) -> None:
    response = browser_as("focal_point").get("/submissions/template?country=phl&year=2023&lang=id")
    assert response.status_code == 200
    assert 'filename="PHL_2023.xlsx"' in response.headers["content-disposition"]
    path = tmp_path / "PHL_2023.xlsx"
    path.write_bytes(response.content)
    report = check_file(path)
    assert (report.country, report.year) == ("PHL", 2023)
    assert "Petunjuk" in load_workbook(path).sheetnames


def test_the_api_answers_a_file_with_errors_422_with_every_finding(
    browser_as: Browser, engine: Engine
) -> None:
    client = browser_as("focal_point")
    response = upload(client, "bad.csv", sample_csv(coverage=BAD), "/api/v1/submissions?lang=id")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "validation-failed"
    where = {(f["row"], f["column"]) for f in error["findings"]}
    assert (3, "value") in where
    assert any("persentase" in f["fix"] for f in error["findings"])
    assert stored(engine) == []


def test_the_api_takes_a_submission_through_review_and_refuses_a_stale_step(
    browser_as: Browser, seeded: dict[str, int]
) -> None:
    focal, secretariat = browser_as("focal_point"), browser_as("secretariat")
    checked = upload(focal, "ok.csv", sample_csv(coverage=shifted(3)), "/api/v1/submissions/check")
    assert checked.status_code == 200 and checked.json()["errors"] == 0
    created = upload(focal, "ok.csv", sample_csv(coverage=shifted(3)), "/api/v1/submissions")
    assert created.status_code == 201
    submission_id = created.json()["submission"]["id"]
    again = upload(focal, "ok.csv", sample_csv(coverage=shifted(3)), "/api/v1/submissions")
    assert again.status_code == 200 and again.json()["created"] is False

    def api_step(client: TestClient, action: str) -> tuple[int, dict[str, object]]:
        answer = client.post(
            f"/api/v1/submissions/{submission_id}/{action}", data={"csrf_token": csrf_of(client)}
        )
        return answer.status_code, answer.json()

    assert api_step(focal, "submit")[0] == 200
    assert api_step(secretariat, "validate")[1]["status"] == "validated"
    status, body = api_step(secretariat, "validate")
    assert status == 409 and body["error"]["code"] == "submission-state"  # type: ignore[index]
    shown = focal.get(f"/api/v1/submissions/{submission_id}").json()
    assert [entry["action"] for entry in shown["history"]][-2:] == [
        "status:submitted",
        "status:validated",
    ]
    assert shown["actions"] == []
    assert browser_as("secretariat").get(f"/api/v1/submissions/{submission_id}").json()[
        "actions"
    ] == ["publish"]
