"""Benchmark: the regional report and the eleven country profiles of one year, PDF, in English
and Indonesian, from the shipped reference data (loaded into a temporary SQLite store, untimed).

Times, in wall seconds and process CPU seconds: reading and assessing the year (once, shared by
every report of that year, as ``lindung report countries`` does), then for each language the
regional report (charts, HTML, PDF) and the eleven profiles. No peer: no other tool makes this
report. The PDFs are written to a temporary folder and deleted afterwards.

    .venv/bin/python benchmarks/report_bench.py [--year 2022] [--format pdf|html]
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from lindung.framework import load_catalogue
from lindung.ingest.reference import load_reference
from lindung.report import assess, country_profile, read_report_data, regional_report
from lindung.report.render import document
from lindung.store import make_engine, transaction, upgrade


def timed(what: str, work: Callable[[], Any]) -> Any:
    """Run ``work``, print its wall and CPU seconds, return its result."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    print(
        f"{what:<48} {time.perf_counter() - wall:8.1f} s wall {time.process_time() - cpu:8.1f} s CPU"
    )
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--year", type=int, default=2022)
    parser.add_argument("--format", choices=["pdf", "html"], default="pdf")
    options = parser.parse_args()
    suffix = f".{options.format}"
    catalogue = load_catalogue()
    with tempfile.TemporaryDirectory(prefix="lindung-report-bench-") as folder:
        engine = make_engine(f"sqlite:///{Path(folder) / 'lindung.sqlite'}")
        upgrade(engine)
        load_reference(engine)

        def read_and_assess() -> Any:
            with transaction(engine) as connection:
                return assess(read_report_data(connection, catalogue, options.year))

        assessment = timed(f"read and assess {options.year}", read_and_assess)
        for language in ("en", "id"):

            def regional(language: str = language) -> None:
                context = regional_report(assessment, language)
                written = document("regional.html", context, language, suffix)
                (Path(folder) / f"regional-{language}{suffix}").write_bytes(written)

            def profiles(language: str = language) -> None:
                for state in catalogue.member_states:
                    context = country_profile(assessment, state.iso3, language)
                    written = document("country.html", context, language, suffix)
                    (Path(folder) / f"{state.iso3}-{language}{suffix}").write_bytes(written)

            timed(f"regional report ({language}, {options.format})", regional)
            timed(f"11 country profiles ({language}, {options.format})", profiles)
        engine.dispose()


if __name__ == "__main__":
    main()
