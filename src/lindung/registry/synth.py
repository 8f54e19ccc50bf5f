"""A realistic synthetic social registry and beneficiary lists, for demos, tests and benchmarks.

Generated inside DuckDB, in parallel, and written straight to Parquet, so a registry of 100
million persons never passes through Python. Every random draw is a hash of the seed, the row's
id and a salt, so the files depend on the seed alone, not on the threads or their timing.

- 34 regions of unequal size (a geometric decline: the largest about 90 times the smallest, as
  West Java is to North Kalimantan);
- household sizes from 1 to 9, mean about 3.6 (Indonesia's SUSENAS shape); a head, a spouse,
  children and some elders, ages, sex, and disability rising with age;
- a log-normal proxy-means-test score with regional and household-size effects (lower poorer);
  about a tenth of persons live below the poverty level (``poor``);
- three programs, each received with a probability falling with the score, so they leak to the
  non-poor and miss some of the poor: ``PKH`` (a conditional cash transfer to households with
  children, quarterly), ``BPNT`` (food assistance to households, quarterly) and ``PIP`` (school
  aid to persons aged 6 to 18, once a year);
- dirty rows in each list: ids not in the registry, repeated rows, amounts of 0 or below and
  periods outside 2026.

This module holds SQL because it is the generator itself: the statements are DuckDB's and take
their values as parameters.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from lindung.errors import UsageError

__all__ = ["PROGRAMS", "SYNTH_PERIODS", "SynthFiles", "synthetic_registry"]

PROGRAMS = ("PKH", "BPNT", "PIP")
"""The programs of the synthetic registry, one beneficiary list each."""

SYNTH_PERIODS = ("2026-01", "2026-12")
"""The period range of the synthetic lists' valid payments."""

_MACROS = [
    # A uniform draw in [0, 1) from the seed, a row id and a salt.
    "CREATE TEMP MACRO draw(id, salt) AS "
    "(hash(getvariable('seed'), id, salt) % 1000000007) / 1000000007.0",
    # A standard normal draw (Box-Muller) from two uniform ones.
    "CREATE TEMP MACRO normal(id, salt) AS "
    "sqrt(-2 * ln(1 - draw(id, salt))) * cos(2 * pi() * draw(id, salt || 'b'))",
    # A probability that falls from ``top`` to 0 as the log score passes ``middle``.
    "CREATE TEMP MACRO falling(score, top, middle, spread) AS "
    "top / (1 + exp((score - middle) / spread))",
]

_HOUSEHOLDS = """
CREATE TEMP TABLE households AS
WITH drawn AS (
    SELECT
        range AS h,
        CASE
            WHEN draw(range, 'size') < 0.11 THEN 1
            WHEN draw(range, 'size') < 0.29 THEN 2
            WHEN draw(range, 'size') < 0.51 THEN 3
            WHEN draw(range, 'size') < 0.73 THEN 4
            WHEN draw(range, 'size') < 0.87 THEN 5
            WHEN draw(range, 'size') < 0.94 THEN 6
            WHEN draw(range, 'size') < 0.97 THEN 7
            WHEN draw(range, 'size') < 0.99 THEN 8
            ELSE 9
        END AS size,
        least(33, floor(ln(1 - draw(range, 'region') * (1 - pow(0.88, 34))) / ln(0.88)))::INT
            AS region
    FROM range($households::BIGINT)
), placed AS (
    SELECT *, (sum(size) OVER (ORDER BY h ROWS UNBOUNDED PRECEDING) - size)::BIGINT AS first_person
    FROM drawn
)
SELECT
    h + 1 AS household_id,
    first_person,
    least(size, $persons::BIGINT - first_person)::INT AS size,
    'R' || lpad((region + 1)::VARCHAR, 2, '0') AS region,
    13.5 + 0.35 * (draw(region, 'region effect') - 0.5) - 0.09 * (size - 3.6)
        + 0.45 * normal(h, 'welfare') AS log_score
FROM placed
WHERE first_person < $persons::BIGINT
"""

_PERSONS = """
CREATE TEMP VIEW persons AS
WITH members AS (
    SELECT h.*, unnest(range(h.size)) AS member FROM households h
), aged AS (
    SELECT
        *,
        first_person + member + 1 AS person_id,
        CASE
            WHEN member = 0 THEN 22 + floor(draw(first_person + member, 'age') * 56)
            WHEN member = 1 THEN 20 + floor(draw(first_person + member, 'age') * 55)
            WHEN draw(first_person + member, 'elder') < 0.12
                THEN 60 + floor(draw(first_person + member, 'age') * 30)
            ELSE floor(draw(first_person + member, 'age') * 22)
        END::INT AS age
    FROM members
)
SELECT
    person_id,
    household_id,
    region,
    CASE
        WHEN member = 0 THEN CASE WHEN draw(first_person, 'sex') < 0.85 THEN 'M' ELSE 'F' END
        WHEN member = 1 THEN CASE WHEN draw(first_person, 'sex') < 0.85 THEN 'F' ELSE 'M' END
        WHEN draw(person_id, 'sex') < 0.5 THEN 'F'
        ELSE 'M'
    END AS sex,
    2026 - age AS birth_year,
    age,
    draw(person_id, 'disability') < 0.015 + 0.002 * greatest(age - 50, 0) AS disability,
    round(exp(log_score) / 1000, 1) AS pmt_score,
    log_score < 12.75 AS poor,
    log_score,
    size
FROM aged
"""

_REGISTRY = """
SELECT person_id, household_id, region, sex, birth_year, disability, pmt_score, poor
FROM persons
"""

# Receipt by household (PKH, BPNT: quarterly) or by person (PIP: once, in July), then dirty rows:
# about 0.3 % of ids unknown to the registry, 0.2 % of rows repeated, 0.1 % with an amount of 0
# or below and 0.1 % paid in a period outside 2026.
_LISTS = {
    "PKH": (
        "household_id",
        """
        SELECT household_id AS id, 750000.0 * (1 + (size >= 5)::INT) AS amount,
               unnest(['2026-01', '2026-04', '2026-07', '2026-10']) AS period
        FROM households
        WHERE size >= 3 AND draw(household_id, 'PKH') < falling(log_score, 0.7, 13.1, 0.12)
        """,
    ),
    "BPNT": (
        "household_id",
        """
        SELECT household_id AS id, 600000.0 AS amount,
               unnest(['2026-01', '2026-04', '2026-07', '2026-10']) AS period
        FROM households
        WHERE draw(household_id, 'BPNT') < falling(log_score, 0.8, 13.25, 0.15)
        """,
    ),
    "PIP": (
        "person_id",
        """
        SELECT person_id AS id,
               CASE WHEN age <= 12 THEN 450000.0 WHEN age <= 15 THEN 750000.0
                    ELSE 1000000.0 END AS amount,
               '2026-07' AS period
        FROM persons
        WHERE age BETWEEN 6 AND 18
          AND draw(person_id, 'PIP') < falling(log_score, 0.6, 13.1, 0.15)
        """,
    ),
}

_DIRTY = """
WITH paid AS ({clean}), numbered AS (
    SELECT *, hash(id, period) AS row_key FROM paid
), soiled AS (
    SELECT
        CASE WHEN draw(row_key, 'unknown') < 0.003 THEN id + 1000000000000 ELSE id END AS {column},
        CASE
            WHEN draw(row_key, 'amount') < 0.0005 THEN 0.0
            WHEN draw(row_key, 'amount') < 0.001 THEN -amount
            ELSE amount
        END AS amount,
        CASE WHEN draw(row_key, 'period') < 0.001 THEN '2025-12' ELSE period END AS period,
        row_key
    FROM numbered
)
SELECT {column}, amount, period FROM soiled
UNION ALL
SELECT {column}, amount, period FROM soiled WHERE draw(row_key, 'repeat') < 0.002
"""


@dataclass(frozen=True)
class SynthFiles:
    """What was written: the registry, each program's list and their sizes."""

    registry: Path
    lists: dict[str, Path]
    persons: int
    households: int
    rows: dict[str, int]


Progress = Callable[[str, int, int], None]


def synthetic_registry(
    persons: int,
    seed: int,
    out: Path,
    *,
    memory_limit: str | None = None,
    threads: int | None = None,
    progress: Progress | None = None,
) -> SynthFiles:
    """Write ``registry.parquet`` and one ``<PROGRAM>.parquet`` per program into ``out``."""
    if persons < 1:
        raise UsageError("--persons must be 1 or more")
    if not out.is_dir():
        raise UsageError(f"folder {out} does not exist; create it or choose another")
    config: dict[str, str | bool | int | float | list[str]] = {}
    if memory_limit is not None:
        config["memory_limit"] = memory_limit
    if threads is not None:
        config["threads"] = threads
    con = duckdb.connect(config=config)
    steps = 2 + len(PROGRAMS)
    try:
        con.execute("SET VARIABLE seed = ?", [int(seed)])
        for macro in _MACROS:
            con.execute(macro)
        # Households of at least 1 person: persons / 2.5 of them (mean size 3.6) leave a
        # margin that runs out with a probability far below anything measurable.
        households_drawn = persons * 2 // 5 + 64
        if progress is not None:
            progress("drawing households", 0, steps)
        con.execute(_HOUSEHOLDS, {"households": households_drawn, "persons": persons})
        con.execute(_PERSONS)
        if progress is not None:
            progress("writing the registry", 1, steps)
        registry = out / "registry.parquet"
        con.sql(_REGISTRY).write_parquet(str(registry))
        lists: dict[str, Path] = {}
        rows: dict[str, int] = {}
        for done, (code, (column, clean)) in enumerate(_LISTS.items(), start=2):
            if progress is not None:
                progress(f"writing the {code} list", done, steps)
            lists[code] = out / f"{code}.parquet"
            con.sql(_DIRTY.format(clean=clean, column=column)).write_parquet(str(lists[code]))
            rows[code] = _rows(con, lists[code])
        households = _count(con, "SELECT count(*) FROM households")
        if progress is not None:
            progress("done", steps, steps)
    finally:
        con.close()
    return SynthFiles(registry, lists, persons, households, rows)


def _rows(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    return _count(con, "SELECT count(*) FROM read_parquet(?)", [str(path)])


def _count(con: duckdb.DuckDBPyConnection, query: str, params: list[str] | None = None) -> int:
    found = con.execute(query, params or []).fetchall()
    return int(found[0][0])
