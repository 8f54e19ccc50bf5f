"""Benchmark: registry synth and coverage at 1 and 10 million persons (more on request), Parquet.

For each size, ``lindung.registry.synth`` writes a registry and three beneficiary lists into a
temporary folder, then ``lindung.registry.registry_coverage`` counts the three programs by
region, sex, age group and decile (deciles ranked from the PMT score). Each phase runs in its own
process, so its wall seconds, CPU seconds (every thread's, from ``resource.getrusage``) and peak
resident memory are its own. The files are deleted afterwards.

    .venv/bin/python benchmarks/registry_bench.py [--persons 1000000 10000000 ...]
        [--memory-limit 4GB] [--threads N] [--keep DIR]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

PHASE = textwrap.dedent(
    """
    import json, resource, sys, time
    from pathlib import Path
    phase, persons, folder, memory, threads = sys.argv[1:6]
    threads = int(threads) if threads != "-" else None
    memory = memory if memory != "-" else None
    started, cpu = time.perf_counter(), time.process_time()
    if phase == "synth":
        from lindung.registry.synth import synthetic_registry
        written = synthetic_registry(
            int(persons), 1, Path(folder), memory_limit=memory, threads=threads
        )
        rows = sum(written.rows.values())
    else:
        from lindung.registry import CoverageOptions, Program, registry_coverage
        from lindung.registry.synth import PROGRAMS, SYNTH_PERIODS
        result = registry_coverage(
            Path(folder) / "registry.parquet",
            [Program(code, Path(folder) / f"{code}.parquet") for code in PROGRAMS],
            CoverageOptions(
                by=("region", "sex", "age_group", "decile"), year=2026, periods=SYNTH_PERIODS
            ),
            memory_limit=memory,
            threads=threads,
        )
        rows = len(result.table)
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({
        "wall": time.perf_counter() - started,
        "cpu": time.process_time() - cpu,
        "peak_mb": usage.ru_maxrss / 1024,
        "rows": rows,
    }))
    """
)


def _phase(phase: str, persons: int, folder: Path, memory: str, threads: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-c", PHASE, phase, str(persons), str(folder), memory, threads],
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
    args = parser.parse_args()
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
            for phase in ("synth", "coverage"):
                got = _phase(phase, persons, folder, args.memory_limit, args.threads)
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
