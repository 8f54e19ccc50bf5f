"""Benchmark: a small survey (20,000 households) through `lindung survey estimate`, whole process.

An analyst runs many small surveys, so their fixed cost counts: imports, reading the spec and the
framework catalogue, building and compiling some twenty queries, and the queries themselves.
The synthetic survey of ``lindung survey synth --households 20000`` (66,800 persons) with its
spec (four domains: urban/rural, sex, disability, age group; every indicator, program and area)
is estimated by the command as an analyst runs it, each run in its own process; wall and CPU
(user + system) seconds and peak resident memory come from ``/usr/bin/time``, medians of
``--runs``.

The peer is R's ``survey`` package, given per-person columns ready-made (as in
``benchmarks/survey_bench.py``, untimed): every ratio-type estimate of the suite by national,
both quintiles, urban/rural and sex (``svyratio``, ``svyby``, ``svymean``; Gini not included),
measured, not extrapolated, beside Lindung's whole run on the same two domains. ``--skip-r``
leaves it out.

    .venv/bin/python benchmarks/small_bench.py [--households 20000] [--runs 5] [--skip-r]
"""

from __future__ import annotations

import argparse
import compileall
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml
from survey_bench import R_FULL_SCRIPT, peer_base, suite_calls

import lindung
from lindung.survey import synthetic_spec, synthetic_survey, write_survey

ESTIMATE = "import sys; from lindung.cli.main import run; sys.argv[0] = 'lindung'; run()"
"""The ``lindung`` console script, run by this interpreter (whichever virtualenv holds it)."""


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
    return float(wall), float(user) + float(system), float(kilobytes) / 1024, done.stdout


def estimate_runs(spec_file: Path, data_file: Path, out: Path, runs: int) -> tuple[float, ...]:
    """Median wall, CPU and peak MB of ``runs`` whole-process runs of ``lindung survey estimate``."""
    command = [sys.executable, "-c", ESTIMATE, "survey", "estimate", str(spec_file)]
    command += ["--data", str(data_file), "--out", str(out), "--force"]
    results = [timed(command)[:3] for _ in range(runs)]
    return tuple(statistics.median(r[i] for r in results) for i in range(3))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--skip-r", action="store_true")
    options = parser.parse_args()

    # Lindung's modules compiled once, as pip does on installing it: with PYTHONDONTWRITEBYTECODE
    # set and a source checkout, every run would otherwise compile them again (0.3 s or more).
    compileall.compile_dir(Path(lindung.__file__).parent, quiet=1)
    folder = Path(tempfile.mkdtemp(prefix="lindung-small-"))
    try:
        table = synthetic_survey(options.households, options.seed)
        data_file = folder / "survey.csv"
        write_survey(table, data_file)
        spec = synthetic_spec(data_file.name)
        four, two = folder / "four.yaml", folder / "two.yaml"
        four.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        domains = [d["column"] for d in spec["domains"]]
        spec["domains"] = [d for d in spec["domains"] if d["column"] in ("urban", "sex")]
        two.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        print(
            f"data: {table.num_rows:,} persons in {options.households:,} households; "
            f"{options.runs} runs each, medians"
        )
        out = folder / "estimates.csv"
        wall, cpu, peak = estimate_runs(four, data_file, out, options.runs)
        print(
            f"lindung survey estimate, domains {', '.join(domains)}: {wall:.2f} s wall, "
            f"{cpu:.2f} s CPU, peak {peak:.0f} MB (whole process, from the raw CSV)"
        )
        wall, cpu, peak = estimate_runs(two, data_file, out, options.runs)
        print(
            f"lindung survey estimate, domains urban, sex: {wall:.2f} s wall, {cpu:.2f} s CPU, "
            f"peak {peak:.0f} MB"
        )
        if options.skip_r:
            return
        base, lines = peer_base(table.to_pandas(), spec)
        units = [c.removeprefix("T_") for c in base.columns if c.startswith("T_")]
        base_file, calls_file, script = folder / "base.csv", folder / "calls.csv", folder / "r.R"
        base.to_csv(base_file, index=False)
        suite_calls(units, lines).to_csv(calls_file, index=False)
        script.write_text(R_FULL_SCRIPT, encoding="utf-8")
        try:
            r_wall, r_cpu, r_peak, r_out = timed(
                ["Rscript", str(script), str(base_file), str(calls_file)]
            )
        except (RuntimeError, FileNotFoundError) as error:
            print(f"R survey: not run ({str(error).splitlines()[-1][:200]})")
            return
        count, setup, estimating = (float(v) for v in r_out.split()[-3:])
        print(
            f"R survey, domains urban, sex: {int(count)} calls (every ratio-type estimate, Gini "
            f"not included) in {estimating:.1f} s after {setup:.1f} s reading and design; "
            f"{r_wall:.1f} s wall, {r_cpu:.1f} s CPU, peak {r_peak:.0f} MB; "
            f"{r_wall / wall:.0f} x Lindung's whole run (wall), {r_cpu / cpu:.0f} x (CPU)"
        )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
