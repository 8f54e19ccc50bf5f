"""An annotated copy of a checked workbook: each finding's cell filled and commented.

Errors are red, warnings amber; the comment holds the message and the fix in the chosen
language. Findings without a cell (the file, a sheet, a header) are listed on a first sheet.
Every text a spreadsheet would run, on every sheet, is kept as text (the file's own formulas
too: the copy shows them, it does not run them).

The workbook is opened in full (not streamed), so the reader's limits (size, zip size, cells)
are checked first, on the same bytes, and a workbook over them is refused before it is parsed.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from lindung.errors import LindungError
from lindung.ingest.findings import Finding
from lindung.ingest.reader import Limits, read_bytes
from lindung.ingest.sheets import zip_problem
from lindung.text import neutralise_sheet

FILLS = {
    "error": PatternFill("solid", fgColor="F4B6B6"),
    "warning": PatternFill("solid", fgColor="FFE199"),
}
SUMMARY_SHEET = "Findings"
TITLES = {
    "en": ("severity", "code", "location", "message", "fix"),
    "id": ("tingkat", "kode", "lokasi", "pesan", "perbaikan"),
}


def annotate_workbook(
    source: Path,
    findings: Sequence[Finding],
    target: Path,
    *,
    language: str = "en",
    limits: Limits | None = None,
) -> int:
    """Write a copy of ``source`` with the findings marked; return how many cells were marked."""
    limits = limits or Limits()
    data, problem = read_bytes(source, limits)
    problem = problem or (zip_problem(data, limits, source.name) if data else None)
    if problem is not None or data is None:
        reason = problem.message() if problem is not None else "the file is empty"
        raise LindungError(f"cannot annotate {source.name}: {reason}; nothing was written")
    try:
        workbook = load_workbook(io.BytesIO(data))
    except Exception as error:  # an unreadable file has no cells to mark, whatever the cause
        first = (str(error).strip().splitlines() or [type(error).__name__])[0][:200]
        raise LindungError(
            f"cannot annotate {source.name}: it is not a readable workbook ({first}); "
            "fix the findings listed by `lindung submission check` first"
        ) from None
    workbook.security = None
    summary = workbook.create_sheet(SUMMARY_SHEET, 0)
    summary.append(list(TITLES.get(language, TITLES["en"])))
    for cell in summary[1]:
        cell.font = Font(bold=True)
    by_cell: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        where = finding.location
        summary.append(
            [
                finding.severity,
                finding.as_dict(language)["code"],
                where.describe(),
                finding.message(language),
                finding.fix(language),
            ]
        )
        if where.sheet and where.cell and where.sheet in workbook.sheetnames:
            by_cell.setdefault((where.sheet, where.cell.split(":")[0]), []).append(finding)
    for (sheet, reference), found in by_cell.items():
        cell = workbook[sheet][reference]
        worst = "error" if any(f.severity == "error" for f in found) else "warning"
        cell.fill = FILLS[worst]
        text = "\n\n".join(
            f"[{f.severity}] {f.message(language)}\n→ {f.fix(language)}" for f in found
        )
        cell.comment = Comment(text, "Lindung", width=360, height=160)
    for column, width in zip("ABCDE", (10, 28, 22, 80, 80), strict=True):
        summary.column_dimensions[column].width = width
    for sheet in workbook.worksheets:
        # The copy is Lindung's output: no cell of it runs, the file's own ones included.
        neutralise_sheet(sheet)
    workbook.active = 0
    workbook.save(target)
    return len(by_cell)
