"""Checks of the crosswalk's code mapping: every agency code maps to a code the framework's
codelist holds, and no two series claim the same agency indicator and key.

Problems are 'file: entry: field: message' strings, as in ``lindung.framework.checks``.
"""

from __future__ import annotations

from lindung.framework.checks import Located
from lindung.framework.models import AgencyCodes, Codelist, Indicator


def agency_checks(
    agencies: list[Located[AgencyCodes]], codelists: list[Located[Codelist]]
) -> list[str]:
    """Return a problem for a repeated agency, a dimension without a codelist, and an agency
    code mapped to a code its codelist does not accept."""
    by_name = {item.value.name: item.value for item in codelists}
    problems: list[str] = []
    seen: dict[str, str] = {}
    for item in agencies:
        agency = item.value
        if agency.agency in seen:
            message = f"duplicate {agency.agency}; first defined in {seen[agency.agency]}"
            problems.append(item.problem("agency", message))
        seen.setdefault(agency.agency, item.file)
        for position, dimension in enumerate(agency.dimensions):
            where = f"dimensions.{position}"
            codelist = by_name.get(dimension.codelist)
            if codelist is None:
                problems.append(item.problem(where, f"no codelist {dimension.codelist!r}"))
                continue
            for theirs, ours in dimension.codes.items():
                if not codelist.accepts(ours):
                    message = f"{theirs} maps to {ours!r}, not a {dimension.codelist} code"
                    problems.append(item.problem(f"{where}.codes", message))
    return problems


def crosswalk_keys(
    indicators: list[Located[Indicator]], agencies: list[Located[AgencyCodes]]
) -> list[str]:
    """Return a problem for every crosswalk entry of an agency with codes whose code and key an
    earlier series' entry already has: an agency's figure must map to one series."""
    mapped = {item.value.agency for item in agencies}
    first: dict[tuple[str, str, tuple[tuple[str, str], ...]], str] = {}
    problems = []
    for item in indicators:
        for position, entry in enumerate(item.value.crosswalk):
            if entry.agency not in mapped:
                continue
            claim = (entry.agency, entry.code, tuple(sorted(entry.key.items())))
            if claim in first and first[claim] != item.value.code:
                message = f"{entry.agency} {entry.code} {dict(entry.key)} maps to {first[claim]}"
                problems.append(item.problem(f"crosswalk.{position}.key", message))
            first.setdefault(claim, item.value.code)
    return problems
