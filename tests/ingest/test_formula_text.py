"""Text that a spreadsheet would run is refused when it is read, whatever whitespace is put
in front of it (the whitespace is trimmed before storing, so the check sees what is stored)."""

from __future__ import annotations

import csv
from pathlib import Path

from lindung.ingest import check_file
from lindung.ingest.layout import CSV_COLUMNS

PAYLOADS = ("=cmd|'/c calc'!A0", "+1+cmd", "-1+cmd", "@SUM(A1)", "\t=1+1", "\r=1+1")
LEADING = ("", " ", "\u00a0", "\u3000", "\n", "\r")


def test_each_payload_behind_each_leading_whitespace_is_a_formula_injection(
    tmp_path: Path,
) -> None:
    path = tmp_path / "IDN.csv"
    texts = [lead + payload for payload in PAYLOADS for lead in LEADING]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        for year, text in enumerate(texts, start=1990):
            row = dict.fromkeys(CSV_COLUMNS, "_T")
            row.update(series="SI_COV_BENFTS", ref_area="IDN", time_period=str(year))
            row.update(unit="percent", value="50", nature="C", source=text, note="")
            writer.writerow(row)
    report = check_file(path)
    flagged = sorted(
        f.as_dict()["row"] for f in report.findings if f.as_dict()["code"] == "formula-injection"
    )
    assert flagged == list(range(2, len(texts) + 2))
