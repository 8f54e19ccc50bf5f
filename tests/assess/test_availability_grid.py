"""`lindung assess availability` prints an indicator x member state grid as a table, and one
row per indicator and member state in JSON and CSV."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from .conftest import MEMBERS, store_values


def _stored(database_url: str) -> None:
    # Indonesia: 2016 and 2019; the Philippines: 2019 (percent, published).
    for year, areas in ((2016, ("IDN",)), (2019, ("IDN", "PHL"))):
        for area in areas:
            store_values(
                database_url,
                {("SI_COV_BENFTS", area): 40.0},
                year=year,
                source="test: national coverage",
                published=True,
                area=area,
            )


def test_the_table_is_one_row_per_indicator_and_one_column_per_member_state(
    lindung: Any, database_url: str
) -> None:
    assert lindung("db", "init").exit_code == 0
    _stored(database_url)
    args = ("assess", "availability", "--series", "SI_COV_BENFTS", "--series", "SI_COV_PENSN")
    result = lindung(*args)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    header = next(line for line in lines if "series" in line and "IDN" in line)
    assert [name for name in header.replace("┃", " ").split() if name in MEMBERS] == list(MEMBERS)
    benfts = [line for line in lines if "SI_COV_BENFTS" in line]
    pensn = [line for line in lines if "SI_COV_PENSN" in line]
    assert len(benfts) == 1 and len(pensn) == 1
    # cells in member order: IDN latest 2019 with 2 points since 2015, PHL 2019 with 1
    cells = [c.strip() for c in benfts[0].split("│")[1:-1]]
    assert cells[0] == "SI_COV_BENFTS"
    by_member = dict(zip(MEMBERS, cells[1:], strict=True))
    assert by_member["IDN"] == "2019 (2)" and by_member["PHL"] == "2019 (1)"
    assert {by_member[c] for c in MEMBERS if c not in ("IDN", "PHL")} == {"-"}
    assert "latest year (points since 2015)" in " ".join(result.stdout.split())


def test_json_and_csv_keep_one_row_per_indicator_and_member_state(
    lindung: Any, database_url: str
) -> None:
    assert lindung("db", "init").exit_code == 0
    _stored(database_url)
    args = ("assess", "availability", "--series", "SI_COV_BENFTS", "--series", "SI_COV_PENSN")
    rows = json.loads(lindung(*args, "--format", "json").stdout)
    assert len(rows) == 2 * len(MEMBERS)
    idn = next(r for r in rows if r["series"] == "SI_COV_BENFTS" and r["ref_area"] == "IDN")
    assert (idn["latest_year"], idn["points"]) == (2019, 2)
    table = list(csv.DictReader(io.StringIO(lindung(*args, "--format", "csv").stdout)))
    assert len(table) == 2 * len(MEMBERS)
    assert {"series", "ref_area", "latest_year", "points"} <= set(table[0])
