"""Registry coverage counted exactly: every figure checked against a hand count of the small
registry in conftest.py (ten persons, five households, two programs), on DuckDB and (the tests
of the ``counted`` table) on Spark in local mode."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

from lindung.registry import CoverageOptions, Program, registry_coverage

from .conftest import ENGINES

YEAR_2026 = CoverageOptions(
    by=("region", "sex", "age_group", "decile", "disability"),
    year=2026,
    periods=("2026-01", "2026-12"),
)


@pytest.fixture(scope="module", params=ENGINES)
def counted(small_registry: dict[str, Path], request: pytest.FixtureRequest) -> pd.DataFrame:
    """The hand-counted registry's table, counted on each engine."""
    if request.param == "spark":
        request.getfixturevalue("spark")
    programs = [Program("CCT", small_registry["cct"]), Program("PEN", small_registry["pension"])]
    return registry_coverage(
        small_registry["registry"], programs, YEAR_2026, engine=request.param
    ).table


def _row(table: pd.DataFrame, program: str, by: str, level: str) -> dict[str, Any]:
    found = table[(table.program == program) & (table.by == by) & (table.level == level)]
    assert len(found) == 1, (program, by, level)
    return {str(k): v for k, v in found.iloc[0].to_dict().items()}


def test_a_household_list_covers_every_member_of_a_household_with_a_valid_payment(
    counted: pd.DataFrame,
) -> None:
    # Valid CCT payments: household 10 (persons 1-3) 600, 30 (6, 7) 400, 40 (8, 9) 100;
    # 50's amount is 0, 20's period is 2025-12 and 99 is not registered.
    total = _row(counted, "CCT", "_T", "_T")
    assert total["registered_persons"] == 10
    assert total["registered_households"] == 5
    assert total["eligible_persons"] == 6  # deciles 1-4: persons 1, 2, 3, 6, 7, 10
    assert total["beneficiary_persons"] == 7
    assert total["beneficiary_households"] == 3
    assert total["persons_in_beneficiary_households"] == 7
    assert total["coverage"] == pytest.approx(7 / 10)
    assert total["eligible_beneficiaries"] == 5  # 1, 2, 3, 6, 7
    assert total["inclusion_error"] == pytest.approx(2 / 7)  # 8 and 9 are in decile 8
    assert total["exclusion_error"] == pytest.approx(1 / 6)  # person 10 is missed
    assert total["amount_total"] == pytest.approx(1100.0)
    assert total["amount_per_beneficiary"] == pytest.approx(1100 / 7)


def test_a_household_payment_is_shared_equally_among_its_members(counted: pd.DataFrame) -> None:
    # Women: 1 and 3 (200 each of household 10's 600), 6 (200 of 30's 400), 9 (50 of 40's 100).
    women = _row(counted, "CCT", "sex", "F")
    assert (women["registered_persons"], women["registered_households"]) == (6, 5)
    assert (women["beneficiary_persons"], women["beneficiary_households"]) == (4, 3)
    assert women["amount_total"] == pytest.approx(650.0)
    men = _row(counted, "CCT", "sex", "M")
    assert (men["registered_persons"], men["registered_households"]) == (4, 4)
    assert (men["beneficiary_persons"], men["beneficiary_households"]) == (3, 3)
    assert men["amount_total"] == pytest.approx(450.0)
    region_b = _row(counted, "CCT", "region", "B")
    assert (region_b["registered_persons"], region_b["eligible_persons"]) == (5, 3)
    assert (region_b["beneficiary_persons"], region_b["eligible_beneficiaries"]) == (4, 2)
    assert region_b["exclusion_error"] == pytest.approx(1 / 3)
    assert region_b["amount_total"] == pytest.approx(500.0)


def test_a_person_list_counts_the_listed_persons_and_their_households_apart(
    counted: pd.DataFrame,
) -> None:
    # Valid pension payments: person 4 (400) and person 10 (400 twice); 5's is negative and X77
    # is not registered. Their households: 20 (persons 4, 5) and 50 (person 10).
    total = _row(counted, "PEN", "_T", "_T")
    assert total["beneficiary_persons"] == 2
    assert total["beneficiary_households"] == 2
    assert total["persons_in_beneficiary_households"] == 3
    assert total["eligible_beneficiaries"] == 1
    assert total["inclusion_error"] == pytest.approx(1 / 2)
    assert total["exclusion_error"] == pytest.approx(5 / 6)
    assert total["amount_total"] == pytest.approx(1200.0)
    assert total["amount_per_beneficiary"] == pytest.approx(600.0)
    # Ages at 2026: 4 is 76, 5 is 71, 10 is 86: the three aged 65 and over.
    old = _row(counted, "PEN", "age_group", "Y_GE65")
    assert (old["registered_persons"], old["beneficiary_persons"]) == (3, 2)
    assert old["coverage"] == pytest.approx(2 / 3)
    assert _row(counted, "PEN", "age_group", "Y0T14")["registered_persons"] == 2
    # Persons with a disability: 4, 9 and 10.
    disabled = _row(counted, "PEN", "disability", "PD")
    assert (disabled["registered_persons"], disabled["beneficiary_persons"]) == (3, 2)


def test_any_program_is_the_union_of_the_programs_beneficiaries(counted: pd.DataFrame) -> None:
    either = _row(counted, "_T", "_T", "_T")
    assert either["beneficiary_persons"] == 9  # all but person 5
    assert either["beneficiary_households"] == 5
    assert either["persons_in_beneficiary_households"] == 10
    assert either["eligible_beneficiaries"] == 6
    assert either["exclusion_error"] == 0
    assert either["amount_total"] == pytest.approx(2300.0)
    deciles = counted[(counted.program == "_T") & (counted.by == "decile")]
    assert list(deciles.level) == ["1", "2", "3", "5", "8"]
    assert list(deciles.registered_persons) == [3, 1, 2, 2, 2]


def test_a_ratio_with_nobody_to_divide_by_is_missing_not_zero(counted: pd.DataFrame) -> None:
    nobody_eligible = _row(counted, "CCT", "decile", "8")
    assert pd.isna(nobody_eligible["exclusion_error"])
    assert nobody_eligible["inclusion_error"] == 1.0
    no_beneficiary = _row(counted, "CCT", "age_group", "Y_GE65")
    assert pd.isna(no_beneficiary["inclusion_error"])
    assert pd.isna(no_beneficiary["amount_per_beneficiary"])


def test_the_data_quality_counts_of_each_list(small_registry: dict[str, Path]) -> None:
    programs = [Program("CCT", small_registry["cct"]), Program("PEN", small_registry["pension"])]
    quality = registry_coverage(small_registry["registry"], programs, YEAR_2026).quality
    rows = {row["program"]: row for row in quality.to_dict("records")}
    assert rows["CCT"] == {
        "program": "CCT",
        "id": "household_id",
        "rows": 8,
        "unknown_ids": 1,
        "duplicate_rows": 1,
        "nonpositive_amounts": 1,
        "periods_outside": 1,
        "valid_rows": 5,
    }
    assert rows["PEN"] == {
        "program": "PEN",
        "id": "person_id",
        "rows": 5,
        "unknown_ids": 1,
        "duplicate_rows": 0,
        "nonpositive_amounts": 1,
        "periods_outside": 0,
        "valid_rows": 3,
    }


def test_without_a_period_range_every_period_is_valid(small_registry: dict[str, Path]) -> None:
    programs = [Program("CCT", small_registry["cct"])]
    result = registry_coverage(small_registry["registry"], programs, CoverageOptions(year=2026))
    assert result.quality.iloc[0]["periods_outside"] == 0
    total = _row(result.table, "CCT", "_T", "_T")
    assert total["beneficiary_persons"] == 9  # household 20 (2025-12) now counts
    assert total["amount_total"] == pytest.approx(1250.0)


def test_the_poverty_flag_as_target(small_registry: dict[str, Path]) -> None:
    # The flag marks persons 1, 2, 3, 6, 7, 10 poor, as deciles 1-4 do; with a target of
    # deciles 1-2 only persons 1, 2, 3 and 10 are eligible.
    programs = [Program("CCT", small_registry["cct"])]
    poor = CoverageOptions(year=2026, target="poor", periods=("2026-01", "2026-12"))
    flagged = _row(
        registry_coverage(small_registry["registry"], programs, poor).table, "CCT", "_T", "_T"
    )
    assert (flagged["eligible_persons"], flagged["eligible_beneficiaries"]) == (6, 5)
    narrow = CoverageOptions(year=2026, target_deciles=2, periods=("2026-01", "2026-12"))
    two = _row(
        registry_coverage(small_registry["registry"], programs, narrow).table, "CCT", "_T", "_T"
    )
    assert (two["eligible_persons"], two["eligible_beneficiaries"]) == (4, 3)
    assert two["inclusion_error"] == pytest.approx(4 / 7)


def test_deciles_from_the_pmt_score_keep_households_whole(tmp_path: Path) -> None:
    # Ten households of one to four persons (20 persons); ranked by score the cumulative persons
    # before each are 0, 1, 3, 4, 7, 8, 10, 14, 15, 17, so the deciles (floor(10 * before / 20)
    # + 1) are 1, 1, 2, 3, 4, 5, 6, 8, 8, 9.
    sizes = [1, 2, 1, 3, 1, 2, 4, 1, 2, 3]
    scores = [10, 20, 30, 40, 50, 60, 70, 80, 90, 100]
    lines = ["person_id,household_id,region,sex,age,disability,pmt_score,poor"]
    person = 0
    for household, (size, score) in enumerate(zip(sizes, scores, strict=True), start=1):
        for _ in range(size):
            person += 1
            lines.append(f"{person},{household},A,F,30,no,{score},no")
    registry = tmp_path / "pmt.csv"
    registry.write_text("\n".join(lines) + "\n", encoding="utf-8")
    empty = tmp_path / "none.csv"
    empty.write_text("household_id,amount,period\n1,5,2026-01\n", encoding="utf-8")
    table = registry_coverage(
        registry, [Program("X", empty)], CoverageOptions(by=("decile",), year=2026)
    ).table
    deciles = table[table.by == "decile"]
    assert dict(zip(deciles.level, deciles.registered_persons, strict=True)) == {
        "1": 3,
        "2": 1,
        "3": 3,
        "4": 1,
        "5": 2,
        "6": 4,
        "8": 3,
        "9": 3,
    }
    assert _row(table, "X", "_T", "_T")["eligible_persons"] == 8  # deciles 1-4


def test_coverage_on_the_command_line_writes_both_tables(
    small_registry: dict[str, Path], tmp_path: Path, cli: Callable[..., Any]
) -> None:
    out, quality = tmp_path / "coverage.csv", tmp_path / "quality.parquet"
    done = cli(
        "registry",
        "coverage",
        "--registry",
        str(small_registry["registry"]),
        "--beneficiaries",
        f"CCT={small_registry['cct']}",
        "--beneficiaries",
        f"PEN={small_registry['pension']}",
        "--year",
        "2026",
        "--by",
        "region,sex",
        "--periods",
        "2026-01:2026-12",
        "--out",
        str(out),
        "--quality-out",
        str(quality),
        "--memory-limit",
        "512MB",
    )
    assert done.exit_code == 0, done.stderr
    assert "counted 10 persons in 5 households and 2 programs" in done.stdout
    table = pd.read_csv(out)
    assert len(table) == 3 * (1 + 2 + 2)  # CCT, PEN, either; total, two regions, two sexes
    cct = table[(table.program == "CCT") & (table.by == "_T")].iloc[0]
    assert (cct.beneficiary_persons, cct.amount_total) == (7, 1100.0)
    assert list(pd.read_parquet(quality).unknown_ids) == [1, 1]


def test_a_program_area_counts_the_union_of_its_programs(small_registry: dict[str, Path]) -> None:
    # CCT and PEN in social assistance: the area's beneficiaries are the union (all but person
    # 5), as for "any program"; a third list in social insurance stands alone in its area.
    programs = [
        Program("CCT", small_registry["cct"], "social_assistance"),
        Program("PEN", small_registry["pension"], "social_assistance"),
        Program("INS", small_registry["pension"], "social_insurance"),
    ]
    table = registry_coverage(small_registry["registry"], programs, YEAR_2026).table
    assert list(dict.fromkeys(table.program)) == ["CCT", "PEN", "INS", "ALL_SA", "ALL_SI", "_T"]
    area = _row(table, "ALL_SA", "_T", "_T")
    assert (area["beneficiary_persons"], area["beneficiary_households"]) == (9, 5)
    assert area["eligible_beneficiaries"] == 6
    assert area["amount_total"] == pytest.approx(2300.0)
    insurance = _row(table, "ALL_SI", "sex", "F")
    assert insurance["beneficiary_persons"] == 1  # person 10
    assert insurance["amount_total"] == pytest.approx(800.0)
    either = _row(table, "_T", "_T", "_T")
    assert either["amount_total"] == pytest.approx(2300.0 + 1200.0)


def test_progress_counts_every_step_up_to_its_total(small_registry: dict[str, Path]) -> None:
    seen: list[tuple[str, int, int]] = []
    programs = [Program("CCT", small_registry["cct"])]
    options = CoverageOptions(by=("sex",), year=2026)
    registry_coverage(
        small_registry["registry"], programs, options, progress=lambda *step: seen.append(step)
    )
    # Reading, ids, persons, the one list, joining, the totals and sex in one query; then done.
    assert [done for _, done, _ in seen] == list(range(7))
    assert {total for _, _, total in seen} == {6}
    assert seen[-1][0] == "done"
