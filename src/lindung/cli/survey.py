"""``lindung survey``: social protection indicators with standard errors from survey microdata."""

from __future__ import annotations

import time
from contextlib import nullcontext
from pathlib import Path
from typing import Literal

import typer
import yaml

from lindung.cli.compute_options import (
    ENGINE_OPTION,
    SPARK_MASTER_OPTION,
    THREADS_OPTION,
    EngineName,
    actor_option,
    check_engine,
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
from lindung.text import counted, shown_number

app = typer.Typer(
    help="Social protection indicators with design-based standard errors from survey microdata.",
    no_args_is_help=True,
)

SPEC_ARGUMENT = typer.Argument(..., exists=True, dir_okay=False, help="The survey spec (YAML).")
DATA_OPTION = typer.Option(
    ...,
    "--data",
    help="Microdata file (CSV, Parquet, .dta, .sav); repeat for a split file.",
    metavar="FILE",
)
#: The values of ``lindung.survey.OutputFormat``, spelled out because importing the survey engine
#: brings Ibis and DuckDB into every command's start-up; tests/cli/test_startup.py keeps them equal.
EstimateFormat = Literal["csv", "json", "parquet"]
#: The values of ``lindung.survey.backend.ENGINES`` (spelled out in compute_options).
EstimateEngine = EngineName
ESTIMATE_SUFFIXES = {".csv": "csv", ".json": "json", ".parquet": "parquet", ".pq": "parquet"}
SURVEY_SUFFIXES = {".csv": "csv", ".parquet": "parquet", ".pq": "parquet"}


@app.command("estimate")
def estimate_command(
    spec_file: Path = SPEC_ARGUMENT,
    data: list[Path] = DATA_OPTION,
    out: Path = typer.Option(..., "--out", help="Where to write the estimates."),
    fmt: EstimateFormat | None = typer.Option(
        None, "--format", help="Output file format (default: from --out's suffix, else csv)."
    ),
    store: bool = store_option("the run and its estimates"),
    actor: str | None = actor_option("the run"),
    threads: int | None = THREADS_OPTION,
    engine: EstimateEngine = ENGINE_OPTION,
    spark_master: str | None = SPARK_MASTER_OPTION,
    force: bool = FORCE_OPTION,
) -> None:
    """Compute every indicator for every program, area and domain level, with SEs and 95% CIs."""
    from lindung.survey.prepared import prepare

    # DuckDB opened and the CSV files sniffed on a thread of their own while the engine's
    # modules load (a tenth of a second of a small survey's run, otherwise spent in turn).
    with prepare(data, threads) if engine == "duckdb" else nullcontext():
        _estimate(spec_file, data, out, fmt, store, actor, threads, engine, spark_master, force)


def _estimate(
    spec_file: Path,
    data: list[Path],
    out: Path,
    fmt: EstimateFormat | None,
    store: bool,
    actor: str | None,
    threads: int | None,
    engine: EstimateEngine,
    spark_master: str | None,
    force: bool,
) -> None:
    from lindung.cli.collector import loading

    with loading():
        from lindung.survey import OutputFormat, estimate, load_spec, write_estimates

    # Refused now rather than after minutes of work; checked again when written.
    check_writable(out, force=force, inputs=[spec_file, *data])
    chosen = check_suffix(out, ESTIMATE_SUFFIXES, fmt, default="csv")
    check_engine(engine, spark_master)
    spec = load_spec(spec_file)
    storing = recorder(actor, "store a survey run") if store else None
    started = time.perf_counter()
    with progress_bar() as advance:
        result = estimate(
            spec,
            data,
            progress=advance,
            threads=threads,
            engine=engine,
            spark_master=spark_master,
        )
    with output_files(out, force=force, inputs=[spec_file, *data]) as staged:
        write_estimates(result, staged[0], OutputFormat(chosen))
    for warning in result.report.warnings:
        error_console.print(
            labelled(f"warning ({warning.code}):", "yellow", warning.message), highlight=False
        )
    for line in spec.poverty_lines:
        if line.relative_quantile is not None:
            console.print(
                f"poverty line {line.code} = {shown_number(result.poverty_lines[line.code])} "
                f"(the {line.relative_quantile} quantile of pre-transfer welfare)",
                highlight=False,
            )
    defined = result.defined
    console.print(
        f"wrote {counted(len(result.rows), 'estimate')} ({shown_number(defined)} defined) "
        f"to {out} in {time.perf_counter() - started:.1f} s; "
        f"{shown_number(result.report.rows_used)} of "
        f"{counted(result.report.rows_read, 'row')} used, "
        f"{counted(result.design['psus'], 'PSU')} in "
        f"{counted(result.design['strata'], 'stratum', 'strata')}",
        highlight=False,
    )
    if storing is not None:
        from lindung.survey.record import record_run

        stored = record_run(storing[0], result, spec, data, actor=storing[1])
        for note in stored["notes"]:
            error_console.print(labelled("note:", "yellow", str(note)), highlight=False)
        what = "stored as" if stored["created"] else "already stored as"
        console.print(
            f"{what} survey run {stored['survey_run']} (submission {stored['submission']}, "
            f"{counted(stored['observations'], 'observation')})",
            highlight=False,
        )


@app.command("describe")
def describe_command(
    spec_file: Path = SPEC_ARGUMENT,
    data: list[Path] = DATA_OPTION,
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
) -> None:
    """Show sample sizes, strata, PSUs, lonely PSUs, weighted population and missing values."""
    from lindung.cli.collector import loading
    from lindung.survey.prepared import prepare

    with prepare(data):
        with loading():
            from lindung.survey import describe, load_spec

        rows = describe(load_spec(spec_file), data)
    print_rows(rows, fmt, title=f"{spec_file.name} on {', '.join(p.name for p in data)}")


@app.command("synth")
def synth_command(
    households: int = typer.Option(..., "--households", min=1, help="Number of households."),
    seed: int = typer.Option(1, "--seed", help="Random seed (the same seed, the same survey)."),
    out: Path = typer.Option(..., "--out", help="Data file to write (.csv or .parquet)."),
    spec_out: Path | None = typer.Option(None, "--spec-out", help="Also write its spec (YAML)."),
    force: bool = FORCE_OPTION,
) -> None:
    """Write a realistic synthetic national survey (about 3.5 persons per household)."""
    from lindung.survey import synthetic_spec, synthetic_survey, write_survey

    targets = [out] if spec_out is None else [out, spec_out]
    check_writable(*targets, force=force)
    check_suffix(out, SURVEY_SUFFIXES, None)
    if spec_out is not None:
        check_suffix(spec_out, {".yaml": "yaml", ".yml": "yaml"}, None)
    started = time.perf_counter()
    with output_files(*targets, force=force) as staged:
        table = synthetic_survey(households, seed)
        write_survey(table, staged[0])
        if spec_out is not None:
            staged[1].write_text(
                yaml.safe_dump(synthetic_spec(out.name), sort_keys=False, allow_unicode=True),
                encoding="utf-8",
            )
    console.print(
        f"wrote {counted(table.num_rows, 'person')} in {counted(households, 'household')} "
        f"to {out} "
        f"in {time.perf_counter() - started:.1f} s",
        highlight=False,
    )
    if spec_out is not None:
        console.print(f"wrote its spec to {spec_out}", highlight=False)
