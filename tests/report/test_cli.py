"""``lindung report`` as a user runs it: files written where asked, in the language asked, a
store's user text escaped, and each refusal one line with its exit status. The store here holds
one published national value (fast); tests/report/test_reports.py renders the full reference
data as PDF."""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from lindung.framework import load_catalogue
from lindung.ingest import import_file
from lindung.ingest.accounts import register_user
from lindung.ingest.layout import CSV_COLUMNS
from lindung.store import make_engine, transaction, upgrade

from ..conftest import Outcome, publish_through_review

SOURCE = 'Survei <script>alert("x")</script>'


@pytest.fixture
def store(lindung: Callable[..., Outcome], database_url: str, tmp_path: Path) -> None:
    """A migrated store with Viet Nam's coverage of 2021 (41.5 %) published."""
    engine = make_engine(database_url)
    upgrade(engine)
    with transaction(engine) as connection:
        admin = register_user(
            connection, email="admin@example.org", role="admin", password="a-long-password"
        )
        register_user(
            connection,
            email="focal.vnm@example.org",
            role="focal_point",
            password="a-long-password",
            country="VNM",
            by=admin,
        )
    path = tmp_path / "VNM_2021.csv"
    row = dict.fromkeys(CSV_COLUMNS, "_T")
    row.update(
        series="SI_COV_BENFTS",
        ref_area="VNM",
        time_period="2021",
        unit="percent",
        value="41.5",
        nature="C",
        source=SOURCE,
        note="",
    )
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerow(row)
    imported = import_file(engine, path, actor="focal.vnm@example.org")
    with transaction(engine) as connection:
        publish_through_review(connection, imported.submission["id"])
    engine.dispose()


def test_a_country_profile_in_indonesian_is_written_as_html(
    lindung: Callable[..., Outcome], store: None, tmp_path: Path
) -> None:
    out = tmp_path / "vnm.html"
    outcome = lindung(
        "report", "country", "vnm", "--year", "2022", "--lang", "id", "--out", str(out)
    )
    assert outcome.exit_code == 0, outcome.stderr
    html = out.read_text(encoding="utf-8")
    assert '<html lang="id">' in html
    assert "Vietnam: profil perlindungan sosial 2022" in html
    assert "41,5" in html  # the value, with Indonesia's decimal comma
    assert "Survei &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in html
    assert "<script>" not in html


def test_the_regional_report_counts_the_one_country_with_data(
    lindung: Callable[..., Outcome], store: None, tmp_path: Path
) -> None:
    out = tmp_path / "asean.html"
    outcome = lindung("report", "regional", "--year", "2022", "--out", str(out))
    assert outcome.exit_code == 0, outcome.stderr
    html = out.read_text(encoding="utf-8")
    assert "1 of the 11 member states have published values" in html
    assert "ASEAN Social Protection Monitoring Report 2022" in html
    again = lindung("report", "regional", "--year", "2022", "--out", str(out))
    assert again.exit_code == 2
    assert "--force" in again.stderr


def test_every_profile_is_written_to_the_folder(
    lindung: Callable[..., Outcome], store: None, tmp_path: Path
) -> None:
    folder = tmp_path / "profiles"
    outcome = lindung(
        "report", "countries", "--year", "2022", "--out", str(folder), "--format", "html"
    )
    assert outcome.exit_code == 0, outcome.stderr
    states = [state.iso3 for state in load_catalogue().member_states]
    assert sorted(p.name for p in folder.iterdir()) == sorted(f"{c}_2022_en.html" for c in states)
    assert "Wrote 11 country profiles" in outcome.stdout


@pytest.mark.parametrize(
    ("args", "status", "words"),
    [
        (("country", "XYZ", "--year", "2022", "--out", "x.pdf"), 4, "XYZ"),
        (("regional", "--year", "2022", "--out", "x.docx"), 2, ".pdf or .html"),
        (("regional", "--year", "2022", "--lang", "fr", "--out", "x.pdf"), 2, "en, id"),
        (("countries", "--year", "2022", "--out", "d", "--format", "doc"), 2, "pdf or html"),
    ],
)
def test_a_wrong_request_is_refused_in_one_line(
    cli: Callable[..., Outcome],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    args: tuple[str, ...],
    status: int,
    words: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    outcome = cli("report", *args)
    assert outcome.exit_code == status
    assert words in outcome.stderr
    assert list(tmp_path.iterdir()) == []
