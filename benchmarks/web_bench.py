"""Web benchmark: one million observations in PostgreSQL, `lindung serve --workers 2`, wrk.

Generates the observations in a schema of its own (COPY; dropped afterwards unless --keep),
serves them on loopback and runs wrk with 50 connections on the filtered, paginated
observations endpoint, on its second page (after a cursor) and on the indicator page
/indicators/<code>, printing for each: requests per second, p50/p99 latency, errors, the CPU
time per request of the server's processes and of the PostgreSQL backends serving them, and
p99 against the goal (100 ms, no errors). The machine's load (uptime) is printed before and
after, since a loaded machine stretches every wall-clock figure.

    python benchmarks/web_bench.py --database-url postgresql+psycopg://postgres@127.0.0.1:5432/test \
        [--rows 1000000] [--duration 60] [--connections 50] [--workers 2] [--keep | --schema S]

Needs wrk (Debian package `wrk`) and a PostgreSQL on this machine the user may create schemas
in (the backends' CPU is read from /proc, so the server must be local for that figure).
"""

from __future__ import annotations

import argparse
import itertools
import json
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

from sqlalchemy import Engine, create_engine, text

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


#: The goal of issue 11: p99 under 100 ms with 50 clients, and no errors.
GOAL_P99_MS = 100.0
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}
TICKS = os.sysconf("SC_CLK_TCK")


def milliseconds(figure: str) -> float:
    """Return a wrk duration (``812.35us``, ``1.14s``) in milliseconds."""
    found = re.fullmatch(r"([\d.]+)(us|ms|s|m)", figure)
    if found is None:
        raise ValueError(f"not a wrk duration: {figure!r}")
    return float(found.group(1)) * _UNITS[found.group(2)]


def cpu_seconds(pids: list[int]) -> dict[int, float]:
    """Return the user+system CPU seconds each live process of ``pids`` has used."""
    found = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rpartition(")")[2].split()
        except OSError:
            continue
        found[pid] = (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (14th, 15th)
    return found


def used(before: dict[int, float], after: dict[int, float]) -> float:
    """Return the CPU seconds used between two readings: a process new since the first counts
    from zero; one gone by the second is lost (the pool closed its connection)."""
    return sum(seconds - before.get(pid, 0.0) for pid, seconds in after.items())


def process_tree(pid: int) -> list[int]:
    """Return ``pid`` and its descendants (the server and its worker processes)."""
    found = [pid]
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as children:
            for child in children.read().split():
                found += process_tree(int(child))
    return found


def backends(admin: Engine, application: str) -> list[int]:
    """Return the PostgreSQL backend processes of the connections named ``application``."""
    with admin.connect() as connection:
        rows = connection.execute(
            text("SELECT pid FROM pg_stat_activity WHERE application_name = :name"),
            {"name": application},
        )
        return [int(pid) for (pid,) in rows]


def load() -> str:
    """Return the machine's load averages (1, 5, 15 min) and its number of cores."""
    one, five, fifteen = os.getloadavg()
    return f"load average {one:.2f}, {five:.2f}, {fifteen:.2f} on {os.cpu_count()} cores"


def wrk(address: str, duration: int, connections: int) -> dict[str, str]:
    """Run wrk on ``address``; return requests/s, p50, p99 and the errors it reports."""
    # A 30 s timeout, so that a slow answer counts in the latencies instead of vanishing
    # as a timeout error (wrk's default is 2 s).
    result = subprocess.run(
        [
            *("wrk", "-t2", f"-c{connections}", f"-d{duration}s"),
            *("--timeout", "30s", "--latency", address),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    out = result.stdout

    def find(pattern: str, default: str = "0") -> str:
        found = re.search(pattern, out)
        return found.group(1) if found else default

    return {
        "requests/s": find(r"Requests/sec:\s+([\d.]+)"),
        "p50": find(r"\s50%\s+(\S+)", "0us"),
        "p99": find(r"\s99%\s+(\S+)", "0us"),
        "requests": find(r"(\d+) requests in"),
        "non-2xx/3xx": find(r"Non-2xx or 3xx responses: (\d+)"),
        "socket errors": find(r"Socket errors: (.*)", "none"),
    }


def measure(
    address: str, arguments: argparse.Namespace, server: list[int], admin: Engine, name: str
) -> str:
    """Run wrk on ``address``; return its figures, the CPU per request and p99 vs the goal."""
    before = cpu_seconds(server), cpu_seconds(backends(admin, name))
    figures = wrk(address, arguments.duration, arguments.connections)
    after = cpu_seconds(server), cpu_seconds(backends(admin, name))
    requests = int(figures["requests"])
    shown = ", ".join(f"{k} {v}" for k, v in figures.items())
    if requests == 0:
        return f"{shown}; no request was answered in {arguments.duration} s: misses the goal"
    p99 = milliseconds(figures["p99"])
    errors = int(figures["non-2xx/3xx"]) + sum(
        int(n) for n in re.findall(r"\d+", figures["socket errors"])
    )
    verdict = "meets" if p99 < GOAL_P99_MS and errors == 0 else "misses"
    return (
        f"{shown}; CPU per request: server {1000 * used(before[0], after[0]) / requests:.2f} ms, "
        f"PostgreSQL {1000 * used(before[1], after[1]) / requests:.2f} ms"
        f"; p99 is {p99 / GOAL_P99_MS:.2f} x the goal of {GOAL_P99_MS:.0f} ms, "
        f"{errors} errors: {verdict} the goal"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("LINDUNG_TEST_DATABASE_URL"))
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--duration", type=int, default=60, help="Seconds of each wrk run.")
    parser.add_argument("--connections", type=int, default=50)
    parser.add_argument("--workers", type=int, default=2, help="lindung serve --workers.")
    parser.add_argument("--keep", action="store_true", help="Keep the generated schema.")
    parser.add_argument("--schema", help="Serve this schema (kept) instead of generating one.")
    arguments = parser.parse_args()
    if not arguments.database_url or not arguments.database_url.startswith("postgresql"):
        raise SystemExit(
            "give --database-url postgresql+psycopg://... (or set LINDUNG_TEST_DATABASE_URL)"
        )
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is missing: apt-get install wrk")
    schema = arguments.schema or f"bench_{uuid.uuid4().hex[:10]}"
    keep = arguments.keep or arguments.schema is not None
    admin = create_engine(arguments.database_url)
    if arguments.schema is None:
        with admin.begin() as connection:
            connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    separator = "&" if "?" in arguments.database_url else "?"
    url = f"{arguments.database_url}{separator}options={quote(f'-csearch_path={schema}')}"
    application = f"lindung_{schema}"
    server: subprocess.Popen[str] | None = None
    try:
        if arguments.schema is None:
            started = time.perf_counter()
            written = generate(url, arguments.rows)
            print(f"{written} observations stored in {time.perf_counter() - started:.1f} s")
        else:
            engine = make_engine(url)
            upgrade(engine)
            engine.dispose()
        port = free_port()
        environment = {
            **os.environ,
            "LINDUNG_DATABASE_URL": f"{url}&application_name={application}",
            "LINDUNG_SECRET_KEY": uuid.uuid4().hex * 2,
        }
        server = subprocess.Popen(
            [
                *(sys.executable, "-m", "lindung", "serve"),
                *("--workers", str(arguments.workers), "--port", str(port)),
            ],
            env=environment,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        base = f"http://127.0.0.1:{port}"
        wait_for(f"{base}/api/v1/countries", server)
        code = load_catalogue().indicators[0].code
        first = f"{base}/api/v1/observations?series={code}&area=PHL&from=2015&sex=F&limit=100"
        # A cursor halfway through the table (the first key of the middle series): the keys
        # after it are half a million versions, which a page must not sort.
        codes = [indicator.code for indicator in load_catalogue().indicators]
        middle = f"{base}/api/v1/observations?series={codes[len(codes) // 2]}&limit=1"
        with urllib.request.urlopen(middle) as response:
            cursor = json.load(response)["next_cursor"]
        if cursor is None:  # fewer rows than that series (--rows): after the first page then
            with urllib.request.urlopen(f"{base}/api/v1/observations?limit=100") as response:
                cursor = json.load(response)["next_cursor"]
        targets = {
            "observations (1 series, 1 area, from 2015, sex=F, 100 a page)": first,
            "observations (no filter, 100 a page, after a cursor halfway through)": (
                f"{base}/api/v1/observations?limit=100&cursor={cursor}"
            ),
            f"indicator page /indicators/{code}": f"{base}/indicators/{code}",
        }
        # Warm every worker (imports, the catalogue, the first reads) before measuring.
        for address in targets.values():
            for _ in range(4 * arguments.workers):
                status_of(address)
        print(
            f"wrk: {arguments.connections} connections, {arguments.duration} s each, "
            f"lindung serve --workers {arguments.workers}, {datetime.now(UTC):%Y-%m-%d %H:%M} UTC"
        )
        print(f"before: {load()}")
        serving = process_tree(server.pid)
        for name, address in targets.items():
            status = status_of(address)
            if status != 200:
                print(f"- {name}: skipped (answers {status})")
                continue
            figures = measure(address, arguments, serving, admin, application)
            print(f"- {name}: {figures}")
        print(f"after: {load()}")
    finally:
        if server is not None:
            server.terminate()
            try:
                server.wait(timeout=30)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
        if keep:
            print(f"kept the schema {schema} (--schema {schema} serves it again)")
        else:
            with admin.begin() as connection:
                connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
