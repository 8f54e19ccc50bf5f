"""Robustness: at least 500 corrupted files, each checked and imported, and hostile files.

Every file gives findings or a one-line LindungError, never another exception, and the store
is unchanged (a full ordered dump of every table) after every rejected file. Each hostile file
(a repeated column, cell or zip part, a hidden sheet, a device, a sparse giant...) is made
here from the clean files, never committed, and gives its own finding at its own place.
"""

from __future__ import annotations

import csv
import json
import os
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from lindung.errors import LindungError
from lindung.ingest import check_file, file_hash, import_file, make_template
from lindung.ingest.annotate import annotate_workbook
from lindung.ingest.reader import Limits
from lindung.store import transaction

from . import corruptions as C
from .conftest import CLEAN, dump, fill_workbook
from .corruptions import Corruptor

FILES = int(__import__("os").environ.get("FUZZ_FILES", "520"))
ACTOR = "secretariat@example.org"
#: Tighter caps than the defaults, so that the zip-bomb and row limits are reached quickly.
LIMITS = Limits(max_file_bytes=2_000_000, max_unzipped_bytes=5_000_000, max_rows=2_000)


def _clean_csv(path: Path) -> None:
    make_template(
        path,
        country="IDN",
        year=2019,
        indicators=["SI_COV_BENFTS", "ASP_PENSN_BENEF"],
        file_format="csv",
    )
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    values = {
        ("SI_COV_BENFTS", "_T"): "56",
        ("SI_COV_BENFTS", "F"): "52",
        ("SI_COV_BENFTS", "M"): "60",
        ("ASP_PENSN_BENEF", "_T"): "3000000",
    }
    for row in rows:
        row["value"] = values.get((row["series"], row["sex"]), "")
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture(scope="module")
def corrupted(tmp_path_factory: pytest.TempPathFactory) -> list[tuple[str, Path]]:
    """Return the corrupted files (made once, fed to each engine) and what each one breaks."""
    folder = tmp_path_factory.mktemp("fuzz")
    template = folder / "template.xlsx"
    make_template(
        template,
        country="IDN",
        year=2019,
        indicators=["SI_COV_BENFTS", "SI_COV_PENSN", "ASP_PENSN_BENEF", "ASP_POP_PENSAGE"],
    )
    clean = folder / "clean.xlsx"
    fill_workbook(template, clean, CLEAN)
    table = folder / "clean.csv"
    _clean_csv(table)
    corruptor = Corruptor(clean, table, folder, seed=20251128)
    return [corruptor.make() for _ in range(FILES)]


@pytest.mark.slow
def test_corrupted_files_give_findings_or_a_clear_error_and_leave_the_store_unchanged(
    engine: Engine, users: dict[str, Any], corrupted: list[tuple[str, Path]]
) -> None:
    started = time.perf_counter()
    rejected = accepted = 0
    baseline = dump(engine)
    for what, path in corrupted:
        with transaction(engine) as connection:
            report = check_file(path, connection=connection, limits=LIMITS)
        assert report.findings or report.observations, what
        try:
            result = import_file(engine, path, actor=ACTOR, limits=LIMITS)
        except LindungError as error:
            assert "\n" not in str(error), what
            assert not report.ok, (what, str(error))
            assert dump(engine) == baseline, f"store changed after rejecting {path.name}: {what}"
            rejected += 1
            continue
        assert report.ok, f"{path.name} ({what}) imported despite {report.errors[:1]}"
        accepted += 1
        if result.created:
            baseline = dump(engine)
    elapsed = time.perf_counter() - started
    assert rejected + accepted == FILES >= 500 and rejected >= 300
    print(f"\n{FILES} corrupted files: {rejected} rejected, {accepted} accepted, {elapsed:.1f} s")


# Hostile files, generated here from the clean ones: each one is a finding at its place (or is
# read in full, as a spreadsheet shows it), and a rejected one leaves the store as it was.
CONTEXT = "xl/worksheets/sheet3.xml"
HOSTILE: dict[str, tuple[Callable[[Path, Path, Path], Path], str, str]] = {
    "second series column": (
        lambda x, c, o: C.second_column(x, o, "series", "SI_COV_PENSN"),
        "duplicate-column",
        "Coverage, row 1",
    ),
    "second series column in a CSV": (
        lambda x, c, o: C.second_csv_column(c, o, "series", "SI_COV_PENSN"),
        "duplicate-column",
        "row 1",
    ),
    "second time_period column in a CSV": (
        lambda x, c, o: C.second_csv_column(c, o, "time_period", "2020"),
        "duplicate-column",
        "row 1",
    ),
    "second ref_area column in a CSV": (
        lambda x, c, o: C.second_csv_column(c, o, "ref_area", "PHL"),
        "duplicate-column",
        "row 1",
    ),
    "a time_period column in a workbook, whose year is the template's": (
        lambda x, c, o: C.second_column(x, o, "time_period", "2020"),
        "key-column-in-workbook",
        "Coverage!Q1",
    ),
    "a ref_area column in a workbook, whose country is the template's": (
        lambda x, c, o: C.second_column(x, o, "ref_area", "PHL"),
        "key-column-in-workbook",
        "Coverage!Q1",
    ),
    "a Year column in a workbook": (
        lambda x, c, o: C.second_column(x, o, "Year", "2020"),
        "key-column-in-workbook",
        "Coverage!Q1",
    ),
    "a year column in a CSV, whose rows' year is time_period": (
        lambda x, c, o: C.second_csv_column(c, o, "year", "2020"),
        "key-column-in-csv",
        "row 1, year",
    ),
    "a Country column in a CSV, whose rows' country is ref_area": (
        lambda x, c, o: C.second_csv_column(c, o, "Country", "PHL"),
        "key-column-in-csv",
        "row 1, Country",
    ),
    "second series column in capitals": (
        lambda x, c, o: C.second_column(x, o, "SERIES", "SI_COV_PENSN"),
        "duplicate-column",
        "Coverage, row 1",
    ),
    "second value column": (
        lambda x, c, o: C.second_column(x, o, "value", "99"),
        "duplicate-column",
        "Coverage, row 1",
    ),
    "second sex column": (
        lambda x, c, o: C.second_column(x, o, "sex", "F"),
        "duplicate-column",
        "Coverage, row 1",
    ),
    "second series column in a CSV, capitalised": (
        lambda x, c, o: C.second_csv_column(c, o, "Series", "SI_COV_PENSN"),
        "duplicate-column",
        "row 1",
    ),
    "second series column in a CSV behind a zero-width space": (
        lambda x, c, o: C.second_csv_column(c, o, "series\u200b", "SI_COV_PENSN"),
        "duplicate-column",
        "row 1",
    ),
    "second value column in a CSV behind a no-break space": (
        lambda x, c, o: C.second_csv_column(c, o, "\u00a0value", "99"),
        "duplicate-column",
        "row 1",
    ),
    "a note of two million characters in a CSV": (
        lambda x, c, o: C.csv_cell(c, o, 3, "note", "n" * 2_000_000),
        "cell-too-large",
        "row 3",
    ),
    "a quote never closed in a CSV, running the rest of the file into one cell": (
        lambda x, c, o: C.csv_cell(c, o, 2, "note", '"' + "see below\n" * 20_000),
        "cell-too-large",
        "row 2",
    ),
    "a column name of two million characters in a CSV": (
        lambda x, c, o: C.csv_cell(c, o, 1, "note", "n" * 2_000_000),
        "cell-too-large",
        "row 1",
    ),
    "a million shared texts": (
        lambda x, c, o: C.many_shared_strings(x, o, 1_000_000),
        "too-many-entries",
        "hostile.xlsx",
    ),
    "450,000 cell styles": (
        lambda x, c, o: C.many_styles(x, o, 450_000),
        "too-many-entries",
        "hostile.xlsx",
    ),
    "a zip part stored twice": (
        lambda x, c, o: C.repeated_part(x, o),
        "duplicate-part",
        "hostile.xlsx",
    ),
    "an entity declared in a sheet's XML": (
        lambda x, c, o: C.declared_entities(x, o),
        "not-a-workbook",
        "hostile.xlsx",
    ),
    "a cell stored twice": (lambda x, c, o: C.repeated_cell(x, o), "duplicate-cell", "Coverage!M2"),
    "rows out of order": (
        lambda x, c, o: C.rows_out_of_order(x, o),
        "rows-out-of-order",
        "Coverage, row 2",
    ),
    "values on a hidden sheet": (
        lambda x, c, o: C.hidden_sheet(x, o, "hidden"),
        "hidden-sheet",
        "Coverage",
    ),
    "values on a very hidden sheet": (
        lambda x, c, o: C.hidden_sheet(x, o, "veryHidden"),
        "hidden-sheet",
        "Coverage",
    ),
    "half a million empty cells": (
        lambda x, c, o: C.tiny_cells(x, o, 500_000),
        "too-many-cells",
        "hostile.xlsx",
    ),
    "a right-to-left override written as an OOXML escape": (
        lambda x, c, o: C.with_cell(x, o, "P2", "see _x202E_txt.exe"),
        "control-characters",
        "Coverage!P2",
    ),
    "a right-to-left mark": (
        lambda x, c, o: C.with_cell(x, o, "P2", "SUSENAS\u200f 2019"),
        "control-characters",
        "Coverage!P2",
    ),
    "tag characters": (
        lambda x, c, o: C.with_cell(x, o, "P2", "ok\U000e0041\U000e0042"),
        "control-characters",
        "Coverage!P2",
    ),
    "a population of 1.7e308": (
        lambda x, c, o: C.with_cell(x, o, "M5", 1.7e308, member=CONTEXT),
        "implausible-value",
        "Context!M5",
    ),
    "ten billion pensioners": (
        lambda x, c, o: C.with_cell(x, o, "M2", 2e10, member=CONTEXT),
        "implausible-value",
        "Context!M2",
    ),
}


@pytest.fixture(scope="module")
def sources(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return the clean workbook and the clean CSV the hostile files are made from."""
    folder = tmp_path_factory.mktemp("hostile")
    template = folder / "template.xlsx"
    make_template(
        template,
        country="IDN",
        year=2019,
        indicators=["SI_COV_BENFTS", "SI_COV_PENSN", "ASP_PENSN_BENEF", "ASP_POP_PENSAGE"],
    )
    clean = folder / "clean.xlsx"
    fill_workbook(template, clean, CLEAN)
    table = folder / "clean.csv"
    _clean_csv(table)
    return clean, table


def _found(report: Any) -> set[tuple[str, str]]:
    return {(f.as_dict()["code"], f.location.describe()) for f in report.findings}


@pytest.mark.parametrize("case", sorted(HOSTILE))
def test_a_hostile_file_is_a_finding_at_its_place_and_changes_nothing(
    case: str,
    sources: tuple[Path, Path],
    tmp_path: Path,
    engine: Engine,
    users: dict[str, Any],
) -> None:
    make, code, where = HOSTILE[case]
    clean, table = sources
    suffix = ".csv" if "CSV" in case else ".xlsx"
    path = make(clean, table, tmp_path / f"hostile{suffix}")
    report = check_file(path)
    assert (code, where) in _found(report), (case, _found(report))
    assert not report.ok
    baseline = dump(engine)
    with pytest.raises(LindungError):
        import_file(engine, path, actor=ACTOR)
    assert dump(engine) == baseline


def test_a_year_column_in_a_workbook_says_where_the_year_is_taken_from(
    sources: tuple[Path, Path], tmp_path: Path
) -> None:
    clean, table = sources
    report = check_file(C.second_column(clean, tmp_path / "year.xlsx", "time_period", "2020"))
    (finding,) = [f for f in report.findings if f.code == "key-column-in-workbook"]
    assert finding.severity == "error"
    assert "2019" in finding.message() and "'_lindung'" in finding.message()
    assert "--year YYYY" in finding.fix()
    assert "2019" in finding.message("id")
    # In a CSV such a column is not read either: each row's year is its time_period.
    in_csv = check_file(C.second_csv_column(table, tmp_path / "year.csv", "year", "2020"))
    (csv_finding,) = [f for f in in_csv.findings if f.code == "key-column-in-csv"]
    assert "'time_period'" in csv_finding.fix()


@pytest.mark.parametrize("rich", [False, True])
def test_texts_shared_as_excel_writes_them_read_as_the_inline_ones(
    sources: tuple[Path, Path], tmp_path: Path, rich: bool
) -> None:
    clean, _ = sources
    shared = C.shared_strings(clean, tmp_path / "shared.xlsx", rich=rich)
    with zipfile.ZipFile(shared) as archive:
        assert b"inlineStr" not in archive.read(C.COVERAGE)
    report, expected = check_file(shared), check_file(clean)
    assert report.findings == expected.findings == []
    assert report.observations == expected.observations
    assert {o["source"] for o in report.observations} == {"SUSENAS 2019", None}


@pytest.mark.parametrize("lead", [" ", "\u00a0", "\u3000", "\n", "\r"])
@pytest.mark.parametrize("payload", ["=cmd|'/c calc'!A0", "+1+cmd", "@SUM(A1)"])
def test_a_formula_behind_leading_whitespace_in_a_workbook_is_refused_and_not_stored(
    sources: tuple[Path, Path],
    tmp_path: Path,
    engine: Engine,
    users: dict[str, Any],
    lead: str,
    payload: str,
) -> None:
    clean, _ = sources
    path = C.with_cell(clean, tmp_path / "formula.xlsx", "O2", lead + payload)
    report = check_file(path)
    assert ("formula-injection", "Coverage!O2") in _found(report)
    baseline = dump(engine)
    with pytest.raises(LindungError):
        import_file(engine, path, actor=ACTOR)
    assert dump(engine) == baseline


def test_rows_beyond_a_stale_dimension_are_read_as_a_spreadsheet_shows_them(
    sources: tuple[Path, Path], tmp_path: Path
) -> None:
    clean, _ = sources
    stale = C.stale_dimension(clean, tmp_path / "stale.xlsx")
    assert check_file(stale).observations == check_file(clean).observations
    # The row limit counts those rows too: with room for three rows, the sheet's six are too many.
    assert "too-many-rows" in {
        f.code for f in check_file(stale, limits=Limits(max_rows=3)).findings
    }


def test_a_renamed_sheet_says_its_values_were_read_in_place_of_the_missing_one(
    sources: tuple[Path, Path], tmp_path: Path
) -> None:
    clean, _ = sources
    report = check_file(C.renamed_sheet(clean, tmp_path / "renamed.xlsx"))
    codes = [f.code for f in report.findings]
    assert codes == ["sheet-renamed"]
    assert "'Coverage'" in report.findings[0].message()
    assert len(report.observations) == len(CLEAN)


class _Hang(Exception):
    pass


def _within(seconds: int) -> Any:
    """Return a context in which a call that hangs fails the test instead of the suite."""
    import contextlib
    import signal

    @contextlib.contextmanager
    def limit() -> Any:
        def stop(*_: Any) -> None:
            raise _Hang(f"still running after {seconds} s")

        previous = signal.signal(signal.SIGALRM, stop)
        signal.alarm(seconds)
        try:
            yield
        finally:
            signal.alarm(0)
            signal.signal(signal.SIGALRM, previous)

    return limit()


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "fifo"])
def test_a_device_or_a_pipe_is_refused_at_once_by_check_and_import(
    device: str, tmp_path: Path, engine: Engine, users: dict[str, Any]
) -> None:
    path = tmp_path / "IDN_2019.xlsx"
    if device == "fifo":
        os.mkfifo(path)
    else:
        path.symlink_to(device)
    baseline = dump(engine)
    with _within(10):
        report = check_file(path)
        with pytest.raises(LindungError, match="not a regular file"):
            import_file(engine, path, actor=ACTOR)
    assert [f.code for f in report.findings] == ["not-a-regular-file"]
    assert dump(engine) == baseline


def test_a_sparse_10_gb_file_is_refused_by_its_size_without_being_read(tmp_path: Path) -> None:
    path = tmp_path / "IDN_2019.csv"
    with path.open("wb") as handle:
        handle.truncate(10 * 10**9)
    started = time.perf_counter()
    report = check_file(path)
    with pytest.raises(LindungError, match="limit"):
        file_hash(path)
    assert [f.code for f in report.findings] == ["file-too-large"]
    assert time.perf_counter() - started < 2


def test_a_header_of_a_million_names_is_refused_quickly_in_one_finding(tmp_path: Path) -> None:
    path = tmp_path / "wide.csv"
    path.write_text(",".join(f"c{i}" for i in range(1_000_000)) + "\n", encoding="utf-8")
    started = time.perf_counter()
    report = check_file(path)
    assert [f.code for f in report.findings] == ["too-many-columns"]
    assert time.perf_counter() - started < 5


def test_a_flood_of_findings_is_stored_as_the_first_ones_and_a_count(
    sources: tuple[Path, Path], tmp_path: Path
) -> None:
    _, table = sources
    lines = table.read_text(encoding="utf-8").splitlines()
    header, first = lines[0], lines[1].split(",")
    value = header.split(",").index("value")
    rows = []
    for number in range(3000):
        row = list(first)
        row[value] = f"about {number}"
        rows.append(",".join(row))
    path = tmp_path / "flood.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    report = check_file(path)
    stored = report.as_dict()
    assert stored["errors"] == 3000
    assert len(stored["findings"]) == Limits().max_findings + 1
    assert stored["findings"][-1]["code"] == "findings-truncated"
    assert (
        "3,000" in stored["findings"][-1]["message"] or "3000" in stored["findings"][-1]["message"]
    )
    assert len(json.dumps(stored)) < 2_000_000


@pytest.mark.parametrize(
    ("make", "limit"),
    [
        (lambda x, o: C.tiny_cells(x, o, 500_000), "cells"),
        (lambda x, o: C.many_shared_strings(x, o, 1_000_000), "entries"),
        (lambda x, o: C.many_styles(x, o, 450_000), "entries"),
    ],
)
def test_annotate_refuses_a_workbook_over_a_limit_quickly_and_leaves_no_file(
    sources: tuple[Path, Path], tmp_path: Path, make: Callable[[Path, Path], Path], limit: str
) -> None:
    clean, _ = sources
    huge = make(clean, tmp_path / "huge.xlsx")
    target = tmp_path / "annotated.xlsx"
    started = time.perf_counter()
    with pytest.raises(LindungError, match=limit):
        annotate_workbook(huge, check_file(huge).findings, target)
    assert time.perf_counter() - started < 10
    assert sorted(p.name for p in tmp_path.iterdir()) == ["huge.xlsx"]
