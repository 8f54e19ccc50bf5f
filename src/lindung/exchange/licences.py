"""The licence of each source an export holds, from the table shipped as data
(``lindung/data/reference/licences.csv``, its provenance in ``PROVENANCE.md`` beside it).

A row of the table is for a submission kind: ``reference`` rows are told apart by how the
observation's ``source`` starts (as ``lindung.ingest.reference`` writes it), ``national`` is
every kind a member state submits (``store.COUNTRY_KINDS``) and names the member state, and
``assessment`` (``store.AGGREGATE_KIND``) is Lindung's own regional figures. A reference
value whose source no row names is listed with its source and the provenance file to consult,
never dropped.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

from lindung.framework import Catalogue
from lindung.store.observations import StoredObservation
from lindung.store.schema import COUNTRY_KINDS, REFERENCE_KIND

TABLE = "licences.csv"
PACKAGE = "lindung.data.reference"
NATIONAL = "national"
UNRECORDED = "not in the licence table; see lindung/data/reference/PROVENANCE.md"


@dataclass(frozen=True)
class Licence:
    """One row of the licence table."""

    kind: str
    source_starts_with: str
    source: str
    licence: str
    provenance: str


@dataclass(frozen=True)
class SourceLicence:
    """One source present in an export: its name, licence, provenance and how many values."""

    source: str
    licence: str
    provenance: str
    observations: int


@cache
def licence_table() -> tuple[Licence, ...]:
    """Return the shipped licence table, in its order (the first matching row applies)."""
    text = resources.files(PACKAGE).joinpath(TABLE).read_text(encoding="utf-8")
    return tuple(Licence(**row) for row in csv.DictReader(io.StringIO(text)))


def _licence_of(row: StoredObservation, catalogue: Catalogue) -> tuple[str, str, str]:
    kind = row["submission_kind"]
    group = NATIONAL if kind in COUNTRY_KINDS else kind
    text = row["source"] or ""
    for entry in licence_table():
        if entry.kind != group:
            continue
        if group == REFERENCE_KIND and not text.startswith(entry.source_starts_with):
            continue
        area = catalogue.member_state(row["ref_area"]).name.en if group == NATIONAL else ""
        return entry.source.format(area=area), entry.licence, entry.provenance
    return text or kind, UNRECORDED, ""


def source_licences(rows: Iterable[StoredObservation], catalogue: Catalogue) -> list[SourceLicence]:
    """Return each source of ``rows`` with its licence and the number of its values, in the
    order of the licence table (national submissions by member state name)."""
    counts: dict[tuple[str, str, str], int] = {}
    for row in rows:
        key = _licence_of(row, catalogue)
        counts[key] = counts.get(key, 0) + 1
    order = {entry.source: index for index, entry in enumerate(licence_table())}
    national = next(e.source for e in licence_table() if e.kind == NATIONAL)

    def rank(key: tuple[str, str, str]) -> tuple[int, str]:
        if key[0] in order:
            return order[key[0]], key[0]
        if key[1] != UNRECORDED:
            return order[national], key[0]
        return len(order), key[0]

    return [SourceLicence(*key, counts[key]) for key in sorted(counts, key=rank)]


__all__ = ["Licence", "SourceLicence", "licence_table", "source_licences"]
