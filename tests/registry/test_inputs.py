"""Each file's columns are checked before anything is counted: the error names the file, the
column and the fix."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from tests.registry.conftest import CCT, REGISTRY

from lindung.errors import RegistryInputError
from lindung.registry import CoverageOptions, Program, registry_coverage


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def _with_column(text: str, name: str, value: str) -> str:
    header, *rows = text.splitlines()
    return "\n".join([f"{header},{name}", *(f"{row},{value}" for row in rows)]) + "\n"


def _count(registry: Path, lists: Path) -> None:
    registry_coverage(registry, [Program("CCT", lists)], CoverageOptions(year=2026))


def test_a_missing_registry_column_is_named_with_its_file(tmp_path: Path) -> None:
    registry = _write(tmp_path, "reg.csv", REGISTRY.replace(",region,", ",province,", 1))
    with pytest.raises(RegistryInputError) as raised:
        _count(registry, _write(tmp_path, "cct.csv", CCT))
    message = str(raised.value)
    assert str(registry) in message
    assert "no column 'region'" in message
    assert "add it" in message


def test_a_misspelled_column_is_pointed_at_for_renaming(tmp_path: Path) -> None:
    registry = _write(tmp_path, "reg.csv", REGISTRY.replace(",household_id,", ",houshold_id,", 1))
    with pytest.raises(RegistryInputError, match="the file has 'houshold_id': rename it"):
        _count(registry, _write(tmp_path, "cct.csv", CCT))


def test_an_unknown_column_that_looks_like_a_missing_choice_is_refused(tmp_path: Path) -> None:
    lists = _write(tmp_path, "cct.csv", CCT.replace("household_id,", "househld_id,", 1))
    with pytest.raises(RegistryInputError) as raised:
        _count(_write(tmp_path, "reg.csv", REGISTRY), lists)
    assert str(lists) in str(raised.value)
    assert "'person_id' or 'household_id'" in str(raised.value)
    assert "rename it 'household_id'" in str(raised.value)


def test_a_misspelled_extra_column_beside_a_complete_layout_is_refused(tmp_path: Path) -> None:
    # The registry has its decile, but "pmt_scor" is surely meant as the score: refused rather
    # than silently ignored.
    registry = _write(tmp_path, "reg.csv", _with_column(REGISTRY, "pmt_scor", "5"))
    with pytest.raises(
        RegistryInputError, match=r"unknown column 'pmt_scor'.*rename it 'pmt_score'"
    ):
        _count(registry, _write(tmp_path, "cct.csv", CCT))


def test_unrelated_extra_columns_are_ignored(tmp_path: Path) -> None:
    registry = _write(tmp_path, "reg.csv", _with_column(REGISTRY, "village_name", "Sukamaju"))
    _count(registry, _write(tmp_path, "cct.csv", CCT))


def test_a_registry_with_a_person_twice_is_refused(tmp_path: Path) -> None:
    registry = _write(tmp_path, "reg.csv", REGISTRY + "3,30,B,F,2018,0,3,1\n")
    with pytest.raises(
        RegistryInputError, match=r"1 person_id values appear more than once \(the first is 3\)"
    ):
        _count(registry, _write(tmp_path, "cct.csv", CCT))


def test_a_file_of_another_format_is_refused(tmp_path: Path) -> None:
    sheet = _write(tmp_path, "reg.xlsx", "not a sheet")
    with pytest.raises(RegistryInputError, match=r"reg.xlsx: unknown format '.xlsx'"):
        _count(sheet, _write(tmp_path, "cct.csv", CCT))


@pytest.mark.parametrize(
    ("option", "value", "expected"),
    [
        ("--periods", "2026-12:2026-01", "FROM not after TO"),
        ("--periods", "2026-13:2026-14", "YYYY-MM:YYYY-MM"),
        ("--by", "province", "not a breakdown"),
        ("--by", "sex,sex", "named twice"),
        ("--memory-limit", "lots", "a number and a unit"),
        ("--beneficiaries", "PKH", "give PROGRAM=FILE"),
    ],
)
def test_a_bad_option_is_a_usage_error(
    option: str, value: str, expected: str, tmp_path: Path, cli: Callable[..., Any]
) -> None:
    registry = _write(tmp_path, "reg.csv", REGISTRY)
    lists = _write(tmp_path, "cct.csv", CCT)
    args = ["registry", "coverage", "--registry", str(registry), "--year", "2026"]
    if option != "--beneficiaries":
        args += ["--beneficiaries", f"CCT={lists}"]
    done = cli(*args, option, value)
    assert done.exit_code == 2, done.stdout
    assert expected in done.stderr
