"""Fixtures for submissions: templates filled the way a focal point fills them, and users."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine, select

from lindung.framework import Catalogue, load_catalogue
from lindung.ingest import make_template, register_user
from lindung.ingest.layout import INSTRUCTIONS_SHEETS, METADATA_SHEET, WORKBOOK_COLUMNS
from lindung.store import DIMENSIONS, transaction
from lindung.store.schema import metadata

#: A small template: a coverage rate by sex, a count by sex and age, incidence by quintile,
#: and a formula indicator with its numerator and denominator.
INDICATORS = (
    "SI_COV_BENFTS",
    "SI_COV_SOCAST",
    "SI_COV_PENSN",
    "ASP_PENSN_BENEF",
    "ASP_POP_PENSAGE",
    "ASP_BENINC",
    "SI_POV_GINI",
)
PASSWORD = "correct horse battery"
USERS = {
    "fp.idn@example.org": ("focal_point", "IDN"),
    "fp.phl@example.org": ("focal_point", "PHL"),
    "secretariat@example.org": ("secretariat", None),
    "publisher@example.org": ("secretariat", None),
    "partner@example.org": ("partner", None),
}


@pytest.fixture(scope="session")
def catalogue() -> Catalogue:
    """Return the shipped catalogue."""
    return load_catalogue()


@pytest.fixture(scope="session")
def template_idn_2019(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Return a workbook template for Indonesia, 2019, of the small indicator set."""
    path = tmp_path_factory.mktemp("templates") / "IDN_2019.xlsx"
    make_template(path, country="IDN", year=2019, indicators=list(INDICATORS))
    return path


Entry = Mapping[str, Any]
Fill = Callable[..., dict[int, str]]


def _matches(row: dict[str, Any], entry: Entry) -> bool:
    if row["series"] != entry["series"]:
        return False
    return all(row[name] == entry.get(name, "_T") for name in DIMENSIONS)


def fill_workbook(
    template: Path, out: Path, entries: list[Entry], **metadata: str
) -> dict[int, str]:
    """Fill a template's rows as a focal point would; return each entry's 'Sheet!Cell'."""
    workbook = load_workbook(template)
    places: dict[int, str] = {}
    value_column = WORKBOOK_COLUMNS.index("value")
    for sheet in workbook.worksheets:
        if sheet.title.startswith("_") or sheet.title in INSTRUCTIONS_SHEETS.values():
            continue
        for cells in sheet.iter_rows(min_row=2):
            row = {name: cells[i].value for i, name in enumerate(WORKBOOK_COLUMNS)}
            for index, entry in enumerate(entries):
                if not _matches(row, entry):
                    continue
                for name in ("value", "nature", "source", "note", "unit"):
                    if name in entry:
                        cells[WORKBOOK_COLUMNS.index(name)].value = entry[name]
                places[index] = f"{sheet.title}!{cells[value_column].coordinate}"
    missing = [entries[i] for i in range(len(entries)) if i not in places]
    assert not missing, f"no template row for {missing}"
    meta = workbook[METADATA_SHEET]
    for cells in meta.iter_rows():
        if cells[0].value in metadata:
            cells[1].value = metadata[cells[0].value]
    # A template made for that country or year shows it on its instructions sheet too.
    shown = {"Country": "country", "Year": "year", "Template version": "template_version"}
    instructions = [workbook[name] for name in INSTRUCTIONS_SHEETS.values() if name in workbook]
    for cells in (row for sheet in instructions for row in sheet.iter_rows(max_row=12)):
        key = shown.get(str(cells[0].value))
        if key in metadata and len(cells) > 1:
            cells[1].value = metadata[key]
    workbook.save(out)
    return places


@pytest.fixture
def fill(template_idn_2019: Path, tmp_path: Path) -> Fill:
    """Return a function filling the IDN 2019 template into a new file in tmp_path."""

    def run(entries: list[Entry], name: str = "filled.xlsx", **metadata: str) -> dict[int, str]:
        return fill_workbook(template_idn_2019, tmp_path / name, entries, **metadata)

    return run


#: A coherent filling: every default rule holds on it.
CLEAN = [
    {"series": "SI_COV_BENFTS", "value": 56.0, "nature": "C", "source": "SUSENAS 2019"},
    {"series": "SI_COV_BENFTS", "sex": "F", "value": 52.0, "nature": "C"},
    {"series": "SI_COV_BENFTS", "sex": "M", "value": 60.0, "nature": "C"},
    {"series": "ASP_PENSN_BENEF", "value": 3_000_000},
    {"series": "ASP_POP_PENSAGE", "value": 20_000_000},
    {"series": "SI_COV_PENSN", "value": 15.0, "note": "3 000 000 / 20 000 000"},
]


@pytest.fixture
def users(engine: Engine) -> dict[str, dict[str, Any]]:
    """Create a focal point for Indonesia and one for the Philippines, the secretariat, a partner."""
    created = {}
    with transaction(engine) as connection:
        admin = register_user(
            connection, email="admin@example.org", role="admin", password=PASSWORD
        )
        for email, (role, country) in USERS.items():
            created[email] = register_user(
                connection, email=email, role=role, password=PASSWORD, country=country, by=admin
            )
    return created


def dump(engine: Engine) -> list[tuple[str, list[tuple[Any, ...]]]]:
    """Return every row of every table, ordered: the store's whole content, to compare."""
    with engine.connect() as connection:
        return [
            (
                table.name,
                [
                    tuple(row)
                    for row in connection.execute(
                        select(table).order_by(*table.primary_key.columns)
                    )
                ],
            )
            for table in metadata.sorted_tables
        ]
