"""``lindung registry``: coverage, targeting errors and data quality from a social registry."""

from __future__ import annotations

import re
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import typer

from lindung.cli.codes import canonical
from lindung.cli.compute_options import (
    ENGINE_MEMORY_OPTION,
    ENGINE_OPTION,
    MEMORY_OPTION,
    SPARK_MASTER_OPTION,
    THREADS_OPTION,
    EngineName,
    actor_option,
    check_engine,
    memory_cap,
    progress_bar,
    recorder,
    store_option,
)
from lindung.cli.output import (
    FORCE_OPTION,
    Format,
    check_suffix,
    check_writable,
    console,
    error_console,
    labelled,
    output_files,
    print_rows,
)
from lindung.cli.years import year_option
from lindung.errors import UsageError
from lindung.text import counted

if TYPE_CHECKING:
    import pandas as pd

    from lindung.registry import Program

app = typer.Typer(
    help="Coverage, targeting errors and data quality counted from a social registry and its "
    "beneficiary lists.",
    no_args_is_help=True,
)

#: The breakdowns of ``lindung.registry.DOMAINS``, spelled out so that start-up does not import
#: the registry engine; tests/registry/test_cli.py keeps them equal.
BREAKDOWNS = ("region", "sex", "age_group", "decile", "disability")
#: The keys of ``lindung.registry.AREAS`` and their codes, spelled out likewise.
AREAS = {
    "social_assistance": "ALL_SA",
    "social_insurance": "ALL_SI",
    "labour_market": "ALL_LM",
}
TABLE_SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}
TableFormat = Literal["csv", "parquet"]
Target = Literal["decile", "poor"]
_PROGRAM = re.compile(r"[A-Za-z][A-Za-z0-9_]{0,39}")
_PERIODS = re.compile(r"(\d{4}-\d{2}):(\d{4}-\d{2})")


@app.command("coverage")
def coverage_command(
    registry: Path = typer.Option(
        ..., "--registry", help="The registry, one row per person (CSV or Parquet).", metavar="FILE"
    ),
    beneficiaries: list[str] = typer.Option(
        ...,
        "--beneficiaries",
        help="A program's beneficiary list, as PROGRAM=FILE; repeat for each program.",
        metavar="PROGRAM=FILE",
    ),
    area: list[str] = typer.Option(
        [],
        "--area",
        help="A program's area, as PROGRAM=AREA (social_assistance, social_insurance, "
        "labour_market); each area given is also counted as one (ALL_SA, ALL_SI, ALL_LM).",
        metavar="PROGRAM=AREA",
    ),
    year: int = year_option(..., "--year", help="Reference year: ages are reckoned at it."),
    by: str = typer.Option(
        "",
        "--by",
        help=f"Breakdowns, comma-separated, each counted on its own: {','.join(BREAKDOWNS)}.",
    ),
    periods: str | None = typer.Option(
        None,
        "--periods",
        help="Periods of valid payments, FROM:TO inclusive (e.g. 2026-01:2026-12); default all.",
        metavar="FROM:TO",
    ),
    target: Target = typer.Option(
        "decile",
        "--target",
        help="Who is eligible: 'decile' (deciles 1 to --target-deciles) or 'poor' (the flag).",
    ),
    target_deciles: int = typer.Option(
        4, "--target-deciles", min=1, max=10, help="With --target decile: the highest decile."
    ),
    out: Path | None = typer.Option(None, "--out", help="Write the counts (.csv or .parquet)."),
    fmt: TableFormat | None = typer.Option(
        None, "--format", help="Format of --out (default: from its suffix)."
    ),
    quality_out: Path | None = typer.Option(
        None, "--quality-out", help="Write the data-quality counts (.csv or .parquet)."
    ),
    store: bool = store_option("the counts as observations"),
    country: str | None = typer.Option(
        None,
        "--country",
        help="With --store: the member state of the registry (ISO3).",
        metavar="ISO3",
        callback=canonical,
    ),
    actor: str | None = actor_option("the counts"),
    engine: EngineName = ENGINE_OPTION,
    spark_master: str | None = SPARK_MASTER_OPTION,
    memory_limit: str | None = ENGINE_MEMORY_OPTION,
    threads: int | None = THREADS_OPTION,
    force: bool = FORCE_OPTION,
) -> None:
    """Count registered persons, beneficiaries, coverage, amounts and targeting errors."""
    from lindung.cli.collector import loading

    with loading():
        from lindung.registry import CoverageOptions, registry_coverage
        from lindung.registry.output import write_table

    programs = _programs(beneficiaries, area)
    inputs = [registry, *(program.path for program in programs)]
    targets = [path for path in (out, quality_out) if path is not None]
    check_writable(*targets, force=force, inputs=inputs)
    formats = [check_suffix(out, TABLE_SUFFIXES, fmt)] if out is not None else []
    if quality_out is not None:
        formats.append(check_suffix(quality_out, TABLE_SUFFIXES, None))
    options = CoverageOptions(
        by=_breakdowns(by),
        year=year,
        target=target,
        target_deciles=target_deciles,
        periods=_periods(periods),
    )
    check_engine(engine, spark_master)
    memory = memory_cap(memory_limit)
    if store and not country:
        raise UsageError("--store needs --country ISO3, the member state of the registry")
    if country and not store:
        raise UsageError("--country is for --store; add --store or leave --country out")
    storing = recorder(actor, "store registry counts", country) if store and country else None
    started = time.perf_counter()
    with progress_bar() as advance:
        result = registry_coverage(
            registry,
            programs,
            options,
            engine=engine,
            spark_master=spark_master,
            memory_limit=memory,
            threads=threads,
            progress=advance,
        )
    if targets:
        frames = [result.table] if out is not None else []
        if quality_out is not None:
            frames.append(result.quality)
        with output_files(*targets, force=force, inputs=inputs) as staged:
            for frame, path, chosen in zip(frames, staged, formats, strict=True):
                write_table(frame, path, chosen)
    totals = result.table[result.table["by"] == "_T"]
    print_rows(
        _records(totals),
        Format.table,
        title="coverage",
        columns=[
            "program",
            "registered_persons",
            "beneficiary_persons",
            "beneficiary_households",
            "coverage",
            "inclusion_error",
            "exclusion_error",
            "amount_total",
        ],
    )
    print_rows(_records(result.quality), Format.table, title="data quality")
    written = f"; wrote {', '.join(str(path) for path in targets)}" if targets else ""
    console.print(
        f"counted {counted(result.persons, 'person')} in "
        f"{counted(result.households, 'household')} and "
        f"{counted(len(programs), 'program')} in {time.perf_counter() - started:.1f} s{written}",
        highlight=False,
    )
    if storing is not None and country is not None:
        from lindung.registry.record import record_coverage

        stored = record_coverage(
            storing[0],
            result,
            registry=registry,
            programs=programs,
            options=options,
            country=country,
            actor=storing[1],
        )
        for note in stored["notes"]:
            error_console.print(labelled("note:", "yellow", str(note)), highlight=False)
        what = "stored as" if stored["created"] else "already stored as"
        console.print(
            f"{what} run {stored['survey_run']} (submission {stored['submission']}, "
            f"{counted(stored['observations'], 'observation')})",
            highlight=False,
        )


@app.command("synth")
def synth_command(
    persons: int = typer.Option(..., "--persons", min=1, help="Number of registered persons."),
    seed: int = typer.Option(1, "--seed", help="Random seed (the same seed, the same files)."),
    out: Path = typer.Option(..., "--out", help="Folder to write the Parquet files into."),
    memory_limit: str | None = MEMORY_OPTION,
    threads: int | None = THREADS_OPTION,
    force: bool = FORCE_OPTION,
) -> None:
    """Write a realistic synthetic registry and three programs' beneficiary lists (Parquet)."""
    from lindung.registry.synth import PROGRAMS, synthetic_registry

    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file; give a folder to write the registry into")
    if not out.parent.is_dir():
        raise UsageError(f"folder {out.parent} does not exist; create it or choose another")
    out.mkdir(exist_ok=True)
    targets = [out / "registry.parquet", *(out / f"{code}.parquet" for code in PROGRAMS)]
    check_writable(*targets, force=force)
    memory = memory_cap(memory_limit)
    started = time.perf_counter()
    with output_files(*targets, force=force) as staged, progress_bar() as advance:
        written = synthetic_registry(
            persons,
            seed,
            staged[0].parent,
            memory_limit=memory,
            threads=threads,
            progress=advance,
        )
    rows = ", ".join(f"{code} {counted(written.rows[code], 'row')}" for code in PROGRAMS)
    console.print(
        f"wrote {counted(written.persons, 'person')} in "
        f"{counted(written.households, 'household')} to {targets[0]} "
        f"and the lists ({rows}) "
        f"in {time.perf_counter() - started:.1f} s",
        highlight=False,
    )


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(key): value for key, value in row.items()} for row in frame.to_dict("records")]


def _programs(given: list[str], areas: list[str]) -> list[Program]:
    """Return the programs of ``--beneficiaries PROGRAM=FILE``, each code given once, with
    their ``--area PROGRAM=AREA``."""
    from lindung.registry import Program

    files: dict[str, Path] = {}
    for item in given:
        code, sep, file = item.partition("=")
        if not sep or not file:
            raise UsageError(f"--beneficiaries {item!r}: give PROGRAM=FILE, e.g. PKH=pkh.parquet")
        if not _PROGRAM.fullmatch(code) or code.upper() in AREAS.values():
            raise UsageError(
                f"--beneficiaries {item!r}: a program code is a letter and up to 39 letters, "
                "digits or underscores (e.g. PKH), and not an area's code"
            )
        if code in files:
            raise UsageError(f"--beneficiaries: program {code!r} is given twice; give it once")
        files[code] = Path(file)
    chosen: dict[str, str] = {}
    for item in areas:
        code, _sep, name = item.partition("=")
        if code not in files:
            raise UsageError(f"--area {item!r}: no --beneficiaries for program {code!r}")
        if name not in AREAS:
            raise UsageError(f"--area {item!r}: the area is one of {', '.join(AREAS)}")
        if code in chosen:
            raise UsageError(f"--area: program {code!r} is given an area twice; give it once")
        chosen[code] = name
    return [Program(code, path, chosen.get(code)) for code, path in files.items()]


def _breakdowns(by: str) -> tuple[str, ...]:
    names = tuple(name.strip() for name in by.split(",") if name.strip())
    for name in names:
        if name not in BREAKDOWNS:
            raise UsageError(f"--by {name!r}: not a breakdown; choose from {','.join(BREAKDOWNS)}")
    if len(set(names)) != len(names):
        raise UsageError(f"--by {by!r}: a breakdown is named twice; name each once")
    return names


def _periods(periods: str | None) -> tuple[str, str] | None:
    if periods is None:
        return None
    found = _PERIODS.fullmatch(periods.strip())
    if (
        found is None
        or found[1] > found[2]
        or not all(1 <= int(value[5:]) <= 12 for value in (found[1], found[2]))
    ):
        raise UsageError(
            f"--periods {periods!r}: give FROM:TO as YYYY-MM:YYYY-MM with FROM not after TO, "
            "e.g. 2026-01:2026-12"
        )
    return found[1], found[2]
