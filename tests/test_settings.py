"""Settings: declared once, read from the environment when used, listed by `lindung settings`
and documented in docs/cli.md exactly as declared."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from lindung import settings
from lindung.ingest.reader import Limits, read_file
from lindung.settings import SETTINGS

GUIDE = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
ROW = re.compile(r"^\| `(LINDUNG_\w+)` \| ([^|]+) \| ([^|]+) \| ([^|]+) \|$")


def test_every_setting_is_documented_with_its_type_default_and_help() -> None:
    rows = [ROW.match(line) for line in GUIDE.read_text(encoding="utf-8").splitlines()]
    documented = [tuple(part.strip() for part in m.groups()) for m in rows if m]
    declared = [(s.env, s.kind, s.shown(s.default), s.help) for s in SETTINGS]
    assert documented == declared


def test_settings_have_distinct_names_and_every_declared_setting_is_listed() -> None:
    declared = [value for value in vars(settings).values() if isinstance(value, settings.Setting)]
    assert sorted(s.name for s in declared) == sorted(s.name for s in SETTINGS)
    assert len({s.env for s in SETTINGS}) == len(SETTINGS)


def test_import_limits_follow_the_environment_when_a_file_is_read(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    rows = tmp_path / "rows.csv"
    rows.write_text("series,value\n" + "".join(f"S{n},1\n" for n in range(12)))
    assert "too-many-rows" not in {f.code for f in read_file(rows).findings}
    monkeypatch.setenv("LINDUNG_IMPORT_MAX_ROWS", "10")
    assert Limits().max_rows == 10
    assert "too-many-rows" in {f.code for f in read_file(rows).findings}


def test_duckdb_memory_cap_follows_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    from lindung.survey.microdata import connect

    monkeypatch.setenv("LINDUNG_DUCKDB_MEMORY", "300MiB")
    con = connect()
    try:
        limit = con.raw_sql("SELECT current_setting('memory_limit')").fetchone()
    finally:
        con.disconnect()
    assert limit == ("300.0 MiB",)


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LINDUNG_DUCKDB_MEMORY", "1GB'; COPY (SELECT 1) TO '/tmp/x"),
        ("LINDUNG_DUCKDB_THREADS", "0"),
        ("LINDUNG_IMPORT_MAX_ROWS", "many"),
    ],
)
def test_a_value_of_the_wrong_type_is_one_error_line_naming_the_variable(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, variable: str, value: str
) -> None:
    monkeypatch.setenv(variable, value)
    result = cli("settings")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {variable}=") and result.stderr.count("\n") == 1


def test_settings_lists_current_values_and_hides_the_database_password(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINDUNG_DATABASE_URL", "postgresql+psycopg://ana:s3cret@db.example/x")
    monkeypatch.setenv("LINDUNG_IMPORT_MAX_ROWS", "5000")
    monkeypatch.setenv("LINDUNG_DUCKDB_THREADS", "")
    result = cli("settings", "--format", "json")
    assert result.exit_code == 0 and "s3cret" not in result.stdout
    listed = {row["env"]: row for row in json.loads(result.stdout)}
    assert list(listed) == [s.env for s in SETTINGS]
    assert listed["LINDUNG_DATABASE_URL"]["value"] == "postgresql+psycopg://ana:***@db.example/x"
    assert listed["LINDUNG_IMPORT_MAX_ROWS"]["value"] == "5_000"
    assert listed["LINDUNG_IMPORT_MAX_ROWS"]["source"] == "environment"
    assert listed["LINDUNG_DUCKDB_THREADS"]["source"] == "default"
    assert listed["LINDUNG_DUCKDB_THREADS"]["value"] == "one per core"


def test_survey_estimate_uses_the_threads_setting_unless_threads_is_given(
    cli: Callable[..., Any], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    data, spec = tmp_path / "s.csv", tmp_path / "s.yaml"
    made = cli("survey", "synth", "--households", "300", "--seed", "1", "--out", str(data),
               "--spec-out", str(spec))  # fmt: skip
    assert made.exit_code == 0
    monkeypatch.setenv("LINDUNG_DUCKDB_THREADS", "1")
    monkeypatch.setenv("LINDUNG_DUCKDB_MEMORY", "256MB")
    run = ["survey", "estimate", str(spec), "--data", str(data), "--out"]
    from_setting = cli("--verbose", *run, str(tmp_path / "setting.csv"))
    assert from_setting.exit_code == 0
    assert "DuckDB: memory cap 256MB, threads 1," in from_setting.stderr
    given = cli("--verbose", *run, str(tmp_path / "given.csv"), "--threads", "2")
    assert "DuckDB: memory cap 256MB, threads 2," in given.stderr
