"""Web benchmark: one million observations in PostgreSQL, `lindung serve --workers 2`, wrk.

Generates the observations in a schema of its own (COPY; dropped afterwards), serves them on
loopback and runs wrk with 50 connections on the filtered, paginated observations endpoint
(and on the indicator page /indicators/<code> when the site has it), printing requests per
second, p50/p99 latency and errors for each.

    python benchmarks/web_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test \
        [--rows 1000000] [--duration 60] [--connections 50]

Needs wrk (Debian package `wrk`) and a PostgreSQL the user may create schemas in.
"""

from __future__ import annotations

import argparse
import itertools
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from datetime import UTC, datetime
from urllib.parse import quote

from sqlalchemy import create_engine, text

from lindung.framework import load_catalogue
from lindung.keys import DIMENSIONS
from lindung.store import create_submission, make_engine, transaction, upgrade

SEXES = ("_T", "F", "M")
AGES = ("_T", "Y0T14", "Y15T64", "Y_GE65")
QUINTILES = ("_T", "Q1", "Q2", "Q3", "Q4", "Q5")
YEARS = range(2000, 2025)


def generate(url: str, rows: int) -> int:
    """Store about ``rows`` published observations; return how many were written."""
    catalogue = load_catalogue()
    areas = [state.iso3 for state in catalogue.member_states]
    series = [indicator.code for indicator in catalogue.indicators]
    combos = list(itertools.product(SEXES, AGES, QUINTILES))
    engine = make_engine(url)
    upgrade(engine)
    written = 0
    version = catalogue.version
    columns = ("submission_id", "series", "ref_area", "time_period", *DIMENSIONS[:3])
    columns += ("value", "unit", "se", "ci_low", "ci_high", "nature", "framework_version")
    with transaction(engine) as connection:
        submissions = {
            area: create_submission(
                connection,
                kind="reference",
                ref_area=area,
                time_period=None,
                source="benchmark",
                framework_version=catalogue.version,
                actor="benchmark",
                status="published",
            )
            for area in areas
        }
        raw = connection.connection.driver_connection
        assert raw is not None
        with raw.cursor().copy(f"COPY observations ({', '.join(columns)}) FROM STDIN") as copy:
            for code, area, year, (sex, age, quintile) in itertools.product(
                series, areas, YEARS, combos
            ):
                if written >= rows:
                    break
                value = (hash((code, area, year, sex, age, quintile)) % 10_000) / 100
                key = (submissions[area], code, area, year, sex, age, quintile)
                copy.write_row((*key, value, "PERCENT", 0.5, value - 1, value + 1, "C", version))
                written += 1
        connection.exec_driver_sql("ANALYZE observations")
        connection.exec_driver_sql("ANALYZE submissions")
    engine.dispose()
    return written


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(address: str, server: subprocess.Popen[str]) -> None:
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(address, timeout=5):
                return
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                raise SystemExit(f"the server did not answer at {address}") from None
            time.sleep(0.3)


def status_of(address: str) -> int:
    try:
        with urllib.request.urlopen(address, timeout=30) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def wrk(address: str, duration: int, connections: int) -> dict[str, str]:
    """Run wrk on ``address``; return requests/s, p50, p99 and the errors it reports."""
    result = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{duration}s", "--latency", address],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout

    def find(pattern: str, default: str = "0") -> str:
        found = re.search(pattern, out)
        return found.group(1) if found else default

    socket_errors = find(r"Socket errors: (.*)", "none")
    return {
        "requests/s": find(r"Requests/sec:\s+([\d.]+)"),
        "p50": find(r"\s50%\s+(\S+)"),
        "p99": find(r"\s99%\s+(\S+)"),
        "requests": find(r"(\d+) requests in"),
        "non-2xx/3xx": find(r"Non-2xx or 3xx responses: (\d+)"),
        "socket errors": socket_errors,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("LINDUNG_TEST_DATABASE_URL"))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=60, help="Seconds of each wrk run.")
    parser.add_argument("--connections", type=int, default=50)
    arguments = parser.parse_args()
    if not arguments.database_url or not arguments.database_url.startswith("postgresql"):
        raise SystemExit(
            "give --database-url postgresql+psycopg://... (or set LINDUNG_TEST_DATABASE_URL)"
        )
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    schema = f"bench_{uuid.uuid4().hex[:10]}"
    admin = create_engine(arguments.database_url)
    with admin.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in arguments.database_url else "?"
    url = f"{arguments.database_url}{separator}options={quote(f'-csearch_path={schema}')}"
    server: subprocess.Popen[str] | None = None
    try:
        started = time.perf_counter()
        written = generate(url, arguments.rows)
        print(f"{written} observations stored in {time.perf_counter() - started:.1f} s")
        port = free_port()
        environment = {
            **os.environ,
            "LINDUNG_DATABASE_URL": url,
            "LINDUNG_SECRET_KEY": uuid.uuid4().hex * 2,
        }
        server = subprocess.Popen(
            [sys.executable, "-m", "lindung", "serve", "--workers", "2", "--port", str(port)],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/api/v1/countries", server)
        code = load_catalogue().indicators[0].code
        targets = {
            "observations (1 series, 1 area, from 2015, sex=F, 100 a page)": (
                f"{base}/api/v1/observations?series={code}&area=PHL&from=2015&sex=F&limit=100"
            ),
            f"indicator page /indicators/{code}": f"{base}/indicators/{code}",
        }
        print(
            f"wrk: {arguments.connections} connections, {arguments.duration} s each, "
            f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        )
        for name, address in targets.items():
            status = status_of(address)
            if status != 200:
                print(f"- {name}: skipped (answers {status})")
                continue
            figures = wrk(address, arguments.duration, arguments.connections)
            print(f"- {name}: " + ", ".join(f"{k} {v}" for k, v in figures.items()))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        with admin.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
