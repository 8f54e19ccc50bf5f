"""`lindung submission import`: atomic, idempotent by file hash, a new version each time."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import Engine

from lindung.errors import PermissionDenied, ValidationFailed
from lindung.ingest import Imported, check_file, import_file, make_template
from lindung.store import history, list_submissions, transaction

from .conftest import CLEAN, INDICATORS, Fill, dump, fill_workbook


def _values(engine: Engine, submission_id: int) -> dict[tuple[str, str], float]:
    with transaction(engine) as connection:
        rows = history(connection, areas=["IDN"])
    return {
        (r["series"], r["sex"]): r["value"] for r in rows if r["submission_id"] == submission_id
    }


def test_import_stores_every_value_as_a_draft_of_the_country_and_year(
    engine: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    fill(CLEAN)
    result = import_file(engine, tmp_path / "filled.xlsx", actor="fp.idn@example.org")
    submission = result.submission
    assert result.created
    assert (submission["kind"], submission["ref_area"], submission["time_period"]) == (
        "template",
        "IDN",
        2019,
    )
    assert (submission["version"], submission["status"]) == (1, "draft")
    assert submission["created_by"] == users["fp.idn@example.org"]["id"]
    assert submission["validation_report"]["errors"] == 0
    values = _values(engine, submission["id"])
    assert len(values) == len(CLEAN)
    assert values[("SI_COV_BENFTS", "F")] == 52.0


def test_a_template_made_in_bahasa_indonesia_checks_and_imports_cleanly(
    engine: Engine, users: dict[str, Any], tmp_path: Path
) -> None:
    template = tmp_path / "IDN_2019_id.xlsx"
    make_template(template, country="IDN", year=2019, indicators=list(INDICATORS), language="id")
    assert load_workbook(template).sheetnames[0] == "Petunjuk"
    filled = tmp_path / "terisi.xlsx"
    fill_workbook(template, filled, CLEAN)
    # The "Petunjuk" sheet is skipped as "Instructions" is: no "sheet-ignored" warning.
    assert check_file(filled).findings == []
    result = import_file(engine, filled, actor="fp.idn@example.org")
    assert result.created and result.submission["validation_report"]["warnings"] == 0
    values = _values(engine, result.submission["id"])
    assert len(values) == len(CLEAN)
    assert values[("SI_COV_BENFTS", "F")] == 52.0


def test_the_same_file_twice_is_one_submission(
    engine: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    fill(CLEAN)
    first = import_file(engine, tmp_path / "filled.xlsx", actor="fp.idn@example.org")
    before = dump(engine)
    again = import_file(engine, tmp_path / "filled.xlsx", actor="secretariat@example.org")
    assert not again.created and again.submission["id"] == first.submission["id"]
    assert dump(engine) == before


def test_a_corrected_file_is_a_new_version_and_the_earlier_one_stays_readable(
    engine: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    fill(CLEAN, name="v1.xlsx")
    corrected = [dict(CLEAN[0], value=57.0), *CLEAN[1:]]
    fill(corrected, name="v2.xlsx")
    v1 = import_file(engine, tmp_path / "v1.xlsx", actor="fp.idn@example.org").submission
    v2 = import_file(engine, tmp_path / "v2.xlsx", actor="fp.idn@example.org").submission
    assert (v1["version"], v2["version"]) == (1, 2)
    assert _values(engine, v1["id"])[("SI_COV_BENFTS", "_T")] == 56.0
    assert _values(engine, v2["id"])[("SI_COV_BENFTS", "_T")] == 57.0


def test_a_file_with_an_error_stores_nothing_and_says_where_in_one_line(
    engine: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    places = fill([*CLEAN, {"series": "SI_POV_GINI", "value": 380.0}])
    before = dump(engine)
    with pytest.raises(ValidationFailed) as raised:
        import_file(engine, tmp_path / "filled.xlsx", actor="fp.idn@example.org")
    message = str(raised.value)
    assert "\n" not in message and places[len(CLEAN)] in message
    assert "nothing was stored" in message
    assert len(raised.value.findings) == 1
    assert dump(engine) == before


@pytest.mark.parametrize(
    ("actor", "reason"),
    [
        ("fp.phl@example.org", "focal point for PHL"),
        ("partner@example.org", "role partner"),
        ("nobody@example.org", "no user"),
    ],
)
def test_only_the_countrys_focal_point_or_the_secretariat_may_import(
    engine: Engine,
    users: dict[str, Any],
    fill: Fill,
    tmp_path: Path,
    actor: str,
    reason: str,
) -> None:
    fill(CLEAN)
    before = dump(engine)
    with pytest.raises(PermissionDenied, match=reason):
        import_file(engine, tmp_path / "filled.xlsx", actor=actor)
    assert dump(engine) == before
    assert import_file(engine, tmp_path / "filled.xlsx", actor="secretariat@example.org").created


def test_a_focal_point_of_another_country_is_told_whom_to_ask_in_plain_words(
    engine: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    fill(CLEAN)
    with pytest.raises(PermissionDenied) as raised:
        import_file(engine, tmp_path / "filled.xlsx", actor="fp.phl@example.org")
    assert str(raised.value) == (
        "fp.phl@example.org is the focal point for PHL and cannot import data for IDN; "
        "ask IDN's focal point or the secretariat"
    )


def _race(engine: Engine, files: list[Path]) -> list[Imported]:
    """Import the files from one thread each, all released at the same moment."""
    barrier = threading.Barrier(len(files))
    results: list[Imported] = []
    errors: list[BaseException] = []

    def run(path: Path) -> None:
        barrier.wait()
        try:
            results.append(import_file(engine, path, actor="fp.idn@example.org"))
        except BaseException as error:  # reported by the assertion below
            errors.append(error)

    threads = [threading.Thread(target=run, args=(path,)) for path in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def test_concurrent_imports_for_one_country_on_postgresql_keep_every_version(
    engine: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; the version race exists on PostgreSQL")
    files = []
    for number in range(4):
        name = f"v{number}.xlsx"
        fill([dict(CLEAN[0], value=53.0 + number), *CLEAN[1:]], name=name)
        files.append(tmp_path / name)
    _race(engine, files)
    with transaction(engine) as connection:
        stored = list_submissions(connection, ref_area="IDN", kind="template")
    assert sorted(s["version"] for s in stored) == [1, 2, 3, 4]
    totals = sorted(_values(engine, s["id"])[("SI_COV_BENFTS", "_T")] for s in stored)
    assert totals == [53.0, 54.0, 55.0, 56.0]


def test_the_same_file_imported_twice_at_once_on_postgresql_is_one_submission(
    engine: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; the race exists on PostgreSQL")
    fill(CLEAN)
    results = _race(engine, [tmp_path / "filled.xlsx"] * 3)
    assert len({r.submission["id"] for r in results}) == 1
    assert sorted(r.created for r in results) == [False, False, True]
    with transaction(engine) as connection:
        assert len(list_submissions(connection, ref_area="IDN", kind="template")) == 1
