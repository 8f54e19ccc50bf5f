"""An annotated copy of a checked workbook: each finding's cell filled and commented.

Errors are red, warnings amber; the comment holds the message and the fix in the chosen
language. Findings without a cell (the file, a sheet, a header) are listed on a first sheet.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.comments import Comment
from openpyxl.styles import Font, PatternFill

from lindung.errors import LindungError
from lindung.ingest.findings import Finding
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
    source: Path, findings: Sequence[Finding], target: Path, *, language: str = "en"
) -> int:
    """Write a copy of ``source`` with the findings marked; return how many cells were marked."""
    try:
        workbook = load_workbook(source)
    except Exception as error:  # an unreadable file has no cells to mark, whatever the cause
        raise LindungError(
            f"cannot annotate {source.name}: it is not a readable workbook ({error}); "
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
    neutralise_sheet(summary)
    workbook.active = 0
    workbook.save(target)
    return len(by_cell)
