"""Ibis's SQL compilers load one at a time: a survey on DuckDB imports DuckDB's compiler only,
and every name the compilers package offers is still there when asked for."""

from __future__ import annotations

import json
import subprocess
import sys

COMPILERS = "ibis.backends.sql.compilers"


def _run(code: str) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter; return the JSON it prints last."""
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    found: dict[str, object] = json.loads(done.stdout.splitlines()[-1])
    return found


def test_opening_duckdb_imports_only_its_own_compiler() -> None:
    found = _run(
        "import json, sys\n"
        "import ibis\n"
        "from lindung.survey.backend import open_backend\n"
        "con = open_backend(threads=1)\n"
        "t = ibis.memtable({'x': [41]})\n"
        "answer = con.con.to_pyarrow(t.mutate(x=t.x + 1))['x'][0].as_py()\n"
        f"names = sorted(m for m in sys.modules if m.startswith('{COMPILERS}.'))\n"
        "print(json.dumps({'names': names, 'answer': int(answer)}))"
    )
    assert found == {
        "names": [f"{COMPILERS}._compat", f"{COMPILERS}.base", f"{COMPILERS}.duckdb"],
        "answer": 42,
    }


def test_a_compiler_class_by_name_loads_the_whole_package() -> None:
    found = _run(
        "import json, sys\n"
        "import lindung.survey.backend\n"
        f"from {COMPILERS} import PostgresCompiler\n"
        f"import {COMPILERS} as compilers\n"
        "print(json.dumps({'class': PostgresCompiler.__name__, 'all': len(compilers.__all__),"
        " 'sqlite': compilers.sqlite.__name__}))"
    )
    assert found == {"class": "PostgresCompiler", "all": 20, "sqlite": f"{COMPILERS}.sqlite"}


def test_nothing_changes_when_ibis_loaded_its_compilers_first() -> None:
    found = _run(
        "import json, sys\n"
        f"import {COMPILERS}\n"
        "from lindung.survey.sql_compilers import load_compilers_lazily\n"
        f"print(json.dumps({{'lazy': load_compilers_lazily(), "
        f"'type': type(sys.modules['{COMPILERS}']).__name__}}))"
    )
    assert found == {"lazy": False, "type": "module"}
