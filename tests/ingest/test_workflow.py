"""The approval workflow: who may move a submission, from which state, and the audit trail."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from lindung.errors import PermissionDenied, SettingInvalid, SubmissionError
from lindung.ingest import acting_user, import_file, move
from lindung.store import (
    audit_entries,
    create_submission,
    current_observations,
    record_survey_run,
    transaction,
)

from .conftest import CLEAN, Fill

FOCAL = "fp.idn@example.org"
SECRETARIAT = "secretariat@example.org"
PUBLISHER = "publisher@example.org"


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
    assert _move(engine, number, "publish", PUBLISHER, note="2019 round") == "published"
    with transaction(engine) as connection:
        trail = audit_entries(connection, entity="submission", entity_id=number)
    assert [(e["actor"], e["action"]) for e in trail] == [
        (FOCAL, "create"),
        (FOCAL, "status:submitted"),
        (SECRETARIAT, "status:validated"),
        (PUBLISHER, "status:published"),
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
    _move(engine, number, "publish", PUBLISHER)
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


def _validated(engine: Engine, fill: Fill, tmp_path: Path, *, validator: str) -> int:
    number = _draft(engine, fill, tmp_path)
    _move(engine, number, "submit", FOCAL)
    _move(engine, number, "validate", validator)
    return number


def test_four_eyes_the_validator_cannot_also_publish(
    engine: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    number = _validated(engine, fill, tmp_path, validator=SECRETARIAT)
    with pytest.raises(PermissionDenied) as raised:
        _move(engine, number, "publish", SECRETARIAT)
    assert str(raised.value) == (
        f"{SECRETARIAT} validated submission {number} and so cannot also publish it "
        "(four eyes); another secretariat or admin user publishes it"
    )
    assert _move(engine, number, "publish", PUBLISHER) == "published"


def test_four_eyes_the_importer_cannot_publish_what_they_imported(
    engine: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    fill(CLEAN)
    imported = import_file(engine, tmp_path / "filled.xlsx", actor=SECRETARIAT)
    number = int(imported.submission["id"])
    _move(engine, number, "submit", SECRETARIAT)
    _move(engine, number, "validate", PUBLISHER)
    with pytest.raises(
        PermissionDenied, match=r"imported submission \d+ and so cannot also publish"
    ):
        _move(engine, number, "publish", SECRETARIAT)
    with transaction(engine) as connection:
        trail = audit_entries(connection, entity="submission", entity_id=number)
    assert [e["action"] for e in trail] == ["create", "status:submitted", "status:validated"]


def test_with_four_eyes_off_one_reviewer_validates_and_publishes(
    engine: Engine,
    users: dict[str, Any],
    fill: Fill,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("LINDUNG_FOUR_EYES", "0")
    number = _validated(engine, fill, tmp_path, validator=SECRETARIAT)
    assert _move(engine, number, "publish", SECRETARIAT) == "published"


def test_a_four_eyes_setting_that_is_neither_on_nor_off_is_refused(
    engine: Engine,
    users: dict[str, Any],
    fill: Fill,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    number = _validated(engine, fill, tmp_path, validator=SECRETARIAT)
    monkeypatch.setenv("LINDUNG_FOUR_EYES", "maybe")
    with pytest.raises(SettingInvalid, match="LINDUNG_FOUR_EYES='maybe' is not on or off"):
        _move(engine, number, "publish", PUBLISHER)


def test_a_second_validate_says_who_validated_it_and_when(
    engine: Engine, users: dict[str, Any], fill: Fill, tmp_path: Path
) -> None:
    number = _validated(engine, fill, tmp_path, validator=SECRETARIAT)
    with pytest.raises(SubmissionError) as raised:
        _move(engine, number, "validate", PUBLISHER)
    assert re.fullmatch(
        rf"submission {number} is already validated \(by {SECRETARIAT} at "
        r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC\)",
        str(raised.value),
    )


def _survey_run(engine: Engine, *, actor: str, value: float = 71.5) -> int:
    estimates = [
        {
            "series": "ASP_COV",
            "ref_area": "IDN",
            "time_period": 2019,
            "program": "PKH",
            "value": value,
            "unit": "percent",
            "se": 1.2,
        }
    ]
    with transaction(engine) as connection:
        user = acting_user(connection, actor)
        _run, number, _created = record_survey_run(
            connection,
            ref_area="IDN",
            time_period=2019,
            spec={"survey": "SUSENAS"},
            data_file="susenas.parquet",
            data_hash=f"{value:064.1f}"[-64:],
            code_version="test",
            framework_version="1.0.0",
            estimates=estimates,
            actor=actor,
            created_by=int(user["id"]),
            source="survey: SUSENAS",
        )
    return number


def test_a_survey_run_is_submitted_by_its_countrys_focal_point_and_published_by_review(
    engine: Engine, users: dict[str, Any]
) -> None:
    number = _survey_run(engine, actor=FOCAL)
    with pytest.raises(PermissionDenied, match="focal point for PHL"):
        _move(engine, number, "submit", "fp.phl@example.org")
    assert _move(engine, number, "submit", FOCAL) == "submitted"
    with pytest.raises(PermissionDenied, match="only the secretariat"):
        _move(engine, number, "validate", FOCAL)
    assert _move(engine, number, "validate", SECRETARIAT) == "validated"
    assert _move(engine, number, "publish", PUBLISHER) == "published"
    with transaction(engine) as connection:
        current = current_observations(connection, series=["ASP_COV"], areas=["IDN"])
    assert [(row["value"], row["submission_id"]) for row in current] == [(71.5, number)]


def test_storing_a_survey_run_needs_the_countrys_focal_point_or_the_secretariat(
    engine: Engine, users: dict[str, Any], tmp_path: Path
) -> None:
    from lindung.survey.engine import SurveyResult
    from lindung.survey.microdata import SurveyReport
    from lindung.survey.record import record_run
    from lindung.survey.spec import load_spec

    spec = load_spec(Path(__file__).parents[1] / "oracles" / "synthetic_spec.yaml")
    nothing = SurveyResult([], {}, SurveyReport())
    for actor, message in (
        ("", "needs --as EMAIL"),
        ("nobody@example.org", "no user 'nobody@example.org'"),
        ("fp.phl@example.org", "focal point for PHL and cannot store a survey run for IDN"),
        ("partner@example.org", "role partner and cannot store a survey run"),
    ):
        with pytest.raises(PermissionDenied, match=message):
            record_run(engine, nothing, spec, [tmp_path / "none.csv"], actor=actor)


def test_reference_data_never_goes_through_review(engine: Engine, users: dict[str, Any]) -> None:
    with transaction(engine) as connection:
        number = create_submission(
            connection,
            kind="reference",
            ref_area="IDN",
            time_period=2019,
            source="UN SDG database",
            framework_version="1.0.0",
            actor="load-reference",
            status="published",
        )
    with pytest.raises(SubmissionError, match="reference data, published as shipped"):
        _move(engine, number, "submit", SECRETARIAT)
