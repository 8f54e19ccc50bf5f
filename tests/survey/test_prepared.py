"""DuckDB opened and CSV layouts sniffed ahead, while the engine's modules load
(``lindung.survey.prepared``): taken only when they are what the engine would make itself."""

from __future__ import annotations

import gzip
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from lindung.survey import prepared
from lindung.survey.backend import DuckDB
from lindung.survey.prepared import (
    NOT_SNIFFED,
    duckdb_config,
    prepare,
    prepared_connection,
    prepared_layout,
    sniff,
)


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def test_loading_it_brings_none_of_the_engines_modules() -> None:
    # Started before the engine loads, it must not load the engine itself.
    code = (
        "import sys, lindung.survey.prepared; "
        "print(sorted(m for m in ('ibis', 'numpy', 'pyarrow', 'pandas', 'sqlglot') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_the_backend_takes_the_connection_and_layout_found_ahead(tmp_path: Path) -> None:
    data = _write(tmp_path / "people.csv", "hh,weight,name\n1,2.5,a\n2,3.0,b\n")
    with prepare([data, tmp_path / "other.parquet"], threads=1):
        layout = prepared_layout(data)
        assert layout is not None and not isinstance(layout, prepared.NotSniffed)
        assert layout["columns"] == {"hh": "BIGINT", "weight": "DOUBLE", "name": "VARCHAR"}
        # The same layout the backend's own sniffing finds.
        assert layout == sniff(duckdb.connect(), data)
        # Only CSV files are sniffed.
        assert prepared_layout(tmp_path / "other.parquet") is NOT_SNIFFED
        (started,) = prepared._STARTED
        opened = started.done().con
        assert opened is not None
        backend = DuckDB(threads=1)
        assert backend.con.con is opened
        assert prepared_connection(duckdb_config(1)) is None  # taken once, by the backend
        table = backend.read(data, "csv")
        assert table.count().to_pyarrow().as_py() == 2
        assert table.schema().names == ("hh", "weight", "name")
        backend.disconnect()
    assert prepared._STARTED == []


def test_a_file_changed_since_is_sniffed_again(tmp_path: Path) -> None:
    data = _write(tmp_path / "people.csv", "hh,weight\n1,2.5\n")
    with prepare([data], threads=1):
        assert prepared_layout(data) not in (None, NOT_SNIFFED)
        _write(data, "household;w;extra\n1;2;x\n2;3;y\n")
        assert prepared_layout(data) is NOT_SNIFFED
        backend = DuckDB(threads=1)
        table = backend.read(data, "csv")
        assert table.schema().names == ("household", "w", "extra")
        backend.disconnect()


def test_a_connection_opened_otherwise_is_not_taken_and_is_closed(tmp_path: Path) -> None:
    data = _write(tmp_path / "people.csv", "hh\n1\n")
    with prepare([data], threads=1):
        assert prepared_connection(duckdb_config(2)) is None
        assert prepared_connection(duckdb_config(1, "123MB")) is None
        (started,) = prepared._STARTED
        con = started.done().con
        assert con is not None
    assert started.con is None
    with pytest.raises(duckdb.ConnectionException):
        con.execute("SELECT 1")


def test_duckdb_refusing_to_open_ahead_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The thread ahead gives up quietly (no traceback on the console); the backend then opens
    # DuckDB itself, where any error is reported as it always was.
    raised: list[object] = []
    monkeypatch.setattr("threading.excepthook", raised.append)
    monkeypatch.setattr(prepared, "duckdb_config", lambda *_: {"memory_limit": "not a size"})
    data = _write(tmp_path / "people.csv", "hh\n1\n")
    with prepare([data], threads=1):
        (started,) = prepared._STARTED
        assert started.done().con is None
        assert prepared_layout(data) is NOT_SNIFFED
        assert prepared_connection({"memory_limit": "not a size"}) is None
    assert raised == []


def test_a_small_csv_is_read_ahead_into_a_table_holding_what_the_file_reads_as(
    tmp_path: Path,
) -> None:
    data = _write(
        tmp_path / "people.csv",
        'hh,weight,name,note\n1,2.5,"Siti, Jr.",\n2,,b,"say ""hi"""\n3,1e3,,x\n',
    )
    direct = DuckDB(threads=1)
    expected = direct.read(data, "csv").to_pyarrow()
    direct.disconnect()
    with prepare([data], threads=1):
        backend = DuckDB(threads=1)
        table = backend.read(data, "csv")
        assert table.get_name().startswith("_lindung_read_ahead_")
        found = table.to_pyarrow()
        backend.disconnect()
    assert found.schema == expected.schema
    assert found.to_pylist() == expected.to_pylist()
    assert found.to_pylist()[1] == {"hh": 2, "weight": None, "name": "b", "note": 'say "hi"'}


def test_a_table_read_ahead_is_not_taken_for_a_file_changed_since_or_by_another_connection(
    tmp_path: Path,
) -> None:
    data = _write(tmp_path / "people.csv", "hh,weight\n1,2.5\n")
    with prepare([data], threads=1):
        (started,) = prepared._STARTED
        opened = started.done().con
        assert opened is not None and prepared.prepared_table(opened, data) is None  # not taken
        backend = DuckDB(threads=1)
        assert prepared.prepared_table(backend.con.con, data) is not None
        _write(data, "hh,weight\n1,2.5\n2,4.0\n")
        assert prepared.prepared_table(backend.con.con, data) is None
        assert backend.read(data, "csv").count().to_pyarrow().as_py() == 2
        backend.disconnect()


def test_large_compressed_or_unfitting_files_are_not_read_ahead(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    raised: list[object] = []
    monkeypatch.setattr("threading.excepthook", raised.append)
    small = _write(tmp_path / "small.csv", "hh\n1\n")
    packed = tmp_path / "small.csv.gz"
    packed.write_bytes(gzip.compress(small.read_bytes()))
    # Whole numbers for longer than the sniffer's sample, then a word: the layout says BIGINT,
    # and the read that follows it fails; the backend reads the file and reports it itself.
    late = _write(tmp_path / "late.csv", "hh\n" + "1\n" * 30_000 + "many\n")
    for path in (packed, late):
        with prepare([path], threads=1):
            (started,) = prepared._STARTED
            layout = started.done().layouts[path.resolve()][1]
            assert layout is not None and layout["columns"] == {"hh": "BIGINT"}
            assert started.tables == {}
    monkeypatch.setattr(prepared, "READ_AHEAD_BYTES", 4)
    with prepare([small], threads=1):
        (started,) = prepared._STARTED
        assert started.done().layouts and started.tables == {}
    assert raised == []


def test_the_limit_is_on_all_the_files_of_a_command_together(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _write(tmp_path / "a.csv", "hh\n1\n")  # 5 bytes each
    second = _write(tmp_path / "b.csv", "hh\n2\n")
    monkeypatch.setattr(prepared, "READ_AHEAD_BYTES", 10)
    with prepare([first, second], threads=1):
        (started,) = prepared._STARTED
        assert sorted(p.name for p in started.done().tables) == ["a.csv", "b.csv"]
    monkeypatch.setattr(prepared, "READ_AHEAD_BYTES", 9)
    with prepare([first, second], threads=1):
        (started,) = prepared._STARTED
        assert started.done().tables == {}
