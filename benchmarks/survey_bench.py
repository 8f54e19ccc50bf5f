"""Benchmark: the full survey suite on a 1.2-million-person synthetic survey.

Lindung (``lindung.survey.estimate``: every indicator x every program and area x the breakdowns
national, quintile_pre, quintile_post, urban/rural and sex) against R's ``survey`` package
(``svyratio`` / ``svyby``) and, where it installs, ``svy`` from PyPI (``Sample.estimation.ratio``).
Same data, one run each, each in its own process; wall seconds and peak resident memory come from
``/usr/bin/time``. The data are generated here into a temporary folder and deleted afterwards.

The peers are given per-person columns ready-made (household aggregation, transfers per program
and area, quintiles and lines computed by this script, untimed). By default they time ten ratio
estimations (coverage and poverty-headcount reduction of all social protection by the five
breakdowns) and their full-suite time is extrapolated linearly from the time per call, which
the output states. With ``--full-r``, R runs every ratio-type estimate of the suite (548 calls:
``svyratio``, ``svyby``, ``svymean``; about 20 minutes) and its time is measured, not
extrapolated. Lindung's time is the whole run from the raw CSV.

    .venv/bin/python benchmarks/survey_bench.py [--households 345000] [--svy-python PATH]
    .venv/bin/python benchmarks/survey_bench.py --full-r
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path
from typing import Any

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

R_FULL_SCRIPT = textwrap.dedent(
    """
    suppressPackageStartupMessages(library(survey))
    args <- commandArgs(trailingOnly = TRUE)
    t0 <- Sys.time()
    d <- read.csv(args[1])
    d$one <- 1
    design <- svydesign(ids = ~psu, strata = ~stratum, weights = ~wt, fpc = ~fpc, nest = TRUE,
                        data = d)
    calls <- read.csv(args[2], stringsAsFactors = FALSE)
    t1 <- Sys.time()
    for (i in seq_len(nrow(calls))) {
      call <- calls[i, ]
      num <- as.formula(call$numerator)
      if (call$kind == "ratio") {
        den <- as.formula(call$denominator)
        if (call$by == "all") {
          r <- svyratio(num, den, design)
        } else {
          r <- svyby(num, as.formula(paste0("~", call$by)), design, svyratio, denominator = den)
        }
      } else if (call$kind == "beneficiary_share") {
        r <- svymean(as.formula(paste0("~factor(", call$by, ")")),
                     subset(design, eval(parse(text = call$denominator))))
      } else {
        r <- svyratio(num, as.formula(call$denominator), design)
      }
    }
    t2 <- Sys.time()
    cat(nrow(calls), as.numeric(t1 - t0, units = "secs"), as.numeric(t2 - t1, units = "secs"), "\\n")
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


def peer_base(data: pd.DataFrame, spec: dict[str, Any]) -> tuple[pd.DataFrame, dict[str, float]]:
    """Per-person columns from which a peer computes every estimate (untimed), derived as
    Lindung's methodology says: design, breakdowns, welfare ``y``, and for every program and
    area the per-capita transfer ``T_<unit>`` and beneficiary flag ``B_<unit>``; and the lines."""
    grouped = data.groupby("hhid")
    size = grouped["hhid"].transform("size").to_numpy()
    transfer: dict[str, np.ndarray] = {}
    beneficiary: dict[str, np.ndarray] = {}
    for program in spec["programs"]:
        amount = grouped[program["amount"]]
        total = amount.transform("max" if program["level"] == "household" else "sum")
        transfer[program["code"]] = total.to_numpy() / size
        beneficiary[program["code"]] = (amount.transform("max") > 0).to_numpy()
    areas: dict[str, list[str]] = {}
    for program in spec["programs"]:
        areas.setdefault(f"all_{program['area']}", []).append(program["code"])
    areas["all_social_protection"] = [p["code"] for p in spec["programs"]]
    for area, codes in areas.items():
        transfer[area] = np.sum([transfer[c] for c in codes], axis=0)
        beneficiary[area] = np.any([beneficiary[c] for c in codes], axis=0)
    welfare = data["welfare_pc"].to_numpy()
    weight = data["wt"].to_numpy()
    pre = np.maximum(0.0, welfare - transfer["all_social_protection"])
    base = pd.DataFrame(
        {
            "stratum": data["stratum"],
            "psu": data["psu"],
            "wt": weight,
            "fpc": data["fpc"],
            "urban": data["urban"],
            "sex": data["sex"],
            "quintile_pre": _quintiles(pre, weight),
            "quintile_post": _quintiles(welfare, weight),
            "y": welfare,
        }
    )
    for unit in transfer:
        base[f"T_{unit}"] = transfer[unit]
        base[f"B_{unit}"] = beneficiary[unit].astype(float)
    lines = {"national": 5_400_000.0, "p20": _cut(pre, weight, 0.2)}
    return base, lines


def _cut(values: np.ndarray, weight: np.ndarray, share: float) -> float:
    """The smallest value whose weighted share at or below it is >= share."""
    order = np.argsort(values, kind="stable")
    below = np.cumsum(weight[order]) / weight.sum()
    return float(values[order][np.searchsorted(below, share * (1 - 1e-12))])


def _quintiles(values: np.ndarray, weight: np.ndarray) -> np.ndarray:
    cuts = [_cut(values, weight, q) for q in (0.2, 0.4, 0.6, 0.8)]
    return 1 + sum((values > c).astype(int) for c in cuts)


def peer_scores(base: pd.DataFrame, line: float) -> pd.DataFrame:
    """The columns of the sampled calls: coverage and headcount reduction of all social
    protection."""
    pre = np.maximum(0.0, base["y"] - base["T_all_social_protection"])
    poor_pre = (pre < line).astype(float)
    scores = base[["stratum", "psu", "wt", "fpc", "urban", "sex", "quintile_pre", "quintile_post"]]
    return scores.assign(
        one=1.0,
        B=base["B_all_social_protection"],
        poorpre=poor_pre,
        poorred=poor_pre - (base["y"] < line).astype(float),
    )


def suite_calls(units: list[str], lines: dict[str, float]) -> pd.DataFrame:
    """Every ratio-type estimate of the suite as an R ``survey`` call (Gini excepted): formulas
    over the columns of :func:`peer_base`."""

    def poor(v: str, z: float) -> str:
        return f"as.numeric({v} < {z!r})"

    def gap(v: str, z: float) -> str:
        return f"pmax(0, ({z!r} - {v}) / {z!r})"

    calls: list[dict[str, str]] = []

    def ratio(by: str, numerator: str, denominator: str) -> None:
        calls.append(
            {"kind": "ratio", "by": by, "numerator": numerator, "denominator": denominator}
        )

    for by in BREAKDOWNS:
        for u in units:
            ratio(by, f"~B_{u}", "~one")
            ratio(by, f"~T_{u}", f"~I(y * B_{u})")
        for z in lines.values():
            ratio(by, f"~I({poor('y', z)})", "~one")
            ratio(by, f"~I({gap('y', z)})", "~one")
            for u in units:
                pre = f"pmax(0, y - T_{u})"
                ratio(by, f"~I({poor(pre, z)} - {poor('y', z)})", f"~I({poor(pre, z)})")
                ratio(by, f"~I({gap(pre, z)} - {gap('y', z)})", f"~I({gap(pre, z)})")
                ratio(by, f"~I({z!r} * ({gap(pre, z)} - {gap('y', z)}))", f"~T_{u}")
    for by in ("quintile_pre", "quintile_post"):
        for u in units:
            calls.append(
                {
                    "kind": "beneficiary_share",
                    "by": by,
                    "numerator": "~one",
                    "denominator": f"B_{u} > 0",
                }
            )
            shares = " + ".join(f"I(T_{u} * ({by} == {q}))" for q in range(1, 6))
            calls.append(
                {
                    "kind": "benefit_share",
                    "by": by,
                    "numerator": f"~{shares}",
                    "denominator": f"~T_{u}",
                }
            )
    return pd.DataFrame(calls)


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
    parser.add_argument(
        "--full-r",
        action="store_true",
        help="run every ratio-type estimate of the suite through R survey (about 20 minutes) "
        "instead of timing ten calls and extrapolating; svy is not run",
    )
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

        base, lines = peer_base(table.to_pandas(), spec)
        scores_file = folder / "scores.csv"
        peer_scores(base, lines["national"]).to_csv(scores_file, index=False)
        ratio_calls = _ratio_calls(spec)
        if options.full_r:
            _full_r(folder, base, lines, lindung_seconds)
            return
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


def _full_r(folder: Path, base: pd.DataFrame, lines: dict[str, float], lindung: float) -> None:
    """Run the whole ratio-type suite through R survey and print the measured time."""
    units = [c.removeprefix("T_") for c in base.columns if c.startswith("T_")]
    calls = suite_calls(units, lines)
    base_file, calls_file, script = folder / "base.csv", folder / "calls.csv", folder / "full.R"
    base.to_csv(base_file, index=False)
    calls.to_csv(calls_file, index=False)
    script.write_text(R_FULL_SCRIPT, encoding="utf-8")
    seconds, peak, out = timed(["Rscript", str(script), str(base_file), str(calls_file)])
    count, setup, estimating = (float(v) for v in out.split()[-3:])
    print(
        f"R survey, full suite: {int(count)} calls (svyratio, svyby, svymean; every ratio-type "
        f"estimate of the suite, Gini not included) in {estimating:.0f} s after {setup:.1f} s "
        f"reading and design; {seconds:.0f} s wall, peak {peak:.0f} MB; "
        f"{seconds / lindung:.0f} x Lindung's whole run"
    )


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
