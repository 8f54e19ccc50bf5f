"""Robustness: at least 500 corrupted files, each checked and imported.

Every file gives findings or a one-line LindungError, never another exception, and the store
is unchanged (a full ordered dump of every table) after every rejected file.
"""

from __future__ import annotations

import csv
import time
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from lindung.errors import LindungError
from lindung.ingest import check_file, import_file, make_template
from lindung.ingest.reader import Limits
from lindung.store import transaction

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
