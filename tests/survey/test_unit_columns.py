"""The units' household columns (beneficiary ``_B_``, per-capita transfer ``_T_``, pre-transfer
welfare ``_ypre_``) derived in process from the programs' household amounts and flags
(``welfare.unit_columns``, the DuckDB engine's way) are those the household query derives
(``welfare.households``, Spark's way), bit for bit, and those of a hand calculation."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pytest

from lindung.survey import fetched as fetched_module
from lindung.survey import parse_spec
from lindung.survey.backend import DuckDB, count, to_arrow
from lindung.survey.microdata import SurveyReport, checked_persons, read_microdata
from lindung.survey.spec import SurveySpec
from lindung.survey.synth import synthetic_spec, synthetic_survey, write_survey
from lindung.survey.variance import FloatArray
from lindung.survey.welfare import domain_levels, households, unit_columns

from .conftest import minimal_spec


def _columns(table: pa.Table) -> dict[str, FloatArray]:
    return {
        name: table.column(name).to_numpy(zero_copy_only=False).astype(np.float64)
        for name in table.column_names
        if name not in ("_stratum", "_hh", "_psu", "_psu_low")
    }


def _both_ways(spec: SurveySpec, data: Path) -> tuple[pa.Table, dict[str, FloatArray]]:
    """The households with the units' columns from the query, and derived in process, both in
    (stratum, household) order."""
    con = DuckDB(threads=1)
    try:
        persons = checked_persons(con, read_microdata(con, [data]), spec, SurveyReport()).kept
        levels = domain_levels(persons, spec)
        queried = to_arrow(households(persons, spec, levels).order_by(["_stratum", "_hh"]))
        parts = to_arrow(
            households(persons, spec, levels, units=False).order_by(["_stratum", "_hh"])
        )
    finally:
        con.disconnect()
    derived = _columns(parts)
    unit_columns(derived, spec)
    return queried, derived


def test_on_the_synthetic_survey_with_a_receipt_flag_every_unit_column_has_the_querys_bits(
    tmp_path: Path,
) -> None:
    table = synthetic_survey(400, 5)
    # A receipt flag for one program: its beneficiaries are those flagged, whatever the amount.
    flagged = np.random.default_rng(6).random(table.num_rows) < 0.3
    table = table.append_column("pkh_got", pa.array(flagged.astype(np.int64)))
    data = tmp_path / "survey.csv"
    write_survey(table, data)
    raw = synthetic_spec("survey.csv")
    raw["programs"][0]["receipt"] = "pkh_got"
    spec = parse_spec(raw)
    queried, derived = _both_ways(spec, data)
    units = spec.units()
    assert len(units) > len(spec.programs) > 1  # programs, areas and all social protection
    names = [f"_{kind}_{unit}" for unit in units for kind in ("B", "T", "ypre")]
    for name in names:
        found = derived[name]
        expected = queried.column(name).to_numpy(zero_copy_only=False)
        assert found.dtype == expected.dtype == np.float64, name
        assert np.array_equal(found.view(np.int64), expected.view(np.int64)), name
    # The programs' own columns are spent; nothing else is added or lost.
    assert not [c for c in derived if c.startswith(("_hamt_", "_hben_"))]
    assert set(derived) == set(_columns(queried))


def test_the_derived_columns_are_a_hand_calculation(tmp_path: Path) -> None:
    # Two social assistance programs: cash (person amounts, summed over the household) and
    # food (a household amount, read once), each household of three members.
    data = tmp_path / "people.csv"
    data.write_text(
        "hh,wt,y,cash,food\n"
        "1,1,100,30,0\n1,1,100,0,0\n1,1,100,15,0\n"  # cash 45 / 3 = 15 each
        "2,1,6,0,12\n2,1,6,0,12\n2,1,6,0,12\n"  # food 12 / 3 = 4 each
        "3,1,50,0,0\n3,1,50,0,0\n3,1,50,0,0\n"  # no one receives
        "4,1,5,9,30\n4,1,5,0,30\n4,1,5,0,30\n",  # 3 + 10 = 13 each, above welfare 5
        encoding="utf-8",
    )
    spec = parse_spec(
        minimal_spec(
            programs=[
                {"code": "cash", "area": "social_assistance", "amount": "cash", "level": "person"},
                {
                    "code": "food",
                    "area": "social_assistance",
                    "amount": "food",
                    "level": "household",
                },
            ]
        )
    )
    _queried, derived = _both_ways(spec, data)
    assert list(derived["_y"]) == [100.0, 6.0, 50.0, 5.0]
    assert list(derived["_B_cash"]) == [1.0, 0.0, 0.0, 1.0]
    assert list(derived["_T_cash"]) == [15.0, 0.0, 0.0, 3.0]
    assert list(derived["_T_food"]) == [0.0, 4.0, 0.0, 10.0]
    assert list(derived["_ypre_food"]) == [100.0, 2.0, 50.0, 0.0]
    for unit in ("all_social_assistance", "all_social_protection"):
        assert list(derived[f"_B_{unit}"]) == [1.0, 1.0, 0.0, 1.0]
        assert list(derived[f"_T_{unit}"]) == [15.0, 4.0, 0.0, 13.0]
        # Pre-transfer welfare is never below 0.
        assert list(derived[f"_ypre_{unit}"]) == [85.0, 2.0, 50.0, 0.0]


def test_derived_batch_by_batch_as_the_engine_fetches_the_columns_are_the_same_bits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The engine derives the units' columns from each fetched batch, so that the programs'
    # columns are never held whole beside them; batches of 97 households (the last one short)
    # must give what one derivation over the whole table gives, in the fetch's welfare order.
    table = synthetic_survey(300, 8)
    data = tmp_path / "survey.csv"
    write_survey(table, data)
    spec = parse_spec(synthetic_spec("survey.csv"))
    monkeypatch.setattr(fetched_module, "FETCH_BATCH", 97)
    con = DuckDB(threads=1)
    try:
        persons = checked_persons(con, read_microdata(con, [data]), spec, SurveyReport()).kept
        parts = households(persons, spec, domain_levels(persons, spec), units=False)
        stored = con.materialise("_households", parts)
        whole = _columns(to_arrow(stored.order_by(["_y", "_stratum", "_hh"])))
        homes = stored.drop("_stratum", "_hh", "_psu", "_psu_low")
        assert count(homes) > 3 * 97
        fetched = fetched_module.HouseholdColumns.fetch(
            con, homes, "_households", order_by="_y", derive=lambda b: unit_columns(b, spec)
        )
    finally:
        con.disconnect()
    unit_columns(whole, spec)
    assert set(fetched.columns) == set(whole)
    assert np.array_equal(fetched.columns["_y"], whole["_y"])
    # Households of equal welfare may come in either order: compare the rows sorted by every
    # column (a missing value, NaN, equal to itself).
    names = sorted(whole)
    found_rows = np.column_stack([fetched.columns[n] for n in names])
    expected_rows = np.column_stack([whole[n] for n in names])
    found_rows = found_rows[np.lexsort(found_rows.T)]
    expected_rows = expected_rows[np.lexsort(expected_rows.T)]
    for i, name in enumerate(names):
        assert np.array_equal(found_rows[:, i], expected_rows[:, i], equal_nan=True), name
