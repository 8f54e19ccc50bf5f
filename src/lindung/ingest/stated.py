"""What a workbook states about itself where a user sees it, against its hidden metadata.

The template writes its country, year, framework version and template version twice: in the
very hidden ``_lindung`` sheet, which the reader reads, and on the visible instructions sheet,
which the focal point reads. The visible sheet is what the file says; the hidden one only
repeats it for the reader, so a hidden value that disagrees with the visible one (an edited
meta sheet that files IDN 2024 as PHL 2019) is an error naming both places, and a hidden value
that no visible cell states is a warning.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from lindung.ingest import findings as F
from lindung.ingest.findings import Finding, Location
from lindung.ingest.layout import METADATA_SHEET
from lindung.ingest.sheet_xml import SheetRow

#: The instructions sheet's label (column A, in any template language) of each metadata key.
LABELS: dict[str, frozenset[str]] = {
    "country": frozenset({"country", "negara"}),
    "year": frozenset({"year", "tahun"}),
    "framework_version": frozenset({"framework version", "versi kerangka"}),
    "template_version": frozenset({"template version", "versi templat"}),
}
#: The instructions sheet states its keys in its first rows (the labels are on rows 3 to 6).
STATED_ROWS = 12


@dataclass(frozen=True)
class Stated:
    """One metadata key as a visible sheet states it, and where."""

    key: str
    shown: str
    location: Location


def read_stated(rows: Iterable[SheetRow], file_name: str, sheet: str) -> list[Stated]:
    """Return the metadata keys that the instructions sheet's first rows state (a label in
    column A, its value in column B)."""
    stated: list[Stated] = []
    for row in rows:
        if row.number > STATED_ROWS:
            break
        label, value = row.cells.get(1), row.cells.get(2)
        if label is None or value is None or not isinstance(label.value, str):
            continue
        name = label.value.strip().casefold()
        key = next((key for key, labels in LABELS.items() if name in labels), None)
        if key is not None:
            where = Location(file=file_name, sheet=sheet, cell=f"B{row.number}", row=row.number)
            stated.append(Stated(key, _shown(key, value.value), where))
    return stated


def _shown(key: str, value: object) -> str:
    """Return a stated value as the metadata writes it: the country's code before its name
    (``IDN - Indonesia``), a year or version without a trailing ``.0``."""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    if key == "country":
        text = text.split(" - ", 1)[0].strip().upper()
    return text


def disagreements(
    metadata: dict[str, str], stated: list[Stated], file_name: str, visible: str | None
) -> list[Finding]:
    """Return an error for each hidden metadata value that a visible sheet states otherwise,
    and a warning for each that no visible sheet states (``visible`` names the sheet looked
    at, None when the workbook has none)."""
    findings: list[Finding] = []
    hidden_at = Location(file=file_name, sheet=METADATA_SHEET)
    for key in LABELS:
        hidden = metadata.get(key)
        if hidden is None:
            continue
        wanted = hidden.strip().upper() if key == "country" else hidden.strip()
        shown = [s for s in stated if s.key == key]
        for other in shown:
            if other.shown != wanted:
                findings.append(
                    F.MetadataDisagrees(
                        other.location,
                        key=key,
                        hidden=hidden,
                        hidden_sheet=METADATA_SHEET,
                        shown=other.shown,
                        place=f"{other.location.sheet}!{other.location.cell}",
                    )
                )
        if not shown:
            findings.append(
                F.MetadataUnconfirmed(
                    hidden_at,
                    key=key,
                    hidden=hidden,
                    hidden_sheet=METADATA_SHEET,
                    visible=visible or "none",
                )
            )
    return findings
