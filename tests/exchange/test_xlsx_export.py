"""``lindung export xlsx``: a README sheet, one sheet per indicator with a frozen header and
number formats, formula text neutralised (read back with openpyxl)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from tests.exchange.conftest import observation

from lindung.framework import load_catalogue

NOTE = '=HYPERLINK("http://evil.example","click")'


def test_the_workbook_has_a_readme_and_one_sheet_per_indicator_with_formula_text_neutralised(
    lindung: Callable[..., Any], publish: Callable[..., int], tmp_path: Path
) -> None:
    publish([
        observation(comment=NOTE, se=0.9),
        observation(sex="F", value=30.25),
        observation(series="SI_POV_DAY1", value=2.7, ci_low=None, ci_high=None),
    ])  # fmt: skip
    out = tmp_path / "lindung.xlsx"

    done = lindung("export", "xlsx", "--out", str(out))

    assert done.exit_code == 0, done.stderr
    book = load_workbook(out)
    assert book.sheetnames == ["README", "SI_COV_BENFTS", "SI_POV_DAY1"]
    readme = [[c.value for c in row] for row in book["README"].iter_rows()]
    assert ["Framework version", load_catalogue().version] in [row[:2] for row in readme]
    benefits = book["SI_COV_BENFTS"]
    assert benefits.freeze_panes == "A2"
    header = [c.value for c in benefits[1]]
    assert header[:3] == ["ref_area", "time_period", "sex"]
    rows = {r[2].value: r for r in benefits.iter_rows(min_row=2)}
    total = rows["_T"]
    value = total[header.index("value")]
    assert value.value == 27.8 and value.number_format == "#,##0.0###"
    assert total[header.index("se")].value == 0.9
    note = total[header.index("comment")]
    assert note.value == NOTE and note.data_type == "s" and note.quotePrefix
    assert rows["F"][header.index("value")].value == 30.25


def test_the_readme_lists_the_licence_of_each_source_in_the_export(
    lindung: Callable[..., Any], publish: Callable[..., int], tmp_path: Path
) -> None:
    # Sources as `lindung data load-reference` writes them, and two member states' templates.
    publish(
        [
            observation(series="SI_POV_DAY1", source="UN SDG Global Database (UNSD), 2020 "
                        "snapshot; World Bank", value=2.7),
            observation(series="SI_POV_GINI", source="World Bank WDI SI.POV.GINI", value=38.2),
            observation(series="ASP_COV", program="ALL_SP", value=61.2,
                        source="World Bank ASPIRE per_allsp.cov_pop_tot"),
        ],
        kind="reference",
    )  # fmt: skip
    publish([observation(), observation(sex="F", value=30.25)])
    publish([observation(ref_area="PHL", value=36.7)], area="PHL")
    out = tmp_path / "lindung.xlsx"

    done = lindung("export", "xlsx", "--out", str(out))

    assert done.exit_code == 0, done.stderr
    readme = [[c.value for c in row] for row in load_workbook(out)["README"].iter_rows()]
    start = [row[0] for row in readme].index("Sources and licences")
    assert readme[start + 1][:4] == ["source", "licence", "provenance", "observations"]
    listed = [(row[0], row[1], row[3]) for row in readme[start + 2 :]]
    # The licences of shared/data/README.md; the two World Bank rows are both WDI's.
    assert listed == [
        ("UN SDG Global Database (UNSD), 2020 snapshot", "CC BY 4.0", 1),
        ("World Bank World Development Indicators", "CC BY 4.0", 1),
        ("World Bank World Development Indicators (ASPIRE)", "CC BY 4.0", 1),
        ("National submission of Indonesia", "the member state's terms of use", 2),
        ("National submission of Philippines", "the member state's terms of use", 1),
    ]
    assert "1bfae15828a86ad30e86872411534f5c8136d784" in readme[start + 2][2]


def test_every_source_of_the_shipped_reference_data_has_its_licence_in_the_table() -> None:
    from lindung.exchange.licences import UNRECORDED, licence_table
    from lindung.ingest.reference import reference_batches

    catalogue = load_catalogue()
    by_file = {
        (batch.file_name, row["source"]) for batch in reference_batches(catalogue)
        for row in batch.rows
    }  # fmt: skip
    licence = {}
    for file_name, source in by_file:
        found = [e for e in licence_table() if e.kind == "reference"
                 and source.startswith(e.source_starts_with)]  # fmt: skip
        assert found, f"{file_name}: {source} {UNRECORDED}"
        licence.setdefault(file_name, set()).add(found[0].licence)
    # The licences of lindung/data/reference/PROVENANCE.md, file by file.
    assert licence == {
        "asean_sdg_1_3_1_and_poverty_unsd_2020.csv": {"CC BY 4.0"},
        "asean_wdi_gini_aspire_extract.csv": {"CC BY 4.0"},
        "asean_population_by_age5_sex_wpp2019_1990_2050.csv": {"CC BY 3.0 IGO"},
        "asean_gdp_pc_maddison2020_via_owid.csv": {"CC BY 4.0"},
    }
