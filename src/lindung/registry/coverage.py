"""Coverage, targeting errors and data quality from a social registry and beneficiary lists.

Exact counts, no sampling. The registry becomes one table of persons (region, sex, age group,
decile, disability, eligibility, household size); each program's valid payments are summed per
beneficiary and joined on, giving one wide table with a beneficiary flag and an amount per
person and program. That table is made real once (:meth:`Backend.materialise`, spilling to disk
past the memory cap) and counted once for the total and every breakdown (grouping sets,
:mod:`lindung.registry.counting`). Everything else is an Ibis expression sent to a
:class:`~lindung.survey.backend.Backend`, so the same counts can run on another engine.

Definitions (``docs/registry.md`` says them for users):

- a *valid payment* is a row whose id is in the registry, whose amount is above 0 and whose
  period lies in the range asked for (every period if none);
- a *beneficiary person* of a program is a registered person with a valid payment, or, for a
  list by household, every registered member of a household with a valid payment;
- a *beneficiary household* has at least one beneficiary member in the domain;
- ``coverage`` = beneficiary persons / registered persons;
- a person is *eligible* if the registry flags them poor (target ``poor``) or their decile is
  at most the target decile (target ``decile``, 1 to 4 by default);
- ``exclusion_error`` = eligible persons who are not beneficiaries / eligible persons;
- ``inclusion_error`` = beneficiaries who are not eligible / beneficiaries;
- ``amount_total`` = valid payments of the persons in the domain; a household's payment is
  shared equally among its registered members; ``amount_per_beneficiary`` = amount_total /
  beneficiary persons.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import ibis
import ibis.expr.types as ir
import pandas as pd

from lindung.errors import RegistryInputError
from lindung.registry.counting import counted_domains
from lindung.registry.inputs import (
    BENEFICIARIES,
    REGISTRY,
    TRUE_TEXT,
    checked_columns,
    checked_values,
    month,
    read_table,
)
from lindung.survey.backend import Backend, DuckDB, Engine, open_backend, running_sums
from lindung.text import counted

__all__ = [
    "AREAS",
    "DOMAINS",
    "MEASURES",
    "QUALITY",
    "TOTAL",
    "CoverageOptions",
    "CoverageResult",
    "Program",
    "count_coverage",
    "registry_coverage",
]

DOMAINS = ("region", "sex", "age_group", "decile", "disability")
"""The breakdowns ``--by`` may name; each is counted on its own, beside the total."""

MEASURES = (
    "registered_persons",
    "registered_households",
    "eligible_persons",
    "beneficiary_persons",
    "beneficiary_households",
    "persons_in_beneficiary_households",
    "coverage",
    "eligible_beneficiaries",
    "inclusion_error",
    "exclusion_error",
    "amount_total",
    "amount_per_beneficiary",
)
"""The columns of the coverage table after ``program``, ``by`` and ``level``."""

QUALITY = (
    "rows",
    "unknown_ids",
    "duplicate_rows",
    "nonpositive_amounts",
    "periods_outside",
    "valid_rows",
)
"""The data-quality counts of each beneficiary list, after ``program`` and ``id``."""

TOTAL = "_T"
"""The level of a total, and the program code of "any of the programs given"."""
UNKNOWN = "_U"
Progress = Callable[[str, int, int], None]


AREAS = {
    "social_assistance": "ALL_SA",
    "social_insurance": "ALL_SI",
    "labour_market": "ALL_LM",
}
"""The program areas a program may belong to, and the program code of each area's rows."""


@dataclass(frozen=True)
class Program:
    """A program's beneficiary list: its code (as the user gives it), the file and, if given,
    its program area (a key of :data:`AREAS`)."""

    code: str
    path: Path
    area: str | None = None


@dataclass(frozen=True)
class _Group:
    """Programs counted together: one program, an area's programs or all of them (``_T``);
    ``suffix`` names its columns in the wide table."""

    suffix: str
    label: str
    members: tuple[int, ...]


def _groups(programs: Sequence[Program]) -> list[_Group]:
    """Return each program, then each program area given (in order of first mention), then,
    for more than one program, any of them."""
    groups = [_Group(str(i), program.code, (i,)) for i, program in enumerate(programs)]
    areas = list(dict.fromkeys(program.area for program in programs if program.area))
    for j, area in enumerate(areas):
        members = tuple(i for i, program in enumerate(programs) if program.area == area)
        groups.append(_Group(f"_area{j}", AREAS[area], members))
    if len(programs) > 1:
        groups.append(_Group("_any", TOTAL, tuple(range(len(programs)))))
    return groups


@dataclass(frozen=True)
class CoverageOptions:
    """What to count: the breakdowns, the reference year of ages, the target group and the
    period range (``YYYY-MM`` inclusive both ends) of valid payments."""

    by: tuple[str, ...] = ()
    year: int = 2026
    target: Literal["decile", "poor"] = "decile"
    target_deciles: int = 4
    periods: tuple[str, str] | None = None


@dataclass
class CoverageResult:
    """The coverage table (``program, by, level`` and :data:`MEASURES`), the data-quality table
    (``program, id`` and :data:`QUALITY`) and the registry's size."""

    table: pd.DataFrame
    quality: pd.DataFrame
    persons: int
    households: int
    notes: list[str] = field(default_factory=list)


def registry_coverage(
    registry: Path,
    programs: Sequence[Program],
    options: CoverageOptions,
    *,
    engine: Engine = "duckdb",
    spark_master: str | None = None,
    memory_limit: str | None = None,
    threads: int | None = None,
    progress: Progress | None = None,
) -> CoverageResult:
    """Return the coverage counts on ``engine``: an in-process DuckDB held to ``memory_limit``
    (e.g. ``4GB``; default the ``duckdb_memory`` setting), spilling to the temporary folder past
    it, or Spark (:func:`~lindung.survey.spark.spark_session`: local mode on ``threads`` cores
    with ``memory_limit`` as the driver's memory, or the cluster at ``spark_master`` with it as
    each executor's)."""
    backend = open_backend(engine, threads=threads, master=spark_master, memory=memory_limit)
    try:
        if isinstance(backend, DuckDB):
            # Row order is not needed, and keeping it would hold rows back when spilling.
            backend.con.con.execute("SET preserve_insertion_order = false")
        return count_coverage(backend, registry, programs, options, progress)
    finally:
        backend.disconnect()


def count_coverage(
    backend: Backend,
    registry: Path,
    programs: Sequence[Program],
    options: CoverageOptions,
    progress: Progress | None = None,
) -> CoverageResult:
    """Return the coverage and data-quality counts of ``programs`` over ``registry``."""
    # Reading, ids, persons, each list, joining, and counting every domain at once.
    steps = 5 + len(programs)
    done = 0

    def step(what: str) -> None:
        nonlocal done
        if progress is not None:
            progress(what, done, steps)
        done += 1

    step("reading the registry")
    raw = read_table(backend.con, registry)
    names = checked_columns(registry, list(raw.columns), REGISTRY)
    lists = []
    for program in programs:
        table = read_table(backend.con, program.path)
        lists.append(
            (program, table, checked_columns(program.path, list(table.columns), BENEFICIARIES))
        )
    checked_values(raw, registry, names, REGISTRY, options.year)
    for program, table, columns in lists:
        checked_values(table, program.path, columns, BENEFICIARIES, options.year)
    step("checking the registry's ids")
    persons, households = _check_registry(raw, registry)
    step("ranking households into deciles" if "decile" not in names else "reading persons")
    base = backend.materialise("registry_persons", _persons(raw, names, options))
    try:
        people = base
        quality = []
        for index, (program, table, columns) in enumerate(lists):
            step(f"checking {program.code}")
            people, counts = _with_program(base, people, table, columns, index, options)
            quality.append({"program": program.code, **counts})
        step("joining the lists to the registry")
        groups = _groups(programs)
        wide = backend.materialise("registry_wide", _with_groups(people, groups))
    finally:
        backend.drop("registry_persons")
    try:
        step("counting the totals and breakdowns")
        per_level = counted_domains(wide, options.by, [group.suffix for group in groups], TOTAL)
    finally:
        backend.drop("registry_wide")
    if progress is not None:
        progress("done", steps, steps)
    return CoverageResult(
        table=_coverage_table(per_level, groups, options.by),
        quality=pd.DataFrame(quality, columns=["program", "id", *QUALITY]),
        persons=persons,
        households=households,
    )


def _check_registry(raw: ir.Table, path: Path) -> tuple[int, int]:
    """Return the registry's persons and households; refuse a missing or repeated person id."""
    sizes = raw.aggregate(
        rows=raw.count(),
        missing=raw.person_id.isnull().sum(),
        homeless=raw.household_id.isnull().sum(),
        households=raw.household_id.nunique(),
    ).to_pyarrow()
    rows, missing, homeless, households = (
        int(sizes[name][0].as_py() or 0) for name in sizes.column_names
    )
    if not rows:
        raise RegistryInputError(
            f"{path}: the registry has a header but no rows; give the file with its persons"
        )
    for count, column, what in [
        (missing, "person_id", "an id"),
        (homeless, "household_id", "a household"),
    ]:
        if count:
            raise RegistryInputError(
                f"{path}: {counted(count, 'row')} {'has' if count == 1 else 'have'} "
                f"no {column}; give every person of the registry {what}"
            )
    repeated = raw.group_by("person_id").aggregate(n=raw.count()).filter(ibis._.n > 1)
    found = repeated.aggregate(ids=repeated.count(), example=repeated.person_id.min()).to_pyarrow()
    if int(found["ids"][0].as_py() or 0):
        raise RegistryInputError(
            f"{path}: {found['ids'][0].as_py()} person_id values appear more than once "
            f"(the first is {found['example'][0].as_py()!r}); a registry has one row per person: "
            "remove the repeated rows"
        )
    return rows, households


def _flag(column: ir.Column, path_hint: str) -> ir.BooleanValue:
    """Return a yes/no column as booleans: true, a non-zero number or yes/true/1/y/t; a missing
    value is no."""
    kind = column.type()
    if kind.is_boolean():
        flag: ir.BooleanValue = column
    elif kind.is_numeric():
        flag = column != 0
    elif kind.is_string():
        flag = column.strip().lower().isin(list(TRUE_TEXT))
    else:
        raise RegistryInputError(
            f"column {path_hint!r} is of type {kind}; give it as true/false, 1/0 or yes/no"
        )
    return flag.fill_null(False)


def _text(column: ir.Column) -> ir.StringValue:
    return column.cast("string").fill_null(UNKNOWN)


def _persons(raw: ir.Table, names: dict[str, str], options: CoverageOptions) -> ir.Table:
    """Return one row per person with the breakdown levels, eligibility and household size."""
    homes = _households(raw, ranked="decile" not in names)
    raw = raw.join(homes, raw.household_id == homes.home).select(
        *raw.columns, *(name for name in homes.columns if name != "home")
    )
    if "age" in names:
        age = raw.age.cast("int64")
    else:
        age = ibis.literal(options.year, "int64") - raw.birth_year.cast("int64")
    age_group = ibis.cases(
        (age < 15, "Y0T14"), (age < 65, "Y15T64"), (age >= 65, "Y_GE65"), else_=UNKNOWN
    )
    decile = raw.decile.cast("int64")
    poor = _flag(raw.poor, "poor")
    disabled = _flag(raw.disability, "disability")
    if options.target == "poor":
        eligible = poor
    else:
        eligible = (decile <= options.target_deciles).fill_null(False)
    return raw.select(
        person_id=raw.person_id,
        household_id=raw.household_id,
        region=_text(raw.region),
        sex=_text(raw.sex),
        age_group=age_group,
        decile=decile.cast("string").fill_null(UNKNOWN),
        disability=ibis.ifelse(disabled, "PD", "PWD"),
        eligible=eligible,
        household_size=raw.household_size,
    )


def _households(raw: ir.Table, *, ranked: bool) -> ir.Table:
    """Return one row per household (``home``) with its size and, if ``ranked``, its decile
    from the PMT score.

    A household's score is its members' lowest. Households in order of score (lower poorer, ties
    by household id) are cut into tenths of the persons in households with a score, each
    household whole: decile = floor(10 * persons before it / persons scored) + 1. A household
    without a score has no decile.
    """
    sized = raw.group_by(home=raw.household_id).aggregate(
        household_size=raw.count(),
        **({"score": raw.pmt_score.min()} if ranked else {}),
    )
    if not ranked:
        return sized
    scored = sized.filter(sized.score.notnull())
    # Persons before a household: those of lower scores (a running sum over the distinct
    # scores, which the backend keeps off a single Spark task) and those of the same score
    # with a lower household id (a window within the score).
    at_score = scored.group_by(tied_score=scored.score).aggregate(at=scored.household_size.sum())
    upto = running_sums(at_score, "tied_score", {"upto": "at"})
    below = upto.select("tied_score", persons_below=upto.upto - upto.at)
    tied = ibis.window(group_by=scored.score, order_by=scored.home, rows=(None, -1))
    ahead = scored.mutate(persons_ahead=scored.household_size.sum().over(tied).fill_null(0))
    placed = ahead.join(below, ahead.score == below.tied_score)
    before = placed["persons_below"] + placed["persons_ahead"]
    persons = scored.household_size.sum().as_scalar()
    deciles = placed.select(
        decile_home=placed.home, decile=(before * 10 // persons + 1).cast("int64")
    )
    joined = sized.left_join(deciles, sized.home == deciles.decile_home)
    return joined.select("home", "household_size", "decile")


def _with_program(
    base: ir.Table,
    people: ir.Table,
    table: ir.Table,
    columns: dict[str, str],
    index: int,
    options: CoverageOptions,
) -> tuple[ir.Table, dict[str, Any]]:
    """Return ``people`` with the program's beneficiary flag ``b{index}``, amount ``a{index}``
    and whether the household holds a beneficiary ``h{index}``, and the list's data-quality
    counts. ``base`` is the persons' table, ``people`` it with the programs so far."""
    by_person = "person_id" in columns
    key = "person_id" if by_person else "household_id"
    ids = table[key]
    if not ids.type().equals(base[key].type()):
        ids = ids.cast("string")
    keys = base.select(known_id=base[key].cast(ids.type())).distinct()
    payments = table.select(id=ids, amount=table.amount.cast("float64"), period=month(table.period))
    marked = payments.left_join(keys, payments.id == keys.known_id)
    known = marked.known_id.notnull()
    paid = marked.amount > 0
    inside = marked.period.notnull()
    if options.periods is not None:
        inside = inside & marked.period.between(*options.periods)
    valid = known & paid.fill_null(False) & inside
    sums = marked.aggregate(
        rows=marked.count(),
        unknown_ids=(~known).cast("int64").sum(),
        nonpositive_amounts=(~paid.fill_null(False)).cast("int64").sum(),
        periods_outside=(~inside).cast("int64").sum(),
        valid_rows=valid.cast("int64").sum(),
    ).to_pyarrow()
    counts: dict[str, Any] = {name: int(sums[name][0].as_py() or 0) for name in sums.column_names}
    distinct = int(payments.select("id", "period").distinct().count().to_pyarrow().as_py())
    counts["duplicate_rows"] = counts["rows"] - distinct
    counts["id"] = key
    received = marked.filter(valid).group_by("id").aggregate(received=ibis._.amount.sum())
    joined = people.left_join(received, people[key].cast(ids.type()) == received.id)
    flag = joined.id.notnull()
    if by_person:
        # The households of the beneficiaries, found from the few paid rather than by a window
        # over every household.
        members = base.select(member=base.person_id.cast(ids.type()), home=base.household_id)
        paid_homes = received.join(members, received.id == members.member).select("home").distinct()
        joined = joined.left_join(paid_homes, joined.household_id == paid_homes.home)
        share, home_flag = joined.received, joined.home.notnull()
    else:
        share, home_flag = joined.received / joined.household_size, flag
    widened = joined.select(
        *people.columns,
        **{
            f"b{index}": flag,
            f"a{index}": share.fill_null(0.0),
            f"h{index}": home_flag,
        },
    )
    return widened, counts


def _with_groups(people: ir.Table, groups: Sequence[_Group]) -> ir.Table:
    """Add, for each group of several programs, a beneficiary of any of them (``b``), their
    amounts (``a``) and a household holding a beneficiary of any (``h``)."""
    added: dict[str, ir.Value] = {}
    for group in groups:
        if group.suffix.isdigit():
            continue
        first, *rest = group.members
        flags = {"b": people[f"b{first}"], "h": people[f"h{first}"]}
        amount: ir.NumericValue = people[f"a{first}"]
        for i in rest:
            flags = {name: flag | people[f"{name}{i}"] for name, flag in flags.items()}
            amount = amount + people[f"a{i}"]
        added |= {
            f"b{group.suffix}": flags["b"],
            f"h{group.suffix}": flags["h"],
            f"a{group.suffix}": amount,
        }
    return people.mutate(**added) if added else people


def _coverage_table(
    per_level: pd.DataFrame, groups: Sequence[_Group], by: tuple[str, ...]
) -> pd.DataFrame:
    """Return the long coverage table: one row per program (or group), breakdown and level."""
    suffixes = [group.suffix for group in groups]
    labels = [group.label for group in groups]
    rows: list[pd.DataFrame] = []
    for name in (TOTAL, *by):
        frame = per_level[per_level["by"] == name]
        frame = frame.assign(level=frame["level"].astype(str))
        if name == "decile":
            frame = frame.assign(_order=pd.to_numeric(frame["level"], errors="coerce")).sort_values(
                ["_order", "level"], na_position="last"
            )
        else:
            frame = frame.sort_values("level")
        for suffix, label in zip(suffixes, labels, strict=True):
            part = pd.DataFrame(
                {
                    "program": label,
                    "by": frame["by"],
                    "level": frame["level"],
                    "registered_persons": frame["registered_persons"],
                    "registered_households": frame["registered_households"],
                    "eligible_persons": frame["eligible_persons"],
                    "beneficiary_persons": frame[f"beneficiary_persons{suffix}"],
                    "beneficiary_households": frame[f"beneficiary_households{suffix}"],
                    "persons_in_beneficiary_households": frame[
                        f"persons_in_beneficiary_households{suffix}"
                    ],
                    "eligible_beneficiaries": frame[f"eligible_beneficiaries{suffix}"],
                    "amount_total": frame[f"amount_total{suffix}"],
                }
            )
            rows.append(part)
    table = pd.concat(rows, ignore_index=True)
    counts = [m for m in MEASURES if m not in _RATIOS and m != "amount_total"]
    table[counts] = table[counts].fillna(0).astype("int64")
    table["amount_total"] = table["amount_total"].fillna(0.0).astype("float64")
    order = {label: i for i, label in enumerate(labels)}
    by_order = {name: i for i, name in enumerate((TOTAL, *by))}
    table = table.assign(
        _p=table["program"].map(order), _b=table["by"].map(by_order), _r=range(len(table))
    ).sort_values(["_p", "_b", "_r"])
    ben = table["beneficiary_persons"].astype("float64")
    eligible = table["eligible_persons"].astype("float64")
    table["coverage"] = ben / table["registered_persons"].astype("float64")
    table["inclusion_error"] = (ben - table["eligible_beneficiaries"]) / ben
    table["exclusion_error"] = (eligible - table["eligible_beneficiaries"]) / eligible
    table["amount_per_beneficiary"] = table["amount_total"] / ben
    return table[["program", "by", "level", *MEASURES]].reset_index(drop=True)


_RATIOS = {"coverage", "inclusion_error", "exclusion_error", "amount_per_beneficiary"}
