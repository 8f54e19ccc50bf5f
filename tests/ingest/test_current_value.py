"""One rule for the current value: `data query`, `assess consistency` and the check's previous
value agree, whatever order versions are published in, revised or returned, on both engines."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

from lindung.ingest import import_file, move
from lindung.ingest.check import store_figures
from lindung.store import create_submission, insert_observations, transaction

from .conftest import CLEAN, Fill

FOCAL = "fp.idn@example.org"
VALIDATOR = "secretariat@example.org"
PUBLISHER = "publisher@example.org"
TOTAL = ("SI_COV_BENFTS", "IDN", "_T")


def _version(engine: Engine, fill: Fill, tmp_path: Path, total: float, *steps: str) -> int:
    name = f"v{total}.xlsx"
    fill([dict(CLEAN[0], value=total), *CLEAN[1:]], name=name)
    number = int(import_file(engine, tmp_path / name, actor=FOCAL).submission["id"])
    _steps(engine, number, *steps)
    return number


def _steps(engine: Engine, number: int, *steps: str) -> None:
    actors = {"submit": FOCAL, "validate": VALIDATOR, "return": VALIDATOR, "publish": PUBLISHER}
    for step in steps:
        with transaction(engine) as connection:
            move(connection, number, step, actor=actors[step], note="test")


def _un_figure(engine: Engine, value: float) -> None:
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
        row = dict(zip(("series", "ref_area"), TOTAL[:2], strict=True))
        insert_observations(
            connection,
            number,
            [{**row, "time_period": 2019, "value": value, "unit": "percent"}],
            framework_version="1.0.0",
        )


def _current_everywhere(lindung: Callable[..., Any], engine: Engine) -> dict[str, float]:
    query = lindung(
        "data", "query", "--series", "SI_COV_BENFTS", "--area", "IDN", "--format", "json"
    )
    assert query.exit_code == 0, query.stderr
    queried = [r for r in json.loads(query.stdout) if r["sex"] == "_T"]
    compared = lindung("assess", "consistency", "--format", "json")
    assert compared.exit_code == 0, compared.stderr
    consistency = [
        r
        for r in json.loads(compared.stdout)
        if (r["series"], r["ref_area"], r["sex"]) == TOTAL and r["international_series"] == TOTAL[0]
    ]
    with transaction(engine) as connection:
        previous = store_figures(connection, "IDN", 2020, ["SI_COV_BENFTS"]).previous
    checked = [v for k, v in previous.items() if k[0] == TOTAL[0] and set(k[2:]) == {"_T"}]
    assert len(queried) == len(consistency) == len(checked) == 1
    return {
        "data query": queried[0]["value"],
        "assess consistency": consistency[0]["national"],
        "check": checked[0],
    }


def test_publishing_version_2_before_version_1_makes_version_1_current_everywhere(
    engine: Engine,
    users: dict[str, Any],
    fill: Fill,
    tmp_path: Path,
    lindung: Callable[..., Any],
) -> None:
    _un_figure(engine, 54.0)
    first = _version(engine, fill, tmp_path, 56.0, "submit", "validate")
    _version(engine, fill, tmp_path, 57.0, "submit", "validate", "publish")
    _steps(engine, first, "publish")  # the older version, published last
    same = dict.fromkeys(("data query", "assess consistency", "check"), 56.0)
    assert _current_everywhere(lindung, engine) == same


def test_a_returned_revision_changes_nothing_and_a_published_one_is_current_everywhere(
    engine: Engine,
    users: dict[str, Any],
    fill: Fill,
    tmp_path: Path,
    lindung: Callable[..., Any],
) -> None:
    _un_figure(engine, 54.0)
    first = _version(engine, fill, tmp_path, 56.0, "submit", "validate")
    _version(engine, fill, tmp_path, 57.0, "submit", "validate", "publish")
    _steps(engine, first, "publish")
    _version(engine, fill, tmp_path, 58.0, "submit", "return")
    places = ("data query", "assess consistency", "check")
    assert _current_everywhere(lindung, engine) == dict.fromkeys(places, 56.0)
    _version(engine, fill, tmp_path, 59.0, "submit", "validate", "publish")
    assert _current_everywhere(lindung, engine) == dict.fromkeys(places, 59.0)
