"""What `import lindung.assess` brings: the assessment is pure, so it loads no store, no
migration tool and no password hashing; the observation key has one home."""

from __future__ import annotations

import json
import subprocess
import sys

FORBIDDEN = ("lindung.store", "lindung.ingest", "lindung.cli", "sqlalchemy", "alembic", "argon2")


def test_importing_the_assessment_loads_no_store_alembic_or_argon2() -> None:
    # A fresh interpreter: this test process has long imported the store for other tests.
    script = "import json, sys, lindung.assess; print(json.dumps(sorted(sys.modules)))"
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    )
    loaded = json.loads(result.stdout)
    offending = [
        name for name in loaded if any(name == f or name.startswith(f + ".") for f in FORBIDDEN)
    ]
    assert offending == []


def test_the_store_schema_uses_the_one_dimension_list() -> None:
    from lindung import keys
    from lindung.store import KEY, schema

    assert schema.DIMENSIONS is keys.DIMENSIONS
    assert KEY is keys.KEY
    assert ("series", "ref_area", "time_period", *keys.DIMENSIONS) == keys.KEY
