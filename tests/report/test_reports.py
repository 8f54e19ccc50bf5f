"""The regional monitoring report and a country profile, rendered as PDF in English and
Indonesian from the shipped reference data (UN SDG Global Database 2020 snapshot, World Bank,
UN WPP 2019) plus one published national value, then read back with poppler (pdftotext,
pdftoppm) and checked against figures taken straight from the reference CSV.

Rendering is slow (charts, typesetting), so each report is made once per language for the
module; the page images are kept under out/report/ (git-ignored) as artefacts.
"""

from __future__ import annotations

import csv
import re
import shutil
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from lindung.framework import load_catalogue
from lindung.ingest import import_file
from lindung.ingest.accounts import register_user
from lindung.ingest.layout import CSV_COLUMNS
from lindung.ingest.reference import load_reference
from lindung.report import (
    Assessment,
    assess,
    country_profile,
    read_report_data,
    regional_report,
    render_html,
    render_pdf,
)
from lindung.store import make_engine, transaction, upgrade

from ..conftest import publish_through_review

ROOT = Path(__file__).resolve().parents[2]
REFERENCE = ROOT / "src" / "lindung" / "data" / "reference"
ARTEFACTS = ROOT / "out" / "report"
YEAR = 2022
#: The national value published for Indonesia: 60.0 where the UN SDG database has 54 (2019).
NATIONAL_IDN_2019 = 60.0

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="the report tests read PDFs with poppler-utils: apt-get install poppler-utils "
    "(make test installs it)",
)

#: Every section heading of each report, in both languages, as the reader sees it.
REGIONAL_HEADINGS = {
    "en": [
        "Contents",
        "Executive summary",
        "Progress dashboard",
        "Vulnerable groups and life dimensions",
        "Data availability and ASEAN tiers",
        "Pillar: Coverage",
        "Pillar: Adequacy and performance",
        "Pillar: Outcomes",
        "Pillar: Expenditure",
        "Pillar: Context",
        "Regional aggregates",
        "National and international figures",
        "Country annexes",
        "Methodology notes and sources",
    ],
    "id": [
        "Daftar isi",
        "Ringkasan eksekutif",
        "Dasbor kemajuan",
        "Kelompok rentan dan dimensi kehidupan",
        "Ketersediaan data dan tingkatan ASEAN",
        "Pilar: Cakupan",
        "Pilar: Kecukupan dan kinerja",
        "Pilar: Hasil",
        "Pilar: Belanja",
        "Pilar: Konteks",
        "Agregat regional",
        "Angka nasional dan internasional",
        "Lampiran negara",
        "Catatan metodologi dan sumber",
    ],
}
COUNTRY_HEADINGS = {
    "en": [
        "Summary",
        "Progress by indicator",
        "Vulnerable groups and life dimensions",
        "Data availability",
        "Pillar: Coverage",
        "National and international figures",
        "Methodology notes and sources",
    ],
    "id": [
        "Ringkasan",
        "Kemajuan per indikator",
        "Kelompok rentan dan dimensi kehidupan",
        "Ketersediaan data",
        "Pilar: Cakupan",
        "Angka nasional dan internasional",
        "Catatan metodologi dan sumber",
    ],
}


@dataclass
class Rendered:
    """A report as made: its context, HTML, PDF text (whitespace folded) and page count."""

    context: dict[str, Any]
    html: str
    text: str
    pages: int


def _national_csv(folder: Path) -> Path:
    row = dict.fromkeys(CSV_COLUMNS, "_T")
    row.update(
        series="SI_COV_BENFTS",
        ref_area="IDN",
        time_period="2019",
        unit="percent",
        value=str(NATIONAL_IDN_2019),
        nature="C",
        source="BPS Susenas 2019 <national estimate>",
        note="",
    )
    path = folder / "IDN_2019.csv"
    with path.open("w", newline="", encoding="utf-8") as out:
        writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
        writer.writeheader()
        writer.writerow(row)
    return path


@pytest.fixture(scope="module")
def reference_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """Yield a store holding the reference data and Indonesia's published national value."""
    folder = tmp_path_factory.mktemp("report-store")
    engine = make_engine(f"sqlite:///{folder / 'lindung.sqlite'}")
    upgrade(engine)
    load_reference(engine)
    with transaction(engine) as connection:
        admin = register_user(
            connection, email="admin@example.org", role="admin", password="a-long-password"
        )
        register_user(
            connection,
            email="focal.idn@example.org",
            role="focal_point",
            password="a-long-password",
            country="IDN",
            by=admin,
        )
    imported = import_file(engine, _national_csv(folder), actor="focal.idn@example.org")
    with transaction(engine) as connection:
        publish_through_review(connection, imported.submission["id"])
    yield engine
    engine.dispose()


@pytest.fixture(scope="module")
def assessment(reference_store: Engine) -> Assessment:
    with transaction(reference_store) as connection:
        return assess(read_report_data(connection, load_catalogue(), YEAR))


def _render(template: str, context: dict[str, Any], language: str, name: str) -> Rendered:
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    pdf = ARTEFACTS / f"{name}-{language}.pdf"
    pdf.write_bytes(render_pdf(render_html(template, context, language, for_print=True)))
    text = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    for old in ARTEFACTS.glob(f"{name}-{language}-*.png"):
        old.unlink()
    subprocess.run(
        ["pdftoppm", "-r", "40", "-png", str(pdf), str(ARTEFACTS / f"{name}-{language}")],
        check=True,
    )
    pages = len(list(ARTEFACTS.glob(f"{name}-{language}-*.png")))
    return Rendered(
        context, render_html(template, context, language), " ".join(text.split()), pages
    )


@pytest.fixture(scope="module", params=["en", "id"])
def regional(request: pytest.FixtureRequest, assessment: Assessment) -> Rendered:
    language = request.param
    return _render("regional.html", regional_report(assessment, language), language, "regional")


@pytest.fixture(scope="module", params=["en", "id"])
def profile(request: pytest.FixtureRequest, assessment: Assessment) -> Rendered:
    language = request.param
    context = country_profile(assessment, "PHL", language)
    return _render("country.html", context, language, "country-PHL")


def _language(rendered: Rendered) -> str:
    return "id" if 'lang="id"' in rendered.html[:200] else "en"


def _reference_rows() -> list[dict[str, str]]:
    with (REFERENCE / "asean_sdg_1_3_1_and_poverty_unsd_2020.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def _latest(series: str, iso3: str) -> tuple[float, int]:
    """The newest both-sexes value of ``series`` for ``iso3`` in the UN SDG extract."""
    rows = [
        r
        for r in _reference_rows()
        if r["series"] == series and r["iso3"] == iso3 and r["sex"] == "bothsex"
    ]
    newest = max(rows, key=lambda r: int(r["year"]))
    return float(newest["value"]), int(newest["year"])


def _decimal(value: float, language: str) -> str:
    text = f"{value:.1f}"
    return text.replace(".", ",") if language == "id" else text


def _headline_pairs() -> set[tuple[str, str]]:
    """(series, member state) with a headline value in the reference data: both sexes (or no
    sex), all areas and quantiles, all ages (15+ where a series has no all-ages value)."""
    members = {state.iso3 for state in load_catalogue().member_states}
    rows = [
        r
        for r in _reference_rows()
        if r["iso3"] in members
        and r["sex"] in ("", "bothsex")
        and r["location"] in ("", "allarea")
        and r["quantile"] in ("", "t", "b50")
    ]
    all_ages = {r["series"] for r in rows if r["age"] == ""}
    pairs = {
        (r["series"], r["iso3"])
        for r in rows
        if r["age"] == "" or (r["series"] not in all_ages and r["age"] == "15")
    }
    # Of the World Bank extract only the Gini index is a headline: ASPIRE's coverage and
    # adequacy are stored for program ALL_SP, a breakdown.
    with (REFERENCE / "asean_wdi_gini_aspire_extract.csv").open(encoding="utf-8") as f:
        pairs |= {
            ("SI_POV_GINI", r["iso3"])
            for r in csv.DictReader(f)
            if r["indicator"] == "SI.POV.GINI" and r["iso3"] in members
        }
    return pairs


def test_the_regional_report_names_every_member_state_and_has_every_section(
    regional: Rendered,
) -> None:
    language = _language(regional)
    for state in load_catalogue().member_states:
        assert state.name.get(language) in regional.text, state.iso3
    for heading in REGIONAL_HEADINGS[language]:
        assert heading in regional.text, heading
    assert regional.pages >= 10
    assert f"1 / {regional.pages}" in regional.text
    contents = regional.text.split(REGIONAL_HEADINGS[language][0], 1)[1]
    first = REGIONAL_HEADINGS[language][1]
    assert re.search(rf"1\. {first} [. ]*2 ", contents), "the contents give the page of 1."


def test_the_regional_report_shows_a_latest_value_as_the_reference_data_has_it(
    regional: Rendered,
) -> None:
    language = _language(regional)
    value, year = _latest("SI_COV_BENFTS", "PHL")
    indicator = load_catalogue().indicator("SI_COV_BENFTS").name.get(language)
    unit = "percent" if language == "en" else "persen"
    # The annex row as the PDF reads (the unit may be read apart from its cell); the HTML below
    # says it is the Philippines' row.
    row = rf"SI_COV_BENFTS {re.escape(indicator)} (\({unit}\) )?{year} {_decimal(value, language)} "
    assert re.search(row, regional.text)
    html = regional.html.split('id="annex-PHL"')[1].split('id="annex-SGP"')[0]
    assert re.search(
        rf"SI_COV_BENFTS [^<]*<span[^>]*>[^<]*</span></td><td>{year}</td>"
        rf'<td class="number">{_decimal(value, language)}</td>',
        html,
    )


def test_the_status_counts_add_up_to_the_headline_values_of_the_reference_data(
    regional: Rendered,
) -> None:
    counts = re.search(r'<table class="counts">(.*?)</table>', regional.html, re.S)
    assert counts is not None
    total = sum(int(n) for n in re.findall(r'<td class="number">(\d+)</td>', counts[1]))
    assert total == len(_headline_pairs())


def test_the_summary_counts_indicators_with_data_from_the_reference_data(
    regional: Rendered,
) -> None:
    catalogue = load_catalogue()
    codes = {i.code for i in catalogue.indicators}
    sdg = {r["series"] for r in _reference_rows() if r["series"] in codes}
    with_data = len(sdg | {"SI_POV_GINI", "ASP_COV", "ASP_ADQ"})
    assessed = len(codes) - 3  # ASP_POP, ASP_GDP_PC and ASP_GDP_PC_LCU give context only
    words = (
        f"{with_data} of the framework's {assessed} assessed indicators"
        if _language(regional) == "en"
        else f"{with_data} dari {assessed} indikator kerangka yang dinilai"
    )
    assert words in regional.text


def test_a_national_value_beyond_tolerance_is_flagged_with_its_difference(
    regional: Rendered,
) -> None:
    language = _language(regional)
    international, year = _latest("SI_COV_BENFTS", "IDN")
    assert year == 2019
    national, reference = _decimal(NATIONAL_IDN_2019, language), _decimal(international, language)
    difference = _decimal(NATIONAL_IDN_2019 - international, language)
    cells = "</td><td[^>]*>".join(["Indonesia", "SI_COV_BENFTS", "2019", national, reference])
    assert re.search(
        f"<td>{cells}</td><td>UN SDG database \\(ILO\\)</td><td[^>]*>{difference}<", regional.html
    )
    sentence = (
        "1 of 1 national values compared with an international equivalent differ"
        if language == "en"
        else "1 dari 1 nilai nasional yang dibandingkan dengan padanan internasionalnya berbeda"
    )
    assert sentence in regional.text
    section = regional.text.split(REGIONAL_HEADINGS[language][11])[-1]
    assert f" {difference} " in section.split(REGIONAL_HEADINGS[language][12])[0]


def test_every_chart_is_an_svg_with_marks_in_the_report_font(regional: Rendered) -> None:
    figures = regional.context["figures"]
    assert len(figures) >= 5
    for figure in figures:
        assert figure.svg.startswith("<svg")
        assert re.search(r'class="mark-(line|rect|symbol|shape)[^"]*".*?<path', figure.svg, re.S)
        assert 'font-family="DejaVu Sans"' in figure.svg
        assert "font-family" not in figure.svg.replace('font-family="DejaVu Sans"', "")
    language = _language(regional)
    for figure in figures:
        assert f"{'Figure' if language == 'en' else 'Gambar'} {figure.number}." in regional.text


def test_indonesian_charts_write_numbers_with_a_decimal_comma(regional: Rendered) -> None:
    ticks = re.findall(r">(\d+[.,]\d)</text>", "".join(f.svg for f in regional.context["figures"]))
    assert ticks
    mark = "," if _language(regional) == "id" else "."
    assert all(mark in tick for tick in ticks)


def test_the_pdf_embeds_one_font_family(regional: Rendered) -> None:
    language = _language(regional)
    fonts = subprocess.run(
        ["pdffonts", str(ARTEFACTS / f"regional-{language}.pdf")],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.splitlines()[2:]
    assert fonts
    assert all(re.match(r"[A-Z]{6}\+DejaVu-Sans(-Bold)? ", line) for line in fonts), fonts


def test_the_country_profile_has_every_section_and_the_reference_values(
    profile: Rendered,
) -> None:
    language = _language(profile)
    assert ("Philippines" if language == "en" else "Filipina") in profile.text
    for heading in COUNTRY_HEADINGS[language]:
        assert heading in profile.text, heading
    value, year = _latest("SI_COV_BENFTS", "PHL")
    unit_in = "(percent) in" if language == "en" else "(persen) pada"
    assert f"{_decimal(value, language)} {unit_in} {year}" in profile.text
    assert profile.context["figures"]
    assert f"1 / {profile.pages}" in profile.text


def test_a_source_is_escaped_in_the_html(regional: Rendered) -> None:
    assert "BPS Susenas 2019 &lt;national estimate&gt;" in regional.html
    assert "<national estimate>" not in regional.html


def test_the_sites_country_profile_reads_and_judges_a_country_as_the_report_does(
    reference_store: Engine, assessment: Assessment
) -> None:
    # Both read through assess.published and judge with its functions; the reference data
    # end before the report year, so the site (every year) and the report (to 2022) agree.
    from lindung.web.pages.profile import country_profile as site_profile

    with transaction(reference_store) as connection:
        site = site_profile(connection, load_catalogue(), "PHL")

    assert assessment.data.values["time_period"].max() <= YEAR
    assert {line.indicator.code: line.progress for line in site.lines if line.progress} == {
        code: row for (code, area), row in assessment.progress.items() if area == "PHL"
    }
    assert site.matrix == assessment.matrix("PHL")
    assert site.consistency == [row for row in assessment.consistency if row["ref_area"] == "PHL"]


def _blue_pixels(png: Path) -> int:
    """Count the pixels of the map's blues (Vega's "blues" scheme: blue well above red)."""
    from PIL import Image

    with Image.open(png) as image:
        data = image.convert("RGB").tobytes()
    pixels = zip(data[0::3], data[1::3], data[2::3], strict=True)
    return sum(1 for r, g, b in pixels if b > r + 40 and b >= g)


def test_the_regional_report_opens_with_the_asean_map_captioned_and_drawn(
    regional: Rendered,
) -> None:
    language = _language(regional)
    catalogue = load_catalogue()
    first = regional.context["figures"][0]
    name = catalogue.indicator("SI_COV_BENFTS").name.get(language)
    assert first is regional.context["summary_map"]
    # A shaded geoshape per member state with a value (all but Brunei in the UN SDG extract),
    # drawn over the grey base, which screen readers skip.
    shaded = {row["iso3"] for row in _reference_rows() if row["series"] == "SI_COV_BENFTS"}
    assert first.svg.count('role="graphics-symbol"') >= len(shaded & set(_members()))
    words = {
        "en": "latest value in each member state",
        "id": "nilai terakhir di setiap negara anggota",
    }
    caption = f"{'Figure' if language == 'en' else 'Gambar'} 1. {name} (SI_COV_BENFTS): {words[language]}."
    assert caption in regional.text
    pdf = ARTEFACTS / f"regional-{language}.pdf"
    page = next(
        number
        for number in range(1, regional.pages + 1)
        if caption in " ".join(_page_text(pdf, number).split())
    )
    assert f"{catalogue.version}" in _page_text(pdf, page)
    png = ARTEFACTS / f"regional-{language}-map"
    subprocess.run(
        ["pdftoppm", "-f", str(page), "-l", str(page), "-r", "50", "-png", "-singlefile",
         str(pdf), str(png)],
        check=True,
    )  # fmt: skip
    # A4 at 50 dpi is 413 x 585 pixels; the map fills a few thousand of them with its blues.
    assert _blue_pixels(png.with_suffix(".png")) > 2000


def _members() -> list[str]:
    return [state.iso3 for state in load_catalogue().member_states]


def _page_text(pdf: Path, page: int) -> str:
    return subprocess.run(
        ["pdftotext", "-f", str(page), "-l", str(page), "-enc", "UTF-8", str(pdf), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
