"""``lindung demo --no-serve`` prepares a store with something to show, once."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from lindung.store import get_survey_run, list_submissions, make_engine, transaction
from lindung.store.schema import metadata
from lindung.store.users import list_users, verify_password

Run = Callable[..., Any]


def row_counts(url: str) -> dict[str, int]:
    engine = make_engine(url)
    with engine.connect() as connection:
        counts = {
            table.name: connection.execute(select(func.count()).select_from(table)).scalar_one()
            for table in metadata.sorted_tables
        }
    engine.dispose()
    return counts


@pytest.mark.slow
def test_the_demo_prepares_users_a_published_survey_run_and_sample_submissions_once(
    cli: Run,
    tmp_path: Path,
    saved_logins: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = f"sqlite:///{tmp_path / 'demo.sqlite'}"
    monkeypatch.setenv("LINDUNG_DATABASE_URL", url)
    first = cli("demo", "--no-serve")
    assert first.exit_code == 0, first.stderr

    printed = dict(re.findall(r"│ (\S+@example\.org)\s+│.*│ (\S+)\s+│\n", first.stdout))
    kept = saved_logins / "demo-accounts.json"
    assert kept.stat().st_mode & 0o777 == 0o600
    assert printed == json.loads(kept.read_text(encoding="utf-8"))
    engine = make_engine(url)
    with transaction(engine) as connection:
        roles = {(u["email"], u["role"], u["country"]) for u in list_users(connection)}
        assert {(u[0], u[1]) for u in roles} >= {
            ("admin@example.org", "admin"),
            ("secretariat@example.org", "secretariat"),
            ("focal.phl@example.org", "focal_point"),
            ("partner@example.org", "partner"),
        }
        assert all(verify_password(connection, email, printed[email]) for email in printed)
        states = {
            (s["kind"], s["ref_area"]): s["status"]
            for s in list_submissions(connection, kinds=["template", "survey"])
        }
        run = get_survey_run(connection, 1)
    engine.dispose()
    assert states == {
        ("template", "PHL"): "published",
        ("template", "IDN"): "published",
        ("template", "VNM"): "submitted",
        ("survey", "IDN"): "published",
    }
    assert run is not None

    before = row_counts(url)
    again = cli("demo", "--no-serve")
    assert again.exit_code == 0, again.stderr
    assert "already there" in again.stdout
    after = row_counts(url)
    assert after == before
    assert printed == json.loads(kept.read_text(encoding="utf-8"))


def test_the_demo_refuses_a_store_that_already_has_other_users(
    cli: Run, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINDUNG_DATABASE_URL", f"sqlite:///{tmp_path / 'own.sqlite'}")
    assert cli("db", "init").exit_code == 0
    added = cli("user", "add", "boss@example.org", "--role", "admin", stdin="a-long-password\n")
    assert added.exit_code == 0, added.stderr
    refused = cli("demo", "--no-serve")
    assert refused.exit_code == 2
    assert "run the demo on its own store" in refused.stderr
