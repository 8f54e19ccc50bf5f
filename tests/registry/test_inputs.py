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


# Values outside their column's domain. Person 8 is the registry's ninth line (after the
# header); household 40's payment is the list's sixth. Each case: the file, what to change,
# the column, the value the error names, and words of the fix.
_BAD_VALUES = [
    ("registry", "1970,0,8,0", "1970,0,8,maybe", "poor", "maybe", "yes/no", 9),
    ("registry", "1970,0,8,0", "1970,2,8,0", "disability", "2", "yes/no", 9),
    ("registry", "1970,0,8,0", "1970,0,11,0", "decile", "11", "1 to 10", 9),
    ("registry", "1970,0,8,0", "1970,0,0,0", "decile", "0", "1 to 10", 9),
    ("registry", "1970,0,8,0", "abc,0,8,0", "birth_year", "abc", "year of birth", 9),
    ("registry", "1970,0,8,0", "2031,0,8,0", "birth_year", "2031", "year of birth", 9),
    ("list", "40,100,2026-03", "40,lots,2026-03", "amount", "lots", "plain numbers", 6),
    ("list", "40,100,2026-03", "40,100,March", "period", "March", "YYYY-MM", 6),
    ("list", "40,100,2026-03", "40,100,2026-13", "period", "2026-13", "YYYY-MM", 6),
]


@pytest.mark.parametrize(("which", "old", "new", "column", "value", "fix", "line"), _BAD_VALUES)
def test_a_value_outside_its_columns_domain_is_refused_at_its_line(
    which: str, old: str, new: str, column: str, value: str, fix: str, line: int, tmp_path: Path
) -> None:
    registry_text = REGISTRY.replace(old, new) if which == "registry" else REGISTRY
    list_text = CCT.replace(old, new) if which == "list" else CCT
    assert registry_text != REGISTRY or list_text != CCT
    registry = _write(tmp_path, "reg.csv", registry_text)
    lists = _write(tmp_path, "cct.csv", list_text)
    with pytest.raises(RegistryInputError) as raised:
        registry_coverage(registry, [Program("CCT", lists)], CoverageOptions(year=2026))
    bad = registry if which == "registry" else lists
    assert str(raised.value).startswith(f"{bad}, line {line}, column {column!r}: {value!r}")
    assert fix in str(raised.value)


def test_the_count_of_bad_rows_is_given_beside_the_first(tmp_path: Path) -> None:
    text = REGISTRY.replace("1970,0,8,0", "1970,0,8,maybe").replace("1972,1,8,0", "1972,1,8,?")
    with pytest.raises(
        RegistryInputError, match=r"line 10, column 'poor': '\?'.*\(2 rows in all\)"
    ):
        _count(_write(tmp_path, "reg.csv", text), _write(tmp_path, "cct.csv", CCT))


def test_a_wrongly_typed_parquet_column_is_refused_at_its_row(tmp_path: Path) -> None:
    import pandas as pd

    registry = tmp_path / "reg.parquet"
    pd.read_csv(_write(tmp_path, "reg.csv", REGISTRY)).to_parquet(registry)
    lists = tmp_path / "cct.parquet"
    frame = pd.read_csv(_write(tmp_path, "cct.csv", CCT), dtype={"amount": str})
    frame.loc[4, "amount"] = "lots"
    frame.to_parquet(lists)
    with pytest.raises(RegistryInputError) as raised:
        registry_coverage(registry, [Program("CCT", lists)], CoverageOptions(year=2026))
    assert str(raised.value).startswith(f"{lists}, row 5, column 'amount': 'lots' is not a number")


def test_missing_values_are_counted_not_refused(tmp_path: Path) -> None:
    # An empty flag is no, an empty decile an unknown level: the file is counted.
    text = REGISTRY.replace("1970,0,8,0", "1970,,,")
    registry = _write(tmp_path, "reg.csv", text)
    result = registry_coverage(
        registry, [Program("CCT", _write(tmp_path, "cct.csv", CCT))], CoverageOptions(year=2026)
    )
    assert int(result.table.iloc[0]["registered_persons"]) == 10


def test_a_period_given_as_a_date_is_taken_as_its_month(tmp_path: Path) -> None:
    # Household 40's payment on 15 March 2026 is March's; within 2026-01:2026-03 it counts.
    lists = _write(tmp_path, "cct.csv", CCT.replace("40,100,2026-03", "40,100,2026-03-15"))
    options = CoverageOptions(year=2026, periods=("2026-01", "2026-03"))
    result = registry_coverage(
        _write(tmp_path, "reg.csv", REGISTRY), [Program("CCT", lists)], options
    )
    assert int(result.quality.iloc[0]["periods_outside"]) == 1  # household 20's 2025-12 only


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"", "the file is empty"),
        (REGISTRY.splitlines()[0].encode() + b"\n", "a header but no rows"),
        (REGISTRY.replace("A,F,1990", "Pulau P\xe9nang,F,1990").encode("latin-1"), "not UTF-8"),
    ],
)
def test_an_empty_or_undecodable_registry_says_so(
    content: bytes, expected: str, tmp_path: Path
) -> None:
    registry = tmp_path / "reg.csv"
    registry.write_bytes(content)
    with pytest.raises(RegistryInputError, match=expected):
        _count(registry, _write(tmp_path, "cct.csv", CCT))
