"""``lindung registry coverage --store``: the counts become observations of a draft run, recorded
by an authorised user with the registry file's hash."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from lindung.store import make_engine, upgrade
from lindung.store.schema import observations, survey_runs

PASSWORD = "a-long-password\n"


@pytest.fixture
def store(tmp_path: Path, cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'store.sqlite'}"
    monkeypatch.setenv("LINDUNG_DATABASE_URL", url)
    upgrade(make_engine(url))
    for command in (
        ("user", "add", "admin@example.org", "--role", "admin"),
        ("login", "admin@example.org"),
        ("user", "add", "fp@example.org", "--role", "focal_point", "--country", "PHL"),
        ("login", "fp@example.org"),
    ):
        done = cli(*command, stdin=PASSWORD)
        assert done.exit_code == 0, done.stderr
    return url


def _coverage(small_registry: dict[str, Path], *extra: str) -> tuple[str, ...]:
    return (
        "registry",
        "coverage",
        "--registry",
        str(small_registry["registry"]),
        "--beneficiaries",
        f"CCT={small_registry['cct']}",
        "--year",
        "2026",
        "--by",
        "sex,region",
        "--periods",
        "2026-01:2026-12",
        *extra,
    )


def test_store_records_coverage_and_targeting_errors_in_percent_once(
    small_registry: dict[str, Path], store: str, cli: Callable[..., Any]
) -> None:
    # Another country's focal point is refused before anything is counted.
    refused = cli(
        *_coverage(small_registry, "--store", "--country", "IDN", "--as", "fp@example.org")
    )
    assert refused.exit_code == 3
    assert "focal point for PHL and cannot store registry counts for IDN" in refused.stderr
    assert "counted" not in refused.stdout
    args = _coverage(small_registry, "--store", "--country", "IDN", "--as", "admin@example.org")
    first = cli(*args)
    assert first.exit_code == 0, first.stderr
    assert "stored as run 1" in first.stdout
    assert "not stored (no store dimension)" in first.stderr  # the regions
    assert "already stored as run 1" in cli(*args).stdout
    with make_engine(store).connect() as connection:
        rows = connection.execute(select(observations)).mappings().all()
        run = connection.execute(select(survey_runs)).mappings().one()
    stored = {(row["series"], row["sex"]): row for row in rows}
    # Hand count (test_coverage.py): CCT covers 7 of 10, leaks 2 of 7, misses 1 of 6 eligible;
    # women: 4 of 6 covered, 1 of 4 beneficiaries not eligible.
    assert stored[("ASP_REG_COV", "_T")]["value"] == pytest.approx(70.0)
    assert stored[("ASP_REG_INCERR", "_T")]["value"] == pytest.approx(100 * 2 / 7)
    assert stored[("ASP_REG_EXCERR", "_T")]["value"] == pytest.approx(100 / 6)
    assert stored[("ASP_REG_COV", "F")]["value"] == pytest.approx(100 * 4 / 6)
    assert stored[("ASP_REG_INCERR", "F")]["value"] == pytest.approx(25.0)
    assert {row["program"] for row in rows} == {"CCT"}
    assert {(row["nature"], row["ref_area"], row["time_period"]) for row in rows} == {
        ("C", "IDN", 2026)
    }
    assert len(rows) == 3 * 3  # three series for the total, women and men
    registry_bytes = small_registry["registry"].read_bytes()
    assert run["data_hash"] == hashlib.sha256(registry_bytes).hexdigest()


def test_store_without_a_login_is_refused_before_counting(
    small_registry: dict[str, Path],
    tmp_path: Path,
    cli: Callable[..., Any],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"sqlite:///{tmp_path / 'nobody.sqlite'}"
    monkeypatch.setenv("LINDUNG_DATABASE_URL", url)
    monkeypatch.setenv("LINDUNG_CONFIG_DIR", str(tmp_path / "config"))
    upgrade(make_engine(url))
    done = cli(*_coverage(small_registry, "--store", "--country", "IDN"))
    assert done.exit_code == 3
    assert "log in first" in done.stderr
    assert "counted" not in done.stdout


def test_country_without_store_is_a_usage_error(
    small_registry: dict[str, Path], cli: Callable[..., Any]
) -> None:
    done = cli(*_coverage(small_registry, "--country", "IDN"))
    assert done.exit_code == 2
    assert "--country is for --store" in done.stderr
