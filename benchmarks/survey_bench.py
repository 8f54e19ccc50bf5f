"""Benchmark: the full survey suite on a 1.2-million-person synthetic survey.

Lindung (``lindung.survey.estimate``: every indicator x every program and area x the breakdowns
national, quintile_pre, quintile_post, urban/rural and sex) against R's ``survey`` package
(``svyratio`` / ``svyby``) and, where it installs, ``svy`` from PyPI (``Sample.estimation.ratio``).
Same data, one run each, each in its own process; wall seconds and peak resident memory come from
``/usr/bin/time``. The data are generated here into a temporary folder and deleted afterwards.

The peers are given the per-person score columns ready-made (household aggregation, quintiles and
pre-transfer poverty computed by this script, untimed), and time a fixed subset of the ratio
estimates (``--peer-calls``); their full-suite time is extrapolated linearly from the time per
estimation call, which the output states. Lindung's time is the whole run from the raw CSV.

    .venv/bin/python benchmarks/survey_bench.py [--households 345000] [--svy-python PATH]
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from lindung.survey import synthetic_spec, synthetic_survey, write_survey

BREAKDOWNS = ["all", "quintile_pre", "quintile_post", "urban", "sex"]
PEER_ESTIMATES = [("coverage", "B", "one"), ("poverty_headcount_reduction", "poorred", "poorpre")]

LINDUNG = textwrap.dedent(
    """
    import sys
    from lindung.survey import estimate, load_spec
    result = estimate(load_spec(sys.argv[1]), [sys.argv[2]])
    print(len(result.estimates))
    """
)

R_SCRIPT = textwrap.dedent(
    """
    suppressPackageStartupMessages(library(survey))
    args <- commandArgs(trailingOnly = TRUE)
    t0 <- Sys.time()
    d <- read.csv(args[1])
    design <- svydesign(ids = ~psu, strata = ~stratum, weights = ~wt, fpc = ~fpc, nest = TRUE,
                        data = d)
    t1 <- Sys.time()
    calls <- 0
    for (pair in list(c("B", "one"), c("poorred", "poorpre"))) {
      for (by in c("all", "quintile_pre", "quintile_post", "urban", "sex")) {
        num <- as.formula(paste0("~", pair[1]))
        den <- as.formula(paste0("~", pair[2]))
        if (by == "all") {
          r <- svyratio(num, den, design)
        } else {
          r <- svyby(num, as.formula(paste0("~", by)), design, svyratio, denominator = den)
        }
        calls <- calls + 1
      }
    }
    t2 <- Sys.time()
    cat(calls, as.numeric(t1 - t0, units = "secs"), as.numeric(t2 - t1, units = "secs"), "\\n")
    """
)

SVY_SCRIPT = textwrap.dedent(
    """
    import sys, time
    import polars as pl
    import svy
    t0 = time.perf_counter()
    data = pl.read_csv(sys.argv[1])
    sample = svy.Sample(data, svy.Design(stratum="stratum", psu="psu", wgt="wt", wr=True))
    t1 = time.perf_counter()
    calls = 0
    for y, x in (("B", "one"), ("poorred", "poorpre")):
        for by in ("all", "quintile_pre", "quintile_post", "urban", "sex"):
            sample.estimation.ratio(y, x, by=None if by == "all" else by)
            calls += 1
    print(calls, t1 - t0, time.perf_counter() - t1)
    """
)


def timed(command: list[str]) -> tuple[float, float, str]:
    """Run a command; return (wall seconds, peak resident MB, its stdout)."""
    with tempfile.NamedTemporaryFile("r", suffix=".time") as report:
        done = subprocess.run(
            ["/usr/bin/time", "-f", "%e %M", "-o", report.name, *command],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{command[0]} failed: {done.stderr.strip()[-800:]}")
        seconds, kilobytes = report.read().split()[-2:]
    return float(seconds), float(kilobytes) / 1024, done.stdout.strip()


def peer_scores(data: pd.DataFrame, line: float) -> pd.DataFrame:
    """Per-person columns the peers need, derived as Lindung's methodology says (untimed)."""
    amounts = [
        "pkh_amt",
        "blt_amt",
        "food_amt",
        "spens_amt",
        "pens_amt",
        "health_amt",
        "unemp_amt",
        "pw_amt",
    ]
    household_level = {"pkh_amt", "blt_amt", "food_amt"}
    grouped = data.groupby("hhid")
    size = grouped["hhid"].transform("size")
    transfer = np.zeros(len(data))
    beneficiary = np.zeros(len(data), dtype=bool)
    for column in amounts:
        total = grouped[column].transform("max" if column in household_level else "sum")
        transfer += total.to_numpy() / size.to_numpy()
        beneficiary |= (grouped[column].transform("max") > 0).to_numpy()
    welfare = data["welfare_pc"].to_numpy()
    pre = np.maximum(0.0, welfare - transfer)
    weight = data["wt"].to_numpy()

    def quintile(values: np.ndarray) -> np.ndarray:
        order = np.argsort(values, kind="stable")
        share = np.cumsum(weight[order]) / weight.sum()
        cuts = [
            values[order][np.searchsorted(share, q * (1 - 1e-12))] for q in (0.2, 0.4, 0.6, 0.8)
        ]
        return 1 + sum((values > c).astype(int) for c in cuts)

    poor_pre = (pre < line).astype(float)
    return pd.DataFrame(
        {
            "stratum": data["stratum"],
            "psu": data["psu"],
            "wt": weight,
            "fpc": data["fpc"],
            "urban": data["urban"],
            "sex": data["sex"],
            "quintile_pre": quintile(pre),
            "quintile_post": quintile(welfare),
            "one": 1.0,
            "B": beneficiary.astype(float),
            "poorpre": poor_pre,
            "poorred": poor_pre - (welfare < line).astype(float),
        }
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--households", type=int, default=345_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--svy-python",
        default=sys.executable,
        help="a Python with `svy` installed (default: this one)",
    )
    parser.add_argument("--skip-r", action="store_true")
    options = parser.parse_args()

    folder = Path(tempfile.mkdtemp(prefix="lindung-bench-"))
    try:
        table = synthetic_survey(options.households, options.seed)
        data_file, spec_file = folder / "survey.csv", folder / "survey.yaml"
        write_survey(table, data_file)
        spec = synthetic_spec(data_file.name)
        spec["domains"] = [d for d in spec["domains"] if d["column"] in ("urban", "sex")]
        spec_file.write_text(yaml.safe_dump(spec, sort_keys=False), encoding="utf-8")
        size_mb = data_file.stat().st_size / 2**20
        print(
            f"data: {table.num_rows:,} persons in {options.households:,} households, "
            f"CSV {size_mb:.0f} MB; breakdowns {', '.join(BREAKDOWNS)}"
        )

        seconds, peak, out = timed([sys.executable, "-c", LINDUNG, str(spec_file), str(data_file)])
        estimates = int(out.splitlines()[-1])
        lindung_seconds = seconds
        print(
            f"lindung: {seconds:.1f} s, peak {peak:.0f} MB, {estimates} estimates "
            "(every indicator, program, area, line and level; from the raw CSV)"
        )

        scores_file = folder / "scores.csv"
        peer_scores(table.to_pandas(), 5_400_000.0).to_csv(scores_file, index=False)
        ratio_calls = _ratio_calls(spec)
        peers = [("svy", [options.svy_python, "-c", SVY_SCRIPT, str(scores_file)])]
        if not options.skip_r:
            r_script = folder / "bench.R"
            r_script.write_text(R_SCRIPT, encoding="utf-8")
            peers.insert(0, ("R survey", ["Rscript", str(r_script), str(scores_file)]))
        for name, command in peers:
            try:
                seconds, peak, out = timed(command)
            except (RuntimeError, FileNotFoundError) as error:
                print(f"{name}: not run ({str(error).splitlines()[-1][:200]})")
                continue
            calls, setup, estimating = (float(v) for v in out.split()[-3:])
            per_call = estimating / calls
            full = setup + per_call * ratio_calls
            print(
                f"{name}: timed {int(calls)} ratio estimations (coverage and poverty headcount "
                f"reduction of all social protection by {', '.join(BREAKDOWNS)}): "
                f"{seconds:.1f} s wall ({setup:.1f} s reading and design, {per_call:.2f} s per "
                f"call), peak {peak:.0f} MB; extrapolated full suite ({ratio_calls} calls, Gini "
                f"not included): {full:.0f} s = {full / lindung_seconds:.0f}"
                " x Lindung"
            )
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def _ratio_calls(spec: dict[str, object]) -> int:
    """svyby/svyratio calls a peer needs for the ratio-type part of the suite."""
    programs = spec["programs"]
    assert isinstance(programs, list)
    areas = {p["area"] for p in programs}
    units = len(programs) + len(areas) + 1
    lines = 2
    per_breakdown = 2 * units + 2 * lines + 3 * units * lines
    incidence = 2 * units * 2
    return per_breakdown * len(BREAKDOWNS) + incidence


if __name__ == "__main__":
    main()
