"""The chart specs draw what their rows say, in the reader's number format.

Oracle: the Vega-Lite 6.4 compiler and Vega 6.2 renderer bundled by vl-convert (the same
versions the browser runs from web/static/vendor), which turn each spec into an SVG whose
marks carry an ``aria-label`` naming their values as a screen reader hears them.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from lindung.charts import availability_heatmap, choropleth, sparkline, time_series
from lindung.charts.series import band

vl_convert = pytest.importorskip("vl_convert")

INDONESIAN = {"decimal": ",", "thousands": ".", "grouping": [3], "currency": ["Rp", ""]}

#: Three squares standing for Indonesia (360), the Philippines (608) and Singapore (702).
TOPOLOGY: dict[str, Any] = {
    "type": "Topology",
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "arcs": [[0]], "id": "360"},
                {"type": "Polygon", "arcs": [[1]], "id": "608"},
                {"type": "Polygon", "arcs": [[2]], "id": "702"},
            ],
        }
    },
    "arcs": [
        [[100, -5], [110, -5], [110, 5], [100, 5], [100, -5]],
        [[120, 10], [125, 10], [125, 15], [120, 15], [120, 10]],
        [[103, 1], [104, 1], [104, 2], [103, 2], [103, 1]],
    ],
}


def labels(spec: dict[str, Any]) -> list[str]:
    """Return the aria-labels of the SVG that Vega draws from ``spec``."""
    svg = vl_convert.vegalite_to_svg(spec)
    return re.findall(r'aria-label="([^"]*)"', svg)


def test_the_map_shades_the_states_with_a_value_and_names_them_in_indonesian_numbers() -> None:
    spec = choropleth(
        TOPOLOGY,
        [
            {"id": "360", "name": "Indonesia", "value": 1234.5, "year": 2020},
            {"id": "608", "name": "Filipina", "value": 50.25, "year": 2019},
            {"id": "702", "name": "Singapura"},
        ],
        feature="countries",
        title="Cakupan",
        description="Peta cakupan",
        value_title="Nilai",
        year_title="Tahun",
        name_title="Negara",
        number_locale=INDONESIAN,
        width=400,
    )
    found = labels(spec)
    assert "Nilai: 1.234,5; Negara: Indonesia; Tahun: 2020" in found
    # 50.25 to one decimal, the decimal mark a comma.
    assert "Nilai: 50,3; Negara: Filipina; Tahun: 2019" in found
    assert not any("Singapura" in label for label in found), "no value, so only the grey shape"
    assert spec["description"] == "Peta cakupan"


def test_the_time_series_draws_a_line_per_state_a_band_and_the_target() -> None:
    spec = time_series(
        [
            {"area": "Indonesia", "year": 2015, "value": 10.0, "se": 1.0},
            {"area": "Indonesia", "year": 2018, "value": 12.0, "ci_low": 11.0, "ci_high": 13.0},
            {"area": "Filipina", "year": 2016, "value": 20.5},
        ],
        title="Cakupan",
        description="Cakupan menurut tahun",
        year_title="Tahun",
        value_title="Nilai",
        area_title="Negara",
        number_locale=INDONESIAN,
        target=50.0,
        target_title="Target",
        width=400,
    )
    found = labels(spec)
    assert "Tahun: 2016; Nilai: 20,5; Negara: Filipina" in found
    assert "Tahun: 2018; Nilai: 12,0; Negara: Indonesia" in found
    assert any("Target: 50,0" in label for label in found), found
    band_rows = [row for row in spec["data"]["values"] if row["low"] is not None]
    assert len(band_rows) == 2


def test_the_regional_aggregate_is_a_dashed_line_with_a_legend_of_its_own() -> None:
    spec = time_series(
        [
            {"area": "Indonesia", "year": 2018, "value": 40.0},
            {"area": "Indonesia", "year": 2020, "value": 50.0},
            {"area": "ASEAN", "year": 2018, "value": 33.25, "aggregate": True},
            {"area": "ASEAN", "year": 2020, "value": 45.0, "aggregate": True},
        ],
        title="Cakupan",
        description="Cakupan menurut tahun",
        year_title="Tahun",
        value_title="Nilai",
        area_title="Negara atau kawasan",
        number_locale=INDONESIAN,
        line_titles=("Garis", "Negara anggota", "Rata-rata ASEAN"),
        width=400,
    )
    svg = vl_convert.vegalite_to_svg(spec)
    found = re.findall(r'aria-label="([^"]*)"', svg)
    # Each point says which kind of line it is on, in the reader's words and numbers.
    assert "Tahun: 2018; Nilai: 33,3; Negara atau kawasan: ASEAN; Garis: Rata-rata ASEAN" in found
    assert (
        "Tahun: 2018; Nilai: 40,0; Negara atau kawasan: Indonesia; Garis: Negara anggota" in found
    )
    # The aggregate's line dashed, the member state's solid, and so in the legend.
    lines = dict(
        re.findall(
            r'<path aria-label="([^"]*)"[^>]*aria-roledescription="line mark"[^>]*stroke-dasharray="([^"]*)"',
            svg,
        )
    )
    assert {label.split("; ")[2]: dash for label, dash in lines.items()} == {
        "Negara atau kawasan: Indonesia": "1,0",
        "Negara atau kawasan: ASEAN": "8,3,2,3",
    }
    legend = svg.split("Symbol legend titled 'Garis'")[1]
    assert re.search(r'role-legend-symbol.*?stroke-dasharray="8,3,2,3"', legend, re.S)
    # The legend of the kinds of line, in the reader's words.
    assert ">Garis<" in svg and ">Rata-rata ASEAN<" in svg and ">Negara anggota<" in svg


def test_without_an_aggregate_every_line_is_solid_and_there_is_no_second_legend() -> None:
    spec = time_series(
        [{"area": "Indonesia", "year": 2018, "value": 40.0}],
        title="",
        description="",
        year_title="Tahun",
        value_title="Nilai",
        area_title="Negara",
        number_locale=INDONESIAN,
        line_titles=("Garis", "Negara anggota", "Rata-rata ASEAN"),
        width=400,
    )
    svg = vl_convert.vegalite_to_svg(spec)
    assert "stroke-dasharray" not in svg and ">Garis<" not in svg


def test_the_band_is_the_ci_where_stored_else_the_normal_interval_of_the_se() -> None:
    assert band({"value": 12.0, "ci_low": 11.0, "ci_high": 13.5, "se": 9.0}) == (11.0, 13.5)
    # 10 +/- 1.959964 x 2 (the 97.5th percentile of the standard normal).
    low, high = band({"value": 10.0, "se": 2.0})
    assert low == pytest.approx(6.080072) and high == pytest.approx(13.919928)
    assert band({"value": 10.0}) == (None, None)


def test_the_sparkline_marks_the_last_year() -> None:
    spec = sparkline(
        [{"year": 2015, "value": 1.0}, {"year": 2019, "value": 3.0}],
        description="Garis kecil",
        number_locale=INDONESIAN,
    )
    svg = vl_convert.vegalite_to_svg(spec)
    assert svg.count("role-mark") == 2
    assert spec["layer"][1]["transform"] == [{"filter": {"field": "year", "equal": 2019}}]


def test_the_sparkline_is_read_out_by_its_description_alone() -> None:
    spec = sparkline(
        [{"year": 2015, "value": 1.0}, {"year": 2019, "value": 3.0}],
        description="Cakupan: 2015: 1,0; 2019: 3,0",
        number_locale=INDONESIAN,
    )
    svg = vl_convert.vegalite_to_svg(spec)
    # No mark speaks for itself (in English words, with unformatted numbers).
    assert 'role="graphics-symbol"' not in svg
    assert spec["description"] == "Cakupan: 2015: 1,0; 2019: 3,0"


def test_the_heat_map_draws_a_cell_only_where_a_state_has_values() -> None:
    spec = availability_heatmap(
        [
            {"series": "SI_COV_BENFTS", "area": "Indonesia", "points": 3, "latest": 2020},
            {"series": "SI_COV_BENFTS", "area": "Filipina", "points": 0, "latest": None},
            {"series": "SI_COV_PENSN", "area": "Filipina", "points": 1, "latest": 2018},
        ],
        title="Ketersediaan",
        description="Ketersediaan data",
        series_title="Seri",
        area_title="Negara",
        points_title="Titik",
        latest_title="Terakhir",
        number_locale=INDONESIAN,
        width=300,
    )
    cells = [label for label in labels(spec) if label.startswith("Negara:")]
    assert sorted(cells) == [
        "Negara: Filipina; Seri: SI_COV_PENSN; Titik: 1; Terakhir: 2018",
        "Negara: Indonesia; Seri: SI_COV_BENFTS; Titik: 3; Terakhir: 2020",
    ]
