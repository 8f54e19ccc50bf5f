"""``lindung registry synth``: the same seed gives the same files, and they look like a registry."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import pytest

from lindung.registry import CoverageOptions, Program, registry_coverage
from lindung.registry.synth import PROGRAMS, SYNTH_PERIODS, synthetic_registry

PERSONS = 20_000


def _sorted_rows(path: Path) -> list[tuple[Any, ...]]:
    return duckdb.sql(f"SELECT * FROM read_parquet('{path}') ORDER BY ALL").fetchall()


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("synth")
    synthetic_registry(PERSONS, 11, out, threads=2)
    return out


def test_the_same_seed_writes_the_same_registry_and_lists(
    written: Path, tmp_path: Path, cli: Callable[..., Any]
) -> None:
    done = cli(
        "registry",
        "synth",
        "--persons",
        str(PERSONS),
        "--seed",
        "11",
        "--out",
        str(tmp_path),
        "--threads",
        "1",
    )
    assert done.exit_code == 0, done.stderr
    assert f"wrote {PERSONS:,} persons" in done.stdout
    for name in ["registry", *PROGRAMS]:
        assert _sorted_rows(tmp_path / f"{name}.parquet") == _sorted_rows(
            written / f"{name}.parquet"
        ), name


def test_another_seed_writes_another_registry(written: Path, tmp_path: Path) -> None:
    synthetic_registry(2_000, 12, tmp_path)
    first = _sorted_rows(written / "registry.parquet")[:2_000]
    assert _sorted_rows(tmp_path / "registry.parquet") != first


def test_the_registry_has_exactly_the_persons_asked_for_in_realistic_households(
    written: Path,
) -> None:
    registry = written / "registry.parquet"
    persons, ids, households, poor, disabled = duckdb.sql(
        f"SELECT count(*), count(DISTINCT person_id), count(DISTINCT household_id), "
        f"avg(poor::INT), avg(disability::INT) FROM read_parquet('{registry}')"
    ).fetchall()[0]
    assert persons == ids == PERSONS
    assert 3.3 < persons / households < 3.9  # SUSENAS: about 3.6 persons per household
    assert 0.06 < poor < 0.14  # Indonesia's poverty rate is about 9 %
    assert 0.01 < disabled < 0.06
    sizes = duckdb.sql(
        f"SELECT count(*) FROM read_parquet('{registry}') GROUP BY region ORDER BY 1"
    ).fetchall()
    assert len(sizes) == 34
    assert sizes[-1][0] > 20 * sizes[0][0]  # regions of very unequal size


def test_the_programs_leak_and_miss_and_their_lists_hold_dirty_rows(written: Path) -> None:
    programs = [Program(code, written / f"{code}.parquet") for code in PROGRAMS]
    result = registry_coverage(
        written / "registry.parquet",
        programs,
        CoverageOptions(year=2026, periods=SYNTH_PERIODS),
    )
    totals = result.table[result.table.by == "_T"].set_index("program")
    for code in PROGRAMS:
        assert 0 < totals.loc[code, "inclusion_error"] < 0.5
        assert 0.2 < totals.loc[code, "exclusion_error"] < 1
    quality = result.quality.set_index("program")
    assert (quality.loc["PKH", ["unknown_ids", "duplicate_rows"]] > 0).all()
    assert (quality.loc["BPNT", ["unknown_ids", "duplicate_rows", "nonpositive_amounts"]] > 0).all()
    assert (quality.loc[:, "valid_rows"] < quality.loc[:, "rows"]).all()
