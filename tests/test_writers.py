"""Every CSV and workbook Lindung writes goes through lindung.text's one spreadsheet guard.

A writer is any module that calls a CSV writer (csv.writer, csv.DictWriter, DataFrame.to_csv,
pyarrow's write_csv) or saves an openpyxl workbook; each one imports the guard (``neutralise``,
``neutralise_sheet``, ``csv_text`` or ``csv_cell``) or is listed below with why its cells can
hold no user text. A new writer fails here until it does one or the other.
"""

from __future__ import annotations

import re
from pathlib import Path

SOURCE = Path(__file__).resolve().parents[1] / "src" / "lindung"
WRITES = re.compile(r"csv\.writer\(|csv\.DictWriter\(|\.to_csv\(|\.write_csv\(|\.save\(")
GUARD = re.compile(
    r"from lindung\.text import (\([^)]*|[^\n]*)\b(neutralise|neutralise_sheet|csv_text|csv_cell)\b"
)
#: Writers whose every cell is Lindung's own constant or a number.
OWN_CELLS = {
    "cli/demo.py": "the demo's sample submission: fixed codes and generated numbers",
    "survey/synth.py": "synthetic microdata: numbers and the synthetic spec's fixed codes",
}


def _writers() -> dict[str, str]:
    found = {}
    for path in sorted(SOURCE.rglob("*.py")):
        text = path.read_text(encoding="utf-8")
        if WRITES.search(text):
            found[path.relative_to(SOURCE).as_posix()] = text
    return found


def test_every_csv_and_workbook_writer_uses_the_spreadsheet_guard() -> None:
    writers = _writers()
    unguarded = sorted(
        name
        for name, text in writers.items()
        if not GUARD.search(text) and name not in OWN_CELLS and name != "text.py"
    )
    assert unguarded == []
    # The list is of real writers: one that no longer writes is taken off it.
    assert set(OWN_CELLS) <= set(writers)
    assert {
        "text.py",
        "ingest/annotate.py",
        "ingest/workbook.py",
        "ingest/tableschema.py",
        "exchange/xlsx.py",
        "survey/output.py",
    } <= set(writers)
