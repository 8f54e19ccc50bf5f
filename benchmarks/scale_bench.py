"""Benchmark: how the survey suite's cost grows with the survey, beside the machine's floor.

The full suite of ``benchmarks/survey_bench.py`` (every indicator x every program and area x the
breakdowns national, quintile_pre, quintile_post, urban/rural and sex) on synthetic surveys of
0.3, 1.2 and 5 million persons (``--sizes``; add 20 for 20 million), on DuckDB or on Spark in
local mode (``--engine spark``, the driver's memory ``--memory-limit``), each run in its own
process from the raw CSV. Wall and CPU seconds and peak resident memory come from
``/usr/bin/time``; on Spark, CPU and peak memory are read from /proc just before the process
ends, its own and its children's (the JVM and its Python workers), added up.

Beside each run, the physical floor on this machine: one parallel scan of the same CSV that
builds the household table (group by household: welfare, weight, size and every program's
amount), then one sort of that table by welfare, in DuckDB on the same threads, timed inside
its own process (import excluded). No estimator can do less than read the file and rank the
households; the ratio says how far Lindung is from that. The data are generated into a
temporary folder and deleted afterwards.

    .venv/bin/python benchmarks/scale_bench.py [--sizes 0.3 1.2 5] [--threads 2]
        [--engine duckdb|spark] [--memory-limit 4GB]
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

import yaml
from registry_bench import PROCESS_USAGE

from lindung.survey import synthetic_spec, synthetic_survey, write_survey

PERSONS_PER_HOUSEHOLD = 3.338
"""The synthetic survey's mean household size (1,151,635 persons in 345,000 households)."""

LINDUNG = PROCESS_USAGE + textwrap.dedent(
    """
    import json, sys
    from lindung.survey import estimate, load_spec
    spec, data, threads, engine, memory = sys.argv[1:6]
    threads = int(threads) if threads != "0" else None
    if engine == "spark":
        from lindung.survey.spark import spark_session
        # Started here and left running, so that its JVM is measured before it stops.
        spark_session(threads=threads, memory=memory)
    result = estimate(load_spec(spec), [data], threads=threads, engine=engine)
    cpu, peak = usage()
    print(json.dumps({"estimates": len(result.estimates), "cpu": cpu, "peak_mb": peak}))
    """
)
"""The suite in a process of its own; its CPU seconds and peak memory with its children's."""

FLOOR = textwrap.dedent(
    """
    import sys, time
    import duckdb
    path, threads = sys.argv[1], int(sys.argv[2])
    con = duckdb.connect(config={"threads": threads} if threads else {})
    con.execute("SET enable_progress_bar = false")
    names = [row[0] for row in con.sql("DESCRIBE SELECT * FROM read_csv(?)", params=[path]).fetchall()]
    amounts = ", ".join(f"max({n}) AS {n}" for n in names if n.endswith("_amt"))
    timings = []
    for query in (
        "CREATE TEMP TABLE h AS SELECT stratum, hhid, max(psu) AS psu, max(welfare_pc) AS y, "
        f"sum(wt) AS w, count(*) AS n, {amounts} FROM read_csv(?) GROUP BY stratum, hhid",
        "CREATE TEMP TABLE s AS SELECT * FROM h ORDER BY y",
    ):
        cpu, wall = time.process_time(), time.perf_counter()
        con.execute(query, [path] if "?" in query else [])
        timings += [time.perf_counter() - wall, time.process_time() - cpu]
    print(*timings)
    """
)


def timed(command: list[str]) -> tuple[float, float, float, str]:
    """Run a command; return (wall seconds, CPU seconds, peak resident MB, its stdout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%e %U %S %M", "-o", report.name, *command],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stderr.strip()[-800:]}")
        wall, user, system, kilobytes = report.read().split()[-4:]
    return float(wall), float(user) + float(system), float(kilobytes) / 1024, done.stdout.strip()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[0.3, 1.2, 5.0])
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--threads", type=int, default=0, help="cores to use (0: all)")
    parser.add_argument("--engine", choices=["duckdb", "spark"], default="duckdb")
    parser.add_argument(
        "--memory-limit", default="4GB", help="with --engine spark: the driver's memory"
    )
    options = parser.parse_args()
    print(f"engine {options.engine}; load average {os.getloadavg()}", flush=True)

    header = (
        f"{'persons':>11} {'households':>10} {'CSV MB':>7} {'estimates':>9} {'wall s':>7} "
        f"{'CPU s':>6} {'peak MB':>7} | {'floor wall':>10} {'(scan':>6} {'sort)':>6} "
        f"{'floor CPU':>9} | {'wall/floor':>10} {'CPU/floor':>9}"
    )
    rows = []
    for millions in options.sizes:
        folder = Path(tempfile.mkdtemp(prefix="lindung-scale-"))
        try:
            households = round(millions * 1e6 / PERSONS_PER_HOUSEHOLD)
            table = synthetic_survey(households, options.seed)
            data_file, spec_file = folder / "survey.csv", folder / "survey.yaml"
            write_survey(table, data_file)
            persons = table.num_rows
            del table
            spec = synthetic_spec(data_file.name)
            spec["domains"] = [d for d in spec["domains"] if d["column"] in ("urban", "sex")]
            spec_file.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
            size_mb = data_file.stat().st_size / 2**20
            threads = str(options.threads)
            wall, cpu, peak, out = timed(
                [
                    sys.executable,
                    "-c",
                    LINDUNG,
                    str(spec_file),
                    str(data_file),
                    threads,
                    options.engine,
                    options.memory_limit,
                ]
            )
            inside = json.loads(out.splitlines()[-1])
            estimates = int(inside["estimates"])
            if options.engine == "spark":
                # /usr/bin/time sees neither the JVM's CPU nor its memory: it is never waited for.
                cpu, peak = inside["cpu"], inside["peak_mb"]
            _, _, _, floor = timed([sys.executable, "-c", FLOOR, str(data_file), threads])
            scan_wall, scan_cpu, sort_wall, sort_cpu = (float(v) for v in floor.split())
            floor_wall, floor_cpu = scan_wall + sort_wall, scan_cpu + sort_cpu
            row = (
                f"{persons:>11,} {households:>10,} {size_mb:>7.0f} {estimates:>9,} {wall:>7.1f} "
                f"{cpu:>6.1f} {peak:>7.0f} | {floor_wall:>10.2f} {scan_wall:>6.2f} "
                f"{sort_wall:>6.2f} {floor_cpu:>9.2f} | {wall / floor_wall:>10.1f} "
                f"{cpu / floor_cpu:>9.1f}"
            )
            rows.append(row)
            print(row if len(rows) > 1 else f"{header}\n{row}", flush=True)
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    print(
        "wall and CPU: the whole Lindung process (imports included) from the raw CSV; floor: "
        "one parallel CSV scan to the household table plus one sort of it, in DuckDB"
    )


if __name__ == "__main__":
    main()
