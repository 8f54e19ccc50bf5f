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
