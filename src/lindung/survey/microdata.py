"""Reading microdata where it lies and checking it against the spec.

Files are read by the backend through Ibis (CSV and Parquet where they lie; Stata and SPSS
through pyreadstat into a backend table). :func:`checked_persons` turns the raw table into the
engine's canonical person table and reports every rule broken: errors raise
:class:`~lindung.errors.SurveySpecError`, recoverable problems become warnings in the
:class:`SurveyReport`.
"""

from __future__ import annotations

import difflib
import itertools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import ibis
import ibis.expr.types as ir

from lindung.errors import SurveySpecError
from lindung.survey.backend import Backend, count, one_row, open_backend
from lindung.survey.report import SurveyReport
from lindung.survey.spec import BOOLEAN_LEVELS, SurveySpec
from lindung.text import counted

__all__ = [
    "Persons",
    "check_households",
    "checked_persons",
    "code_text",
    "connect",
    "read_microdata",
]


def connect(threads: int | None = None) -> ibis.BaseBackend:
    """Return the Ibis connection of the default (in-process) backend, to read with."""
    return open_backend(threads=threads).con


def read_microdata(con: Backend, paths: list[Path]) -> ir.Table:
    """Return the microdata files (one row per person) as one Ibis table, read where they lie."""
    if not paths:
        raise SurveySpecError("no data file given; pass --data FILE")
    tables = [_read_one(con, Path(p)) for p in paths]
    first = tables[0]
    for path, table in zip(paths[1:], tables[1:], strict=True):
        if set(table.columns) != set(first.columns):
            raise SurveySpecError(
                f"{path}: its columns differ from {paths[0]}'s; give files with the same columns"
            )
    return ibis.union(*[t.select(*first.columns) for t in tables]) if len(tables) > 1 else first


def _read_one(con: Backend, path: Path) -> ir.Table:
    if not path.is_file():
        raise SurveySpecError(f"{path}: no such data file; check the --data path")
    suffix = path.suffix.lower()
    try:
        if suffix in {".csv", ".txt", ".gz"}:
            return con.read(path, "csv")
        if suffix in {".parquet", ".pq"}:
            return con.read(path, "parquet")
        if suffix in {".dta", ".sav", ".zsav"}:
            return _statistical_file(con, path)
    except SurveySpecError:
        raise
    except Exception as error:
        first_line = str(error).splitlines()[0] if str(error) else type(error).__name__
        raise SurveySpecError(
            f"{path}: unreadable data file ({first_line}); give a valid CSV, Parquet, .dta or .sav"
        ) from None
    raise SurveySpecError(
        f"{path}: unknown data format {suffix!r}; use .csv, .parquet, .dta or .sav"
    )


_FILE_NUMBERS = itertools.count()


def _statistical_file(con: Backend, path: Path) -> ir.Table:
    """Read a Stata or SPSS file with pyreadstat into a backend table (no backend reads them)."""
    import pyreadstat

    reader = pyreadstat.read_dta if path.suffix.lower() == ".dta" else pyreadstat.read_sav
    frame, _meta = reader(str(path))
    name = f"_file_{next(_FILE_NUMBERS)}"
    return con.from_frame(name, frame)


def _require_columns(raw: ir.Table, spec: SurveySpec) -> None:
    wanted: list[tuple[str, str]] = [
        (spec.design.weight, "design.weight"),
        (spec.household, "household"),
        (spec.welfare, "welfare"),
    ]
    for key in ("strata", "psu", "fpc"):
        column = getattr(spec.design, key)
        if column:
            wanted.append((column, f"design.{key}"))
    for program in spec.programs:
        wanted.append((program.amount, f"programs.{program.code}.amount"))
        if program.receipt:
            wanted.append((program.receipt, f"programs.{program.code}.receipt"))
    wanted.extend((d.column, "domains") for d in spec.domains)
    present = set(raw.columns)
    missing = [(column, role) for column, role in wanted if column not in present]
    if missing:
        column, role = missing[0]
        more = f" ({len(missing) - 1} more missing)" if len(missing) > 1 else ""
        raise SurveySpecError(
            f"column {column!r} ({role}) is not in the data{more}; "
            f"{_closest_column(column, list(raw.columns))} fix the spec"
        )


def _closest_column(column: str, columns: list[str]) -> str:
    """Return 'did you mean X?' for the closest column name, else a short list of the columns."""
    by_lower = {c.lower(): c for c in columns}
    close = difflib.get_close_matches(column.lower(), list(by_lower), n=1, cutoff=0.6)
    if close:
        return f"did you mean {by_lower[close[0]]!r}?"
    shown = ", ".join(sorted(columns)[:12])
    rest = f" and {len(columns) - 12} more" if len(columns) > 12 else ""
    return f"no column has a close name (the data has {shown}{rest});"


def _numeric(raw: ir.Table, column: str, role: str) -> ir.NumericValue:
    value = raw[column]
    if value.type().is_numeric():
        return value.cast("float64")
    if value.type().is_boolean():
        return value.cast("int64").cast("float64")
    text = _blank_as_missing(value.cast("string"))
    flag = text.strip().lower()
    number = ibis.coalesce(
        text.try_cast("float64"),
        ibis.cases((flag.isin(["yes", "true"]), 1.0), (flag.isin(["no", "false"]), 0.0)),
    )
    bad = count(raw.filter(text.notnull() & number.isnull()))
    if bad == 0:
        return number
    raise SurveySpecError(
        f"column {column!r} ({role}) must be numeric; not a number in {counted(bad, 'row')}; "
        "clean those values or point the spec at a numeric column"
    )


def code_text(value: ir.Value) -> ir.StringValue:
    """An id or domain level as text, the way the spec's codes read (see ``spec._level_text``):
    1.0 and 1 both read '1', a boolean or the text true/false (any case) reads '1' and '0', so a
    true/false column reads alike from every format; a blank string is missing."""
    if value.type().is_floating():
        whole = value.cast("int64").cast("string")
        return ibis.ifelse(value == value.cast("int64"), whole, value.cast("string"))
    if value.type().is_boolean():
        return value.cast("int64").cast("string")
    if value.type().is_integer():
        # Never blank, never a word: the text is the code (no per-row string tests).
        return value.cast("string")
    text = _blank_as_missing(value.cast("string"))
    flag = text.strip().lower()
    return ibis.cases(
        *((flag == word, ibis.literal(level)) for word, level in BOOLEAN_LEVELS.items()),
        else_=text,
    )


def _id(value: ir.Value) -> ir.Value:
    """A household, stratum or PSU id: whole numbers as they are (they are only grouped and
    joined on, and integers group faster than their text: 0.3 of the 2 CPU s that 1.2
    million persons take to read and group), anything else as :func:`code_text` reads it."""
    if value.type().is_integer():
        return value.cast("int64")
    return code_text(value)


def _blank_as_missing(text: ir.StringValue) -> ir.StringValue:
    # Stata and SPSS store a missing string as "", where CSV and Parquet have a null.
    return ibis.ifelse(text.strip() == "", ibis.null("string"), text)


@dataclass(frozen=True)
class Persons:
    """The canonical person table: ``kept``, the rows to estimate from, and ``sampled``, every
    row read, on which the design (strata, PSUs, fpc) is built."""

    kept: ir.Table
    sampled: ir.Table


def checked_persons(con: Backend, raw: ir.Table, spec: SurveySpec, report: SurveyReport) -> Persons:
    """Return the canonical person table (the data read once into the backend table
    ``_persons``, then filtered and filled as the query is run): ``_w, _stratum, _psu, _fpc,
    _hh, _y``, amounts, receipt flags and domains.

    Rows with missing welfare are left out of ``kept`` (counted in ``report``) but stay in the
    design, as in R's ``na.rm=TRUE``: a PSU whose rows are all dropped still counts in its
    stratum, with zero totals. Every other broken rule raises :class:`SurveySpecError` naming
    the column, the rule and the number of rows.
    """
    _require_columns(raw, spec)
    design = spec.design
    columns: dict[str, Any] = {
        "_w": _numeric(raw, design.weight, "design.weight"),
        "_y": _numeric(raw, spec.welfare, "welfare"),
        "_hh": _id(raw[spec.household]),
        "_stratum": _id(raw[design.strata]) if design.strata else ibis.literal("1"),
        "_fpc": _numeric(raw, design.fpc, "design.fpc")
        if design.fpc
        else ibis.literal(None, type="float64"),
    }
    columns["_psu"] = _id(raw[design.psu]) if design.psu else columns["_hh"]
    for program in spec.programs:
        columns[f"_amt_{program.code}"] = _numeric(
            raw, program.amount, f"programs.{program.code}.amount"
        )
        if program.receipt:
            columns[f"_rec_{program.code}"] = _numeric(
                raw, program.receipt, f"programs.{program.code}.receipt"
            )
    for domain in spec.domains:
        columns[f"_dom_{domain.column}"] = code_text(raw[domain.column])
    table = raw.select(**columns)
    table = con.materialise("_persons", table)
    counts = _rule_counts(table, spec)
    report.rows_read = counts.pop("rows")
    _raise_or_warn(counts, spec, report)
    kept = table.filter(table._y.notnull())
    fills = {c: kept[c].fill_null(0) for c in kept.columns if c.startswith(("_amt_", "_rec_"))}
    report.rows_used = report.rows_read - counts["welfare_missing"]
    if report.rows_used == 0:
        raise SurveySpecError(
            f"column {spec.welfare!r} (welfare) is missing in every row; no one left to estimate"
        )
    return Persons(kept=kept.mutate(**fills), sampled=table)


def _rule_counts(table: ir.Table, spec: SurveySpec) -> dict[str, int]:
    """Count, in one query, the rows that break each rule."""
    t = table
    rules: dict[str, ir.Value] = {
        "rows": t.count(),
        "weight_missing": t._w.isnull().sum(),
        "weight_negative": (t._w < 0).sum(),
        "welfare_missing": t._y.isnull().sum(),
        "welfare_negative": (t._y < 0).sum(),
        "household_missing": t._hh.isnull().sum(),
        "stratum_missing": t._stratum.isnull().sum(),
        "psu_missing": t._psu.isnull().sum(),
    }
    if spec.design.fpc:
        rules["fpc_missing"] = t._fpc.isnull().sum()
        rules["fpc_nonpositive"] = (t._fpc <= 0).sum()
    for program in spec.programs:
        amount = t[f"_amt_{program.code}"]
        rules[f"amount_missing:{program.code}"] = amount.isnull().sum()
        rules[f"amount_negative:{program.code}"] = (amount < 0).sum()
    for domain in spec.domains:
        rules[f"domain_missing:{domain.column}"] = t[f"_dom_{domain.column}"].isnull().sum()
    row = one_row(t.aggregate(**{k.replace(":", "__"): v for k, v in rules.items()}))
    return {k: int(row[k.replace(":", "__")] or 0) for k in rules}


def _raise_or_warn(counts: dict[str, int], spec: SurveySpec, report: SurveyReport) -> None:
    design = spec.design
    errors = [
        ("weight_missing", design.weight, "the weight may not be missing"),
        ("weight_negative", design.weight, "weights must be >= 0"),
        ("welfare_negative", spec.welfare, "welfare must be >= 0"),
        ("household_missing", spec.household, "every person needs a household id"),
        ("stratum_missing", design.strata, "every person needs a stratum"),
        ("psu_missing", design.psu, "every person needs a PSU"),
        ("fpc_missing", design.fpc, "the fpc may not be missing"),
        ("fpc_nonpositive", design.fpc, "the fpc must be > 0"),
    ]
    errors += [
        (f"amount_negative:{p.code}", p.amount, "transfer amounts must be >= 0")
        for p in spec.programs
    ]
    for key, column, rule in errors:
        if counts.get(key, 0):
            raise SurveySpecError(
                f"column {column!r}: {rule}; broken in {counted(counts[key], 'row')}; "
                "fix those rows or drop them before estimating"
            )
    if counts["welfare_missing"]:
        report.warn(
            "welfare_missing",
            f"column {spec.welfare!r}: welfare is missing in "
            f"{counted(counts['welfare_missing'], 'row')}; they were left out of the estimates "
            "(their PSUs stay in the design)",
            column=spec.welfare,
            count=counts["welfare_missing"],
        )
    for program in spec.programs:
        missing = counts[f"amount_missing:{program.code}"]
        if missing:
            report.warn(
                "amount_missing",
                f"column {program.amount!r}: amount missing in {counted(missing, 'row')}; "
                f"read as 0 (no {program.code} transfer)",
                column=program.amount,
                count=missing,
            )
    for domain in spec.domains:
        missing = counts[f"domain_missing:{domain.column}"]
        if missing:
            report.warn(
                "domain_missing",
                f"column {domain.column!r}: domain value missing in {counted(missing, 'row')}; "
                f"they are left out of the {domain.column} breakdown",
                column=domain.column,
                count=missing,
            )


def check_households(households: ir.Table, spec: SurveySpec) -> None:
    """Raise if a household's members carry different welfare values or lie in several PSUs.

    ``households`` has one row per household with the largest and smallest welfare and PSU id
    of its members (``_y, _y_low, _psu, _psu_low``) and its number of members ``_n``.
    """
    differs = households._y != households._y_low
    found = one_row(
        households.aggregate(
            conflicting=differs.cast("int64").sum(),
            conflicting_rows=ibis.ifelse(differs, households._n, 0).sum(),
            split=(households._psu != households._psu_low).cast("int64").sum(),
        )
    )
    conflicting = int(found["conflicting"] or 0)
    if conflicting:
        rows = int(found["conflicting_rows"])
        raise SurveySpecError(
            f"column {spec.welfare!r}: welfare is per-capita household welfare and must be the "
            f"same for every member, but it differs within {counted(conflicting, 'household')} "
            f"({counted(rows, 'row')}); give each household one value"
        )
    split = int(found["split"] or 0)
    if split:
        raise SurveySpecError(
            f"column {spec.household!r}: a household must lie in one PSU; "
            f"{counted(split, 'household')} found in several PSUs; check the household and PSU "
            "ids"
        )


def warn_unpaid_amounts(persons: ir.Table, spec: SurveySpec, report: SurveyReport) -> None:
    """Warn, for each program with a receipt flag, of the households with an amount recorded
    but no member flagged: only beneficiaries' amounts are transfers, so theirs count as 0."""
    flagged = [p for p in spec.programs if p.receipt]
    if not flagged:
        return
    per_household = persons.group_by(["_stratum", "_hh"]).aggregate(
        **{
            f"paid_{i}": (persons[f"_amt_{p.code}"] > 0).cast("int64").max()
            - (persons[f"_rec_{p.code}"] > 0).cast("int64").max()
            for i, p in enumerate(flagged)
        }
    )
    unpaid = {
        f"n_{i}": (per_household[f"paid_{i}"] > 0).cast("int64").sum() for i in range(len(flagged))
    }
    found = one_row(per_household.aggregate(**unpaid))
    for i, program in enumerate(flagged):
        unpaid_households = int(found[f"n_{i}"] or 0)
        if unpaid_households:
            report.warn(
                "amount_without_receipt",
                f"column {program.amount!r}: a {program.code} amount in "
                f"{counted(unpaid_households, 'household')} with no member with "
                f"{program.receipt!r} set; their amount is not counted "
                f"(set {program.receipt!r} or clear the amount)",
                column=program.amount,
                count=unpaid_households,
            )
