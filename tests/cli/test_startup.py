"""Start-up of `lindung`: loading the command tree imports no heavy library, so `lindung --help`
and the small commands do not wait for pandas, Ibis or the store to load."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import get_args

from lindung.cli.survey import EstimateFormat
from lindung.survey import OutputFormat

#: What only the commands that use them may import (inside the command).
HEAVY = (
    "pandas",
    "numpy",
    "ibis",
    "duckdb",
    "sqlalchemy",
    "alembic",
    "openpyxl",
    "pyarrow",
    "scipy",
    "lindung.store",
    "lindung.survey",
    "lindung.assess",
    "lindung.ingest",
)


def _modules_after(code: str) -> set[str]:
    """Return the modules a fresh interpreter holds after running ``code``."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, timeout=120
    )
    return set(json.loads(done.stdout.splitlines()[-1]))


def _loaded(modules: set[str], package: str) -> bool:
    return any(name == package or name.startswith(f"{package}.") for name in modules)


def test_loading_the_cli_imports_no_heavy_library() -> None:
    modules = _modules_after("import lindung.cli.main")
    assert "lindung.cli.main" in modules
    assert [package for package in HEAVY if _loaded(modules, package)] == []


def test_building_every_command_and_its_help_imports_no_heavy_library() -> None:
    modules = _modules_after(
        "import typer.main\nfrom lindung.cli.main import app\ntyper.main.get_command(app)"
    )
    assert [package for package in HEAVY if _loaded(modules, package)] == []


def test_survey_estimate_offers_exactly_the_engine_output_formats() -> None:
    # The CLI spells the formats out so as not to import the survey engine at start-up.
    assert get_args(EstimateFormat) == tuple(member.value for member in OutputFormat)


def test_survey_estimate_offers_exactly_the_engines_of_the_survey_backend() -> None:
    from lindung.cli.survey import EstimateEngine
    from lindung.survey.backend import ENGINES

    assert get_args(EstimateEngine) == ENGINES


def test_the_survey_engine_loads_without_the_survey_maker() -> None:
    # Estimating needs neither the synthetic survey's code nor PyArrow's Parquet writer.
    modules = _modules_after("import lindung.survey")
    assert {"lindung.survey.synth", "pyarrow.parquet"} & modules == set()
    made = _modules_after("from lindung.survey import synthetic_spec, write_survey")
    assert "lindung.survey.synth" in made


#: Runs the ``lindung`` command as its console script does, and says at exit how many objects
#: the garbage collector was told to leave alone.
AS_THE_COMMAND = """
import atexit, gc, sys
from lindung.cli.main import run
atexit.register(lambda: print("frozen:", gc.get_freeze_count()))
sys.argv = ["lindung", *sys.argv[1:]]
run()
"""


#: The same command through :func:`main`, as tests and scripts call it.
AS_MAIN = """
import sys
from lindung.cli.main import main
sys.argv = ["lindung", *sys.argv[1:]]
main()
"""


def _process(code: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-c", code, *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


def test_the_command_ends_without_the_collectors_last_passes_and_keeps_its_status() -> None:
    from importlib.metadata import entry_points

    (script,) = entry_points(group="console_scripts", name="lindung")
    assert script.value == "lindung.cli.main:run"
    shown = _process(AS_THE_COMMAND, "framework", "show", "SI_COV_BENFTS")
    assert shown.returncode == 0, shown.stderr
    frozen = int(shown.stdout.rsplit("frozen:", 1)[1])
    assert frozen > 10_000, frozen
    refused = _process(AS_THE_COMMAND, "framework", "show", "NOPE")
    plain = _process(AS_MAIN, "framework", "show", "NOPE")
    assert refused.returncode == plain.returncode != 0
    assert refused.stderr == plain.stderr
    assert refused.stderr.startswith("Error: ")


LOADING = """
import gc, json, sys
from lindung.cli import collector
if sys.argv[1] == "owned":
    collector.own_process()
with collector.loading():
    inside = gc.isenabled()
    import lindung.survey.engine
print(json.dumps([inside, gc.isenabled(), gc.get_freeze_count()]))
"""


def test_the_engine_loads_without_the_collector_only_in_the_commands_own_process() -> None:
    # The command's own process: off while the engine loads, then on, with what was loaded
    # frozen (the survey engine makes well over 100,000 objects that live as long as it).
    owned = _process(LOADING, "owned")
    assert owned.returncode == 0, owned.stderr
    inside, after, frozen = json.loads(owned.stdout)
    assert (inside, after) == (False, True)
    assert frozen > 100_000, frozen
    # Anywhere else (a test, a notebook calling main), nothing changes and nothing is frozen.
    hosted = _process(LOADING, "hosted")
    assert hosted.returncode == 0, hosted.stderr
    assert json.loads(hosted.stdout) == [True, True, 0]
