"""The approval workflow: who may move a submission, from which state, and the audit trail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from lindung.errors import PermissionDenied, SubmissionError
from lindung.ingest import import_file, move
from lindung.store import audit_entries, current_observations, transaction

from .conftest import CLEAN, Fill

FOCAL = "fp.idn@example.org"
SECRETARIAT = "secretariat@example.org"


def _draft(engine: Engine, fill: Fill, tmp_path: Path, total: float = 56.0) -> int:
    name = f"v{total}.xlsx"
    fill([dict(CLEAN[0], value=total), *CLEAN[1:]], name=name)
    return int(import_file(engine, tmp_path / name, actor=FOCAL).submission["id"])


def _move(engine: Engine, number: int, action: str, actor: str, note: str | None = None) -> str:
    with transaction(engine) as connection:
        return str(move(connection, number, action, actor=actor, note=note)["status"])


def test_draft_is_submitted_validated_and_published_and_each_step_is_audited(
    engine: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    number = _draft(engine, fill, tmp_path)
    assert _move(engine, number, "submit", FOCAL) == "submitted"
    assert _move(engine, number, "validate", SECRETARIAT) == "validated"
    assert _move(engine, number, "publish", SECRETARIAT, note="2019 round") == "published"
    with transaction(engine) as connection:
        trail = audit_entries(connection, entity="submission", entity_id=number)
    assert [(e["actor"], e["action"]) for e in trail] == [
        (FOCAL, "create"),
        (FOCAL, "status:submitted"),
        (SECRETARIAT, "status:validated"),
        (SECRETARIAT, "status:published"),
    ]
    assert trail[-1]["detail"] == {"from": "validated", "to": "published", "note": "2019 round"}


def test_only_published_values_are_current(
    engine: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    number = _draft(engine, fill, tmp_path)

    def current() -> list[float]:
        with transaction(engine) as connection:
            rows = current_observations(
                connection, series=["SI_COV_BENFTS"], areas=["IDN"], totals_only=True
            )
        return [row["value"] for row in rows]

    _move(engine, number, "submit", FOCAL)
    _move(engine, number, "validate", SECRETARIAT)
    assert current() == []
    _move(engine, number, "publish", SECRETARIAT)
    assert current() == [56.0]


def test_a_returned_version_stays_returned_and_the_correction_is_a_new_version(
    engine: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    first = _draft(engine, fill, tmp_path, total=56.0)
    _move(engine, first, "submit", FOCAL)
    with pytest.raises(SubmissionError, match="needs --note"):
        _move(engine, first, "return", SECRETARIAT)
    assert _move(engine, first, "return", SECRETARIAT, note="check the weights") == "returned"
    with pytest.raises(SubmissionError, match="import the corrected file"):
        _move(engine, first, "submit", FOCAL)
    second = _draft(engine, fill, tmp_path, total=57.0)
    assert second != first
    assert _move(engine, second, "submit", FOCAL) == "submitted"
    with pytest.raises(SubmissionError, match="was returned"):
        _move(engine, first, "validate", SECRETARIAT)


@pytest.mark.parametrize(
    ("action", "actor", "error", "message"),
    [
        ("submit", "fp.phl@example.org", PermissionDenied, "focal point for PHL"),
        ("submit", "partner@example.org", PermissionDenied, "role partner"),
        ("validate", FOCAL, PermissionDenied, "only the secretariat"),
        ("publish", SECRETARIAT, SubmissionError, "only a validated submission"),
        ("archive", SECRETARIAT, SubmissionError, "unknown action"),
    ],
)
def test_steps_out_of_turn_or_by_the_wrong_person_are_refused_in_one_line(
    engine: Engine,
    users: dict[str, Any],
    fill: Fill,
    tmp_path: Path,
    action: str,
    actor: str,
    error: type[Exception],
    message: str,
) -> None:
    number = _draft(engine, fill, tmp_path)
    with pytest.raises(error, match=message) as raised:
        _move(engine, number, action, actor)
    assert "\n" not in str(raised.value)
    with transaction(engine) as connection:
        trail = audit_entries(connection, entity="submission", entity_id=number)
    assert [e["action"] for e in trail] == ["create"]
