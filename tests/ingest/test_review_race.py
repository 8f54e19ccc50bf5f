"""Review steps cannot race: eight processes taking steps on one submission at the same moment
on PostgreSQL; exactly one wins, the others are told who won and when, and the audit log holds
one entry per step taken.

To make "the same moment" certain rather than likely, the test holds the submission's row lock
until every process has read the submission and is waiting to write it, then lets them all go.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import uuid
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, text

from lindung.ingest import import_file, move
from lindung.store import audit_entries, get_submission, transaction
from lindung.store.audit import AuditEntry

from .conftest import CLEAN, Fill

PROCESSES = 8

#: One process: take the step, print what happened as JSON.
STEP = """
import json, sys
from lindung.errors import LindungError
from lindung.ingest import move
from lindung.store import make_engine, transaction
url, number, action, actor = sys.argv[1:5]
engine = make_engine(url)
try:
    with transaction(engine) as connection:
        move(connection, int(number), action, actor=actor, note="race")
    print(json.dumps({"action": action, "won": True}))
except LindungError as error:
    print(json.dumps({"action": action, "won": False, "error": str(error)}))
"""


def _race(engine: Engine, number: int, steps: list[tuple[str, str]]) -> list[dict[str, Any]]:
    name = f"lindung-race-{uuid.uuid4().hex[:8]}"
    url = engine.url.update_query_dict({"application_name": name}).render_as_string(
        hide_password=False
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(sys.path)}
    with engine.connect() as holder:
        holder.execute(text("SELECT id FROM submissions WHERE id = :id FOR UPDATE"), {"id": number})
        processes = [
            subprocess.Popen(
                [sys.executable, "-c", STEP, url, str(number), action, actor],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                env=env,
            )
            for action, actor in steps
        ]
        waiting = (
            "SELECT count(*) FROM pg_stat_activity "
            "WHERE application_name = :name AND wait_event_type = 'Lock'"
        )
        deadline = time.monotonic() + 120
        try:
            # pg_stat_activity is a snapshot per transaction: each look is its own.
            with engine.connect() as watcher:
                while watcher.execute(text(waiting), {"name": name}).scalar_one() < len(steps):
                    watcher.rollback()
                    assert time.monotonic() < deadline, "the processes never reached the write"
                    assert all(p.poll() is None for p in processes), "a process ended early"
                    time.sleep(0.2)
        except AssertionError:
            for process in processes:
                process.kill()
            raise
        holder.rollback()
    results = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        results.append(json.loads(out))
    return results


def _submitted(engine: Engine, fill: Fill, tmp_path: Path) -> int:
    fill(CLEAN)
    number = int(
        import_file(engine, tmp_path / "filled.xlsx", actor="fp.idn@example.org").submission["id"]
    )
    with transaction(engine) as connection:
        move(connection, number, "submit", actor="fp.idn@example.org")
    return number


@pytest.fixture
def postgresql(engine: Engine) -> Engine:
    if engine.dialect.name != "postgresql":
        pytest.skip("SQLite serialises writers; the race exists on PostgreSQL")
    return engine


REVIEWERS = ("secretariat@example.org", "publisher@example.org", "admin@example.org")


def _told_the_winner(results: list[dict[str, Any]], trail: list[AuditEntry], status: str) -> None:
    """Every loser is told the winner's name and time, read here from the winning entry."""
    won = trail[-1]
    assert won["action"] == f"status:{status}"
    at = won["at"].replace(tzinfo=UTC) if won["at"].tzinfo is None else won["at"]
    by = f"(by {won['actor']} at {at.astimezone(UTC):%Y-%m-%d %H:%M:%S} UTC)"
    losers = [r["error"] for r in results if not r["won"]]
    assert len(losers) == PROCESSES - 1
    for error in losers:
        assert error.endswith(f"is already {status} {by}"), (error, by)


def test_eight_validates_at_once_validate_once(
    postgresql: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    number = _submitted(postgresql, fill, tmp_path)
    steps = [("validate", REVIEWERS[i % len(REVIEWERS)]) for i in range(PROCESSES)]
    results = _race(postgresql, number, steps)
    assert sum(r["won"] for r in results) == 1
    refusals = {r["error"].split(" (by ")[0] for r in results if not r["won"]}
    assert refusals == {f"submission {number} is already validated"}
    with transaction(postgresql) as connection:
        trail = audit_entries(connection, entity="submission", entity_id=number)
    assert [e["action"] for e in trail] == ["create", "status:submitted", "status:validated"]
    _told_the_winner(results, trail, "validated")


def test_the_losers_of_a_publish_race_are_told_who_published_not_themselves(
    postgresql: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    number = _submitted(postgresql, fill, tmp_path)
    with transaction(postgresql) as connection:
        move(connection, number, "validate", actor="secretariat@example.org")
    # Four eyes: the validator may not publish, so the two other reviewers race.
    steps = [("publish", REVIEWERS[1 + i % 2]) for i in range(PROCESSES)]
    results = _race(postgresql, number, steps)
    assert sum(r["won"] for r in results) == 1
    with transaction(postgresql) as connection:
        trail = audit_entries(connection, entity="submission", entity_id=number)
    assert [e["action"] for e in trail][-1:] == ["status:published"]
    assert len(trail) == 4
    _told_the_winner(results, trail, "published")


def test_validates_and_returns_at_once_take_one_path_only(
    postgresql: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    number = _submitted(postgresql, fill, tmp_path)
    steps = [("validate", "secretariat@example.org"), ("return", "publisher@example.org")]
    results = _race(postgresql, number, steps * (PROCESSES // 2))
    assert sum(r["won"] for r in results) == 1
    with transaction(postgresql) as connection:
        status = get_submission(connection, number)["status"]
        trail = audit_entries(connection, entity="submission", entity_id=number)
    winner = next(r["action"] for r in results if r["won"])
    assert status == {"validate": "validated", "return": "returned"}[winner]
    assert [e["action"] for e in trail] == ["create", "status:submitted", f"status:{status}"]
