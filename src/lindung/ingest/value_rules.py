"""The value and text rules every import runs on its observations, whatever file they came
from: a filled template, an SDMX message (the SDG DSD's or an agency's own), an Open SDG folder.

A template is judged cell by cell as it is read (``structure``), with the pieces below; an
importer that reads another format hands its observations to ``check_observations``, which
runs the same pieces and the same validation rules (``rules/default.yaml``), so that no import
stores what the template check refuses: text a spreadsheet would run or that holds invisible
characters, a number that is not finite, a value implausible for its unit, a percentage outside
0 to 100; a year that has not ended is a warning.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal, cast

from lindung.framework import Catalogue
from lindung.ingest import findings as F
from lindung.ingest.findings import Finding, Location
from lindung.ingest.free_text import judge_text
from lindung.ingest.rules import Node, RuleSet, load_rules
from lindung.keys import DIMENSIONS, Observation

if TYPE_CHECKING:
    from lindung.ingest.check import StoreFigures

#: The largest magnitude a value can plausibly have, by unit: a population of 1.8e308 is a
#: typing or export error, and would make every aggregate over it infinite.
MAX_MAGNITUDE: dict[str, float] = {
    "percent": 1e4,
    "ratio": 1e6,
    "index": 1e4,
    "persons": 1e10,
    "count": 1e12,
    "LCU": 1e18,
    "PPP$": 1e15,
    "int$_2011": 1e15,
}
#: An observation's free-text fields, judged as a template's source and note are.
TEXT_FIELDS: tuple[Literal["source", "comment"], ...] = ("source", "comment")
#: Its numbers besides the value, which must be finite when given.
NUMBER_FIELDS: tuple[Literal["se", "ci_low", "ci_high"], ...] = ("se", "ci_low", "ci_high")


def implausible(value: float, series: str, unit: str, where: Location) -> Finding | None:
    """Return an implausible-value finding when ``value`` is beyond what ``unit`` can hold."""
    limit = MAX_MAGNITUDE.get(unit, math.inf)
    if abs(value) > limit:
        return F.ImplausibleValue(
            where, found=f"{value:g}", series=series, unit=unit, limit=f"{limit:g}"
        )
    return None


def future_year(year: int | None, where: Location) -> Finding | None:
    """Return a warning for a reference year that has not ended yet (today's date in UTC)."""
    today = datetime.now(UTC).date()
    if year is not None and year >= today.year:
        return F.YearInFuture(where, found=year, today=today.isoformat())
    return None


def check_observations(
    observations: Sequence[Observation],
    locations: Sequence[Location],
    catalogue: Catalogue,
    *,
    columns: Mapping[str, str] | None = None,
    rules: RuleSet | None = None,
    figures: StoreFigures | None = None,
    consistency: bool = True,
) -> list[Finding]:
    """Return every finding of the value and text rules on ``observations``, each at its
    location (``locations``, one per observation) and column (``columns`` names the file's
    column of each field, e.g. ``{"source": "SOURCE_DETAIL"}``; the field's name otherwise).

    Free text is judged as it will be stored (``normalised_text``); a year in the future is
    warned about once, at its first observation. Without ``consistency`` only the rules on
    each value by itself run (a percentage within 0 to 100), not those comparing values (a
    total between the female and male values): an agency's figures are its own, and where
    they disagree with each other ``assess consistency`` shows it rather than the import.
    """
    # check.py reads templates through structure, which uses this module's pieces.
    from lindung.ingest.check import StoreFigures, apply_rules

    names = dict(columns or {})
    found: list[Finding] = []
    warned_years: set[int] = set()
    judged: list[Observation] = []
    judged_at: list[Location] = []
    for observation, location in zip(observations, locations, strict=True):
        # A dimension left out is a total (``Observation``), as the store reads it.
        row = cast(Observation, {**dict.fromkeys(DIMENSIONS, "_T"), **observation})

        def at(field: str, where: Location = location) -> Location:
            return dataclasses.replace(where, column=names.get(field, field))

        value = row["value"]
        problem: Finding | None
        if not isinstance(value, int | float) or not math.isfinite(value):
            problem = F.NotFinite(at("value"), found=str(value)[:80], column=at("value").column)
        else:
            unit = row.get("unit") or catalogue.indicator(row["series"]).unit
            problem = implausible(float(value), row["series"], unit, at("value"))
        if problem is not None:
            found.append(problem)
        else:
            # The rules compare values; one that is not a usable number would only add noise.
            judged.append(row)
            judged_at.append(location)
        for name in NUMBER_FIELDS:
            number = row.get(name)
            if number is not None and not math.isfinite(number):
                found.append(F.NotFinite(at(name), found=str(number), column=at(name).column))
        for field in TEXT_FIELDS:
            if row.get(field) is not None:
                judge_text(str(row[field]), at(field), found)
        year = row["time_period"]
        if year not in warned_years:
            warning = future_year(year, at("time_period"))
            if warning is not None:
                warned_years.add(year)
                found.append(warning)
    ruleset = rules or load_rules()
    if not consistency:
        kept = [
            rule
            for rule in ruleset.rules
            if all(map(_on_the_value, rule.sides()[1] + [rule.sides()[0]]))
        ]
        ruleset = RuleSet(version=ruleset.version, rules=kept)
    found.extend(apply_rules(judged, judged_at, catalogue, ruleset, figures or StoreFigures()))
    return found


def _on_the_value(node: Node) -> bool:
    """Return whether an expression reads nothing but the observation's own value."""
    if node.kind == "ref":
        return bool(node.value == "value")
    if node.kind in ("number", "op", "abs"):
        return all(_on_the_value(child) for child in node.children)
    return False


def key_text(observation: Mapping[str, object]) -> str:
    """Return an observation's key as a user reads it: series, area, year, then any breakdown
    (``SI_POV_DAY1 IDN 2036 sex=F``), where a file has no row or cell to name."""
    breakdown = [f"{n}={observation[n]}" for n in DIMENSIONS if observation.get(n, "_T") != "_T"]
    head = [str(observation[name]) for name in ("series", "ref_area", "time_period")]
    return " ".join([*head, *breakdown])


def normalised_text(observation: Observation) -> Observation:
    """Return the observation with its free text as a template's is stored (NFC, trimmed;
    empty is none)."""
    row: dict[str, object] = dict(observation)
    for name in TEXT_FIELDS:
        if row.get(name) is not None:
            row[name] = judge_text(str(row[name]), Location(), [])
    return cast(Observation, row)
