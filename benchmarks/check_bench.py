"""Benchmark: `lindung submission check` on a filled workbook at the row limit (20,000 rows).

The workbook is the full template for Indonesia, 2019, every row filled, and then, on each
pillar sheet, rows of two-, three- and more-way breakdowns of its indicators (sex by age, program by
quintile...) until the sheets hold 20,000 data rows, every key distinct. It is written into a
temporary folder (deleted afterwards; nothing is committed). Each run of the check is its own
process (`python -m lindung submission check FILE --format json`), so its wall and CPU seconds
(``resource.getrusage`` of the child) and its findings are its own; the findings' codes are
counted, so that a faster check can be seen to find the same things.

    .venv/bin/python benchmarks/check_bench.py [--rows 20000] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import itertools
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

#: A plausible value by unit, so that the rules judge numbers a focal point would type.
VALUES = {
    "percent": 42.5,
    "ratio": 0.8,
    "index": 38.2,
    "persons": 125_000,
    "LCU": 5_000_000,
    "int$_2011": 11_000,
}


def make_workbook(path: Path, rows: int) -> int:
    """Write a filled template of ``rows`` data rows to ``path``; return the rows written."""
    from openpyxl import load_workbook

    from lindung.framework import load_catalogue
    from lindung.ingest import make_template
    from lindung.ingest.layout import (
        INSTRUCTIONS_SHEETS,
        LISTS_SHEET,
        METADATA_SHEET,
        WORKBOOK_COLUMNS,
        breakdown_codes,
    )
    from lindung.store import DIMENSIONS

    catalogue = load_catalogue()
    make_template(path, country="IDN", year=2019)
    workbook = load_workbook(path)
    skipped = {METADATA_SHEET, LISTS_SHEET, *INSTRUCTIONS_SHEETS.values()}
    sheets = [sheet for sheet in workbook.worksheets if sheet.title not in skipped]
    column = {name: i for i, name in enumerate(WORKBOOK_COLUMNS)}
    written = 0
    extra: list[tuple[object, list[object]]] = []
    for sheet in sheets:
        codes_seen: set[str] = set()
        for cells in sheet.iter_rows(min_row=2):
            series = cells[column["series"]].value
            indicator = catalogue.indicator(str(series))
            cells[column["value"]].value = VALUES.get(indicator.unit, 10.0)
            cells[column["nature"]].value = "C"
            written += 1
            if series in codes_seen:
                continue
            codes_seen.add(str(series))
            lists = {
                d.lower(): breakdown_codes(catalogue, indicator, d)
                for d in indicator.disaggregations
            }
            lists = {name: codes for name, codes in lists.items() if codes}
            for width in range(2, len(lists) + 1):
                for names in itertools.combinations(sorted(lists), width):
                    for combo in itertools.product(*(lists[name] for name in names)):
                        key = dict(zip(names, combo, strict=True))
                        row: list[object] = [None] * len(WORKBOOK_COLUMNS)
                        row[column["series"]] = indicator.code
                        row[column["indicator"]] = indicator.name.get("en")
                        row[column["disaggregation"]] = ", ".join(
                            f"{k}={v}" for k, v in key.items()
                        )
                        for name in DIMENSIONS:
                            row[column[name]] = key.get(name, "_T")
                        row[column["unit"]] = indicator.unit
                        row[column["value"]] = VALUES.get(indicator.unit, 10.0)
                        row[column["nature"]] = "C"
                        extra.append((sheet, row))
    for sheet, row in extra:
        if written >= rows:
            break
        sheet.append(row)
        written += 1
    workbook.save(path)
    return written


def run_check(path: Path) -> dict[str, object]:
    """Run `lindung submission check` on ``path`` in a child; return its times and findings."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "lindung", "submission", "check", str(path), "--format", "json"],
        capture_output=True,
        text=True,
        check=False,
    )
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    from lindung.errors import ValidationFailed

    # A file with an error-level finding exits with ValidationFailed's status: still a report.
    if done.returncode not in (0, ValidationFailed.exit_status):
        raise SystemExit(f"check failed ({done.returncode}):\n{done.stderr[-2000:]}")
    report = json.loads(done.stdout)
    return {
        "wall": wall,
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime),
        "values": report["values"],
        "errors": report["errors"],
        "warnings": report["warnings"],
        "codes": Counter(f["code"] for f in report["findings"]),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="Write the workbook here and keep it.")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        path = (options.keep or Path(folder)) / "IDN_2019_filled.xlsx"
        path.parent.mkdir(parents=True, exist_ok=True)
        written = make_workbook(path, options.rows)
        print(f"{path.name}: {written:,} data rows, {path.stat().st_size / 1e6:.1f} MB")
        results = [run_check(path) for _ in range(options.runs)]
    for number, result in enumerate(results, start=1):
        print(
            f"run {number}: {result['wall']:.2f} s wall, {result['cpu']:.2f} s CPU, "
            f"{result['values']:,} values, {result['errors']:,} errors, "
            f"{result['warnings']:,} warnings"
        )
    print(
        f"median: {statistics.median(r['wall'] for r in results):.2f} s wall, "  # type: ignore[misc]
        f"{statistics.median(r['cpu'] for r in results):.2f} s CPU"  # type: ignore[misc]
    )
    print("listed findings by code:", dict(sorted(results[0]["codes"].items())))  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
