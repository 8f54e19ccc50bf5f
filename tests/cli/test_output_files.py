"""Commands that write a file refuse a folder, a missing folder, an input and (without
--force) an existing file; they follow the file's suffix; and they never leave half a file."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lindung.ingest import make_template

Run = Callable[..., Any]
TEMPLATE = (
    "template",
    "make",
    "--country",
    "IDN",
    "--year",
    "2019",
    "--indicators",
    "SI_COV_BENFTS",
)


def _one_error_line(done: Any, *words: str) -> None:
    assert done.exit_code == 2  # a usage error: the output named is the mistake
    error, *hint = done.stderr.splitlines()
    assert error.startswith("Error: ") and all(h.startswith("Try 'lindung") for h in hint), hint
    for word in words:
        assert word in error


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_template_make_refuses_a_folder_and_a_missing_folder(cli: Run, tmp_path: Path) -> None:
    _one_error_line(cli(*TEMPLATE, "--out", str(tmp_path)), "is a folder")
    _one_error_line(cli(*TEMPLATE, "--out", str(tmp_path / "no" / "t.xlsx")), "does not exist")


def test_template_make_keeps_a_filled_workbook_of_the_same_name(cli: Run, tmp_path: Path) -> None:
    out = tmp_path / "IDN_2019.xlsx"
    out.write_bytes(b"the focal point's filled workbook")
    _one_error_line(cli(*TEMPLATE, "--out", str(out)), "already exists", "--force")
    assert out.read_bytes() == b"the focal point's filled workbook"
    assert cli(*TEMPLATE, "--out", str(out), "--force").exit_code == 0
    assert out.read_bytes().startswith(b"PK")
    assert _leftovers(tmp_path) == []


def test_a_csv_template_keeps_an_existing_schema_beside_it(cli: Run, tmp_path: Path) -> None:
    (tmp_path / "schema.json").write_text("{}", encoding="utf-8")
    _one_error_line(cli(*TEMPLATE, "--out", str(tmp_path / "IDN.csv")), "schema.json")
    assert (tmp_path / "schema.json").read_text(encoding="utf-8") == "{}"
    assert not (tmp_path / "IDN.csv").exists()


@pytest.fixture
def filled(tmp_path: Path) -> Path:
    path = tmp_path / "IDN.xlsx"
    make_template(path, country="IDN", year=2019, indicators=["SI_COV_BENFTS"])
    return path


def test_annotate_never_writes_over_its_input(cli: Run, filled: Path) -> None:
    before = filled.read_bytes()
    for force in ([], ["--force"]):
        done = cli("submission", "check", str(filled), "--annotate", str(filled), *force)
        _one_error_line(done, "is the input file")
        assert filled.read_bytes() == before


@pytest.mark.parametrize(
    ("where", "words"),
    [
        ("folder", ("is a folder",)),
        ("missing/out.xlsx", ("does not exist",)),
        ("/dev/full", ("not a regular file",)),
        ("out.csv", ("out.csv", ".xlsx")),
    ],
)
def test_annotate_to_where_it_cannot_write_is_one_error_line(
    cli: Run, filled: Path, where: str, words: tuple[str, ...]
) -> None:
    (filled.parent / "folder").mkdir()
    target = where if where.startswith("/") else str(filled.parent / where)
    done = cli("submission", "check", str(filled), "--annotate", target, "--force")
    _one_error_line(done, *words)


def test_annotate_writes_a_new_file_and_refuses_an_existing_one(cli: Run, filled: Path) -> None:
    target = filled.parent / "marked.xlsx"
    assert cli("submission", "check", str(filled), "--annotate", str(target)).exit_code == 5
    assert target.read_bytes().startswith(b"PK")
    again = cli("submission", "check", str(filled), "--annotate", str(target))
    _one_error_line(again, "already exists")
    assert _leftovers(filled.parent) == []


@pytest.fixture
def survey(cli: Run, tmp_path: Path) -> tuple[Path, Path]:
    data, spec = tmp_path / "s.csv", tmp_path / "s.yaml"
    done = cli("survey", "synth", "--households", "60", "--out", str(data), "--spec-out", str(spec))
    assert done.exit_code == 0, done.stderr
    return data, spec


def test_survey_synth_refuses_a_folder_an_existing_file_and_a_wrong_suffix(
    cli: Run, survey: tuple[Path, Path], tmp_path: Path
) -> None:
    data, spec = survey
    synth = ("survey", "synth", "--households", "5")
    _one_error_line(cli(*synth, "--out", str(tmp_path)), "is a folder")
    _one_error_line(cli(*synth, "--out", str(data)), "already exists")
    _one_error_line(cli(*synth, "--out", str(tmp_path / "s.json")), ".csv")
    _one_error_line(
        cli(*synth, "--out", str(tmp_path / "t.csv"), "--spec-out", str(spec)), "s.yaml"
    )
    assert not (tmp_path / "t.csv").exists()


def test_survey_estimate_follows_the_suffix_and_refuses_a_mismatch(
    cli: Run, survey: tuple[Path, Path], tmp_path: Path
) -> None:
    data, spec = survey
    estimate = ("survey", "estimate", str(spec), "--data", str(data))
    out = tmp_path / "e.json"
    done = cli(*estimate, "--out", str(out))
    assert done.exit_code == 0, done.stderr
    assert isinstance(json.loads(out.read_text(encoding="utf-8")), list)
    _one_error_line(cli(*estimate, "--out", str(tmp_path / "f.json"), "--format", "csv"), "f.json")
    _one_error_line(cli(*estimate, "--out", str(data), "--force"), "is the input file")
    _one_error_line(cli(*estimate, "--out", str(out)), "already exists")


@pytest.mark.parametrize("name", ["e.xlsx", "e.txt", "e.CSV.bak"])
@pytest.mark.parametrize("fmt", [(), ("--format", "csv")])
def test_survey_estimate_refuses_a_suffix_it_does_not_write_even_with_a_format(
    cli: Run, survey: tuple[Path, Path], tmp_path: Path, name: str, fmt: tuple[str, ...]
) -> None:
    # CSV text in e.xlsx opens as a broken workbook; every writer refuses the suffix alike.
    data, spec = survey
    done = cli(
        "survey", "estimate", str(spec), "--data", str(data), "--out", str(tmp_path / name), *fmt
    )
    _one_error_line(done, name, ".csv, .json, .parquet")
    assert not (tmp_path / name).exists()


def test_survey_estimate_without_a_suffix_writes_the_format_asked_or_csv(
    cli: Run, survey: tuple[Path, Path], tmp_path: Path
) -> None:
    data, spec = survey
    estimate = ("survey", "estimate", str(spec), "--data", str(data), "--out")
    assert cli(*estimate, str(tmp_path / "plain")).exit_code == 0
    assert (tmp_path / "plain").read_text(encoding="utf-8").startswith("indicator,program,")
    assert cli(*estimate, str(tmp_path / "asked"), "--format", "json").exit_code == 0
    assert isinstance(json.loads((tmp_path / "asked").read_text(encoding="utf-8")), list)
