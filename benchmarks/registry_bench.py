"""Benchmark: registry synth and coverage at 1 and 10 million persons (more on request), Parquet.

For each size, ``lindung.registry.synth`` writes a registry and three beneficiary lists into a
temporary folder, then ``lindung.registry.registry_coverage`` counts the three programs by
region, sex, age group and decile (deciles ranked from the PMT score) on DuckDB or on Spark in
local mode (``--engine spark``; ``--memory-limit`` is then the driver's memory). Each phase
runs in its own process, so its wall seconds, CPU seconds and peak resident memory are its own:
CPU is every thread's of the process and of its children (Spark's JVM, its Python workers), read
from /proc just before the phase ends; peak memory adds up each process's peak. The files are
deleted afterwards, unless ``--keep DIR`` keeps them (a rerun with ``--keep`` counts the files
already there rather than writing them again).

    .venv/bin/python benchmarks/registry_bench.py [--persons 1000000 10000000 ...]
        [--memory-limit 4GB] [--threads N] [--keep DIR] [--engine duckdb|spark]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

PROCESS_USAGE = textwrap.dedent(
    """
    import os
    from pathlib import Path

    def _tree(pid):
        found = [pid]
        for task in Path(f"/proc/{pid}/task").iterdir():
            for child in (task / "children").read_text().split():
                found += _tree(int(child))
        return found

    def usage():
        # CPU seconds of this process and its children (Spark's JVM, its Python workers) so
        # far, and the sum of their peak resident memory in MB.
        tick = os.sysconf("SC_CLK_TCK")
        cpu = peak = 0.0
        for pid in _tree(os.getpid()):
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                cpu += (int(fields[11]) + int(fields[12])) / tick
                status = Path(f"/proc/{pid}/status").read_text()
                peak += int(status.split("VmHWM:")[1].split()[0]) / 1024
            except (FileNotFoundError, IndexError):
                pass
        return cpu, peak
    """
)
"""Source of ``usage()``, for a phase's own process to measure itself and its children just
before it ends (a JVM child is never waited for, so /usr/bin/time would miss it)."""

PHASE = PROCESS_USAGE + textwrap.dedent(
    """
    import json, sys, time
    phase, persons, folder, memory, threads, engine = sys.argv[1:7]
    threads = int(threads) if threads != "-" else None
    memory = memory if memory != "-" else None

    started, cpu = time.perf_counter(), usage()[0]
    if phase == "synth":
        from lindung.registry.synth import synthetic_registry
        written = synthetic_registry(
            int(persons), 1, Path(folder), memory_limit=memory, threads=threads
        )
        rows = sum(written.rows.values())
    else:
        from lindung.registry import CoverageOptions, Program, registry_coverage
        from lindung.registry.synth import PROGRAMS, SYNTH_PERIODS
        from lindung.survey.spark import spark_session
        if engine == "spark":
            # Started here and left running, so that it is measured before it stops.
            spark_session(threads=threads, memory=memory)
        result = registry_coverage(
            Path(folder) / "registry.parquet",
            [Program(code, Path(folder) / f"{code}.parquet") for code in PROGRAMS],
            CoverageOptions(
                by=("region", "sex", "age_group", "decile"), year=2026, periods=SYNTH_PERIODS
            ),
            memory_limit=memory,
            threads=threads,
            engine=engine,
        )
        rows = len(result.table)
    wall = time.perf_counter() - started
    spent, peak = usage()
    print(json.dumps({"wall": wall, "cpu": spent - cpu, "peak_mb": peak, "rows": rows}))
    """
)


def _phase(phase: str, persons: int, folder: Path, args: argparse.Namespace) -> dict[str, Any]:
    command = [sys.executable, "-c", PHASE, phase, str(persons), str(folder)]
    done = subprocess.run(
        [*command, args.memory_limit, args.threads, args.engine],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise SystemExit(f"{phase} at {persons:,} persons failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def _folder_mb(folder: Path) -> float:
    return sum(path.stat().st_size for path in folder.iterdir()) / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--persons", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--memory-limit", default="4GB")
    parser.add_argument("--threads", default="-")
    parser.add_argument("--keep", type=Path, help="Write the files here and keep them.")
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    args = parser.parse_args()
    print(f"engine {args.engine}; load average {os.getloadavg()}", flush=True)
    print(
        f"{'persons':>12} {'phase':>9} {'wall s':>8} {'cpu s':>8} {'peak MB':>8} "
        f"{'files MB':>9} {'cpu s per M':>11}",
        flush=True,
    )
    for persons in args.persons:
        folder = (
            args.keep / str(persons)
            if args.keep
            else Path(tempfile.mkdtemp(prefix="lindung-registry-"))
        )
        folder.mkdir(parents=True, exist_ok=True)
        try:
            written = args.keep and (folder / "registry.parquet").exists()
            for phase in ("coverage",) if written else ("synth", "coverage"):
                got = _phase(phase, persons, folder, args)
                print(
                    f"{persons:>12,} {phase:>9} {got['wall']:>8.1f} {got['cpu']:>8.1f} "
                    f"{got['peak_mb']:>8.0f} {_folder_mb(folder):>9.0f} "
                    f"{got['cpu'] / persons * 1e6:>11.2f}",
                    flush=True,
                )
        finally:
            if not args.keep:
                shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
