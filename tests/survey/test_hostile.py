"""Hostile settings: what the environment holds reaches DuckDB as values, never as SQL text."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest

from lindung.survey.microdata import connect

from .conftest import Run, minimal_spec, pick
from .test_bad_input import people


def test_a_tmpdir_with_sql_in_its_name_is_only_a_folder_name(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run: Run
) -> None:
    target = tmp_path / "chosen-by-the-attacker.csv"
    crafted = tmp_path / f"x'; COPY (SELECT 42 AS v) TO '{target}'; SET temp_directory = 'y"
    crafted.mkdir(parents=True)
    monkeypatch.setenv("TMPDIR", str(crafted))
    monkeypatch.setattr(tempfile, "tempdir", None)
    con = connect()
    try:
        spill = con.con.sql("SELECT current_setting('temp_directory')").fetchall()
    finally:
        con.disconnect()
    assert not target.exists()
    assert spill == [(f"{crafted}/lindung-duckdb",)]
    result = run(minimal_spec(), people())
    assert pick(result, "coverage", program="cash").estimate > 0
    assert not target.exists()
