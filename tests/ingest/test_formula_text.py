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


#: Every kind of whitespace and invisible format character that trimming or a spreadsheet
#: passes over: the Unicode space separators, the C0/C1 whitespace controls, the line and
#: paragraph separators, and the zero-width format characters (Unicode 15 tables).
OTHER_LEADING = (
    "\x0b\x0c\x1c\x1d\x1e\x1f\x85\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007"
    "\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u200b\u2060\ufeff\u180e"
)


def test_a_payload_behind_every_other_unicode_whitespace_is_a_formula_injection(
    tmp_path: Path,
) -> None:
    path = tmp_path / "IDN.csv"
    texts = [lead + payload for lead in OTHER_LEADING for payload in PAYLOADS[:4]]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        for number, text in enumerate(texts):
            row = dict.fromkeys(CSV_COLUMNS, "_T")
            year = 1990 + number % 100
            row.update(series="SI_COV_BENFTS", ref_area="IDN", time_period=str(year))
            row.update(unit="percent", value="50", nature="C", source="SUSENAS", note=text)
            writer.writerow(row)
    report = check_file(path)
    flagged = sorted(
        f.as_dict()["row"] for f in report.findings if f.as_dict()["code"] == "formula-injection"
    )
    assert flagged == list(range(2, len(texts) + 2))
    assert not report.ok
