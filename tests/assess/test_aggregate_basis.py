"""Which values an ASEAN aggregate is made of: by default the store's current value of each
member (the latest published, so a country's own submission replaces the UN SDG value), each
member's origin named in the row and in the stored comment, and ``--basis`` computes from the
international (reference) or the national values only. On each engine.

Oracle: weighted means worked by hand below from the numbers put in the store.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from sqlalchemy import Engine

from lindung.store import create_submission, current_observations, insert_observations, transaction

from ..conftest import publish_through_review
from .conftest import MEMBERS

#: Total population (persons) of each member in 2019: IDN 270, PHL 108, VNM 96, the eight
#: others 1 each; 482 in all.
PEOPLE = {**dict.fromkeys(MEMBERS, 1.0), "IDN": 270.0, "PHL": 108.0, "VNM": 96.0}
#: SI_COV_BENFTS 2019 (percent) in the UN SDG database (reference data).
UN = {"IDN": 27.8, "PHL": 36.7, "VNM": 38.8}
#: Indonesia's own figure, published after the reference data.
NATIONAL_IDN = 54.0


def _publish(engine: Engine, kind: str, area: str, source: str, rows: list[dict[str, Any]]) -> None:
    with transaction(engine) as connection:
        submission_id = create_submission(
            connection,
            kind=kind,
            ref_area=area,
            time_period=2019,
            source=source,
            framework_version="1.0.0",
            actor="tester@example.org",
        )
        insert_observations(
            connection,
            submission_id,
            [{"time_period": 2019, "source": source, **row} for row in rows],
            framework_version="1.0.0",
        )
        publish_through_review(connection, submission_id)


@pytest.fixture
def store(engine: Engine) -> Engine:
    _publish(
        engine,
        "reference",
        "ASEAN",
        "UN WPP 2019",
        [
            {"series": "ASP_POP", "ref_area": a, "value": p, "unit": "persons"}
            for a, p in PEOPLE.items()
        ],
    )
    _publish(
        engine,
        "reference",
        "ASEAN",
        "UN SDG database",
        [
            {"series": "SI_COV_BENFTS", "ref_area": a, "value": v, "unit": "percent"}
            for a, v in UN.items()
        ],
    )
    _publish(
        engine,
        "template",
        "IDN",
        "BPS Susenas",
        [{"series": "SI_COV_BENFTS", "ref_area": "IDN", "value": NATIONAL_IDN, "unit": "percent"}],
    )
    return engine


def _weighted(lindung: Callable[..., Any], *basis: str) -> dict[str, Any]:
    result = lindung(
        "assess",
        "aggregate",
        "--series",
        "SI_COV_BENFTS",
        "--year",
        "2019",
        "--region",
        "ASEAN",
        "--no-store",
        "--format",
        "json",
        *basis,
    )
    assert result.exit_code == 0, result.stderr
    (row,) = [r for r in json.loads(result.stdout) if r["method"] == "population_weighted"]
    return dict(row)


def test_the_current_aggregate_takes_the_national_value_and_says_so(
    store: Engine, lindung: Callable[..., Any]
) -> None:
    # (54.0 x 270 + 36.7 x 108 + 38.8 x 96) / (270 + 108 + 96)
    # = (14580 + 3963.6 + 3724.8) / 474 = 22268.4 / 474 = 46.97974...
    row = _weighted(lindung)
    assert row["value"] == pytest.approx(22268.4 / 474, rel=1e-12)
    assert row["population_share"] == pytest.approx(474 / 482, rel=1e-12)
    assert row["basis"] == "current"
    assert row["countries"] == ["IDN", "PHL", "VNM"]
    assert row["value_sources"] == [
        "IDN national (template: BPS Susenas)",
        "PHL international (reference: UN SDG database)",
        "VNM international (reference: UN SDG database)",
    ]
    assert row == _weighted(lindung, "--basis", "current")


def test_the_international_basis_keeps_the_un_value_of_every_member(
    store: Engine, lindung: Callable[..., Any]
) -> None:
    # (27.8 x 270 + 36.7 x 108 + 38.8 x 96) / 474 = (7506 + 3963.6 + 3724.8) / 474
    # = 15194.4 / 474 = 32.05569...
    row = _weighted(lindung, "--basis", "international")
    assert row["value"] == pytest.approx(15194.4 / 474, rel=1e-12)
    assert row["basis"] == "international"
    assert row["value_sources"][0] == "IDN international (reference: UN SDG database)"


def test_the_national_basis_reads_the_countries_own_values_only(
    store: Engine, lindung: Callable[..., Any]
) -> None:
    # Only Indonesia submitted: its 270 of 482 people (56.0 %) are above half, so the mean is
    # its own value.
    row = _weighted(lindung, "--basis", "national")
    assert row["value"] == pytest.approx(NATIONAL_IDN, rel=1e-12)
    assert row["population_share"] == pytest.approx(270 / 482, rel=1e-12)
    assert row["countries"] == ["IDN"]


def test_an_unknown_basis_is_a_usage_error(lindung: Callable[..., Any]) -> None:
    result = lindung("assess", "aggregate", "--basis", "regional", "--no-store")
    assert result.exit_code == 2
    assert "--basis 'regional' is not known; use one of current, international, national" in (
        result.stderr
    )


def test_the_stored_aggregate_names_each_members_origin_and_one_basis_is_never_stored(
    store: Engine, lindung: Callable[..., Any], sign_up: Callable[..., None]
) -> None:
    sign_up({"secretariat@example.org": ("secretariat", None)})
    args = ("assess", "aggregate", "--series", "SI_COV_BENFTS", "--year", "2019")
    args += ("--region", "ASEAN", "--as", "secretariat@example.org")
    one_basis = lindung(*args, "--basis", "international")
    assert one_basis.exit_code == 0, one_basis.stderr
    assert "not stored: --basis international aggregates are for comparison" in one_basis.stdout
    stored = lindung(*args)
    assert stored.exit_code == 0 and "stored 1 population_weighted" in stored.stdout
    with transaction(store) as connection:
        (aggregate,) = current_observations(connection, areas=["ASEAN"], kinds=["assessment"])
    assert aggregate["value"] == pytest.approx(22268.4 / 474, rel=1e-12)
    assert str(aggregate["comment"]).endswith(
        "values (current): IDN national (template: BPS Susenas), PHL international "
        "(reference: UN SDG database), VNM international (reference: UN SDG database)"
    )
