"""A CSV file's layout is detected once and spelled out to DuckDB: the table read is the one
DuckDB's own detection reads (oracle: DuckDB's ``read_csv`` with detection on, through Ibis),
whatever the delimiter, quoting, line ends, header or compression."""

from __future__ import annotations

import gzip
from pathlib import Path

import ibis
import pytest

from lindung.survey.backend import DuckDB

FILES = {
    "comma.csv": "a,b,c\n1,2.5,x\n3,4,y\n",
    "semicolon.csv": 'a;b;c\n1;2,5;x\n3;4;"y;z"\n',
    "tab.csv": "a\tb\tc\n1\t2.5\tx\n3\t4\ty\n",
    "crlf.csv": "a,b,c\r\n1,2.5,x\r\n3,4,y\r\n",
    "quoted.csv": 'a,b,c\n1,"2.5","he said ""hi"""\n3,4,"multi, comma"\n',
    "no_header.csv": "1,2.5,x\n3,4,y\n5,6,z\n",
    "bom.csv": "\ufeffa,b,c\n1,2.5,x\n3,4,y\n",
    "blanks.csv": "a,b,c\n1,,x\n,4,\n",
    "yes_no.csv": "a,flag\n1,Yes\n2,No\n",
    "header_only.csv": "a,b,c\n",
    "comment_line.csv": "# a comment\na,b\n1,2\n",
    "it's quoted.csv": "a,b\n1,2\n",
}


def _write(folder: Path, name: str) -> Path:
    path = folder / name
    if name.endswith(".gz"):
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write("a,b\n1,2\n3,4.5\n")
    else:
        path.write_text(FILES[name], encoding="utf-8", newline="")
    return path


@pytest.mark.parametrize("name", [*FILES, "compressed.csv.gz"])
def test_a_csv_reads_as_duckdb_detects_it(tmp_path: Path, name: str) -> None:
    path = _write(tmp_path, name)
    backend = DuckDB(threads=1)
    read = backend.read(path, "csv")
    oracle = ibis.duckdb.connect(threads=1).read_csv(
        str(path), auto_type_candidates=["BIGINT", "DOUBLE", "VARCHAR"]
    )
    assert read.schema() == oracle.schema()
    assert read.to_pyarrow().to_pylist() == oracle.to_pyarrow().to_pylist()


def test_the_view_names_every_column_and_detects_nothing(tmp_path: Path) -> None:
    path = _write(tmp_path, "quoted.csv")
    backend = DuckDB(threads=1)
    read = backend.read(path, "csv")
    [(definition,)] = backend.con.con.execute(
        "SELECT sql FROM duckdb_views() WHERE view_name = ?", [read.get_name()]
    ).fetchall()
    assert "(auto_detect = false)" in definition
    assert "struct_pack(a := 'BIGINT', b := 'DOUBLE', c := " in definition
