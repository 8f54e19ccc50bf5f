"""Open SDG: the framework's indicators and their current published values as an Open SDG data
folder (``data/indicator_<id>.csv`` and ``meta/<id>.yml``), in English or Bahasa Indonesia.

Indicator ids are Open SDG's: an SDG indicator is its number with dashes (1.3.1 is ``1-3-1``)
and holds every series of the framework that reports it, told apart by a ``Series`` column
(when the indicator has more than one series) and a ``Units`` column (when they use more than
one unit). A series linked to no SDG indicator (Lindung's own ``ASP_`` series, and
``SI_POV_GINI``) is an indicator of its own whose id is its code in lower case with dashes
(``ASP_COV`` is ``asp-cov``). Which columns a file has follows from the catalogue alone, so
``lindung import open-sdg`` reads the same ids and columns back.

A data file has ``Year`` first, then ``Series`` and ``Units`` where needed, the disaggregation
columns some value breaks down (named by the codelist's title, each cell the code's name; a
blank cell is the total), ``GeoCode`` (the area's code) when the export covers more than one
area, and ``Value`` last. Every text cell a spreadsheet would run as a formula is neutralised
(``lindung.text.csv_text``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import yaml

from lindung.errors import UnknownCode
from lindung.framework import Catalogue, Indicator
from lindung.keys import DIMENSIONS
from lindung.store.observations import StoredObservation
from lindung.text import csv_text

LANGUAGES: tuple[str, ...] = ("en", "id")
YEAR, SERIES, UNITS, GEOCODE, VALUE = "Year", "Series", "Units", "GeoCode", "Value"
#: Columns with a meaning of their own in Open SDG; every other column is a disaggregation.
SPECIAL_COLUMNS: tuple[str, ...] = (YEAR, SERIES, UNITS, GEOCODE, VALUE)
#: Each unit's name in the Units column, by language (``%`` is read as percent too).
UNIT_NAMES: dict[str, dict[str, str]] = {
    "percent": {"en": "Percent", "id": "Persen"},
    "ratio": {"en": "Ratio", "id": "Rasio"},
    "index": {"en": "Index", "id": "Indeks"},
    "LCU": {"en": "Local currency units", "id": "Satuan mata uang lokal"},
    "PPP$": {"en": "PPP dollars", "id": "Dolar PPP"},
    "int$_2011": {"en": "2011 international dollars", "id": "Dolar internasional 2011"},
    "persons": {"en": "Persons", "id": "Orang"},
    "count": {"en": "Count", "id": "Jumlah"},
}
TIERS = {"I": "1", "II": "2", "III": "3"}
SDG_ID = re.compile(r"^\d{1,2}-[0-9a-z]{1,2}-\d{1,2}$")
#: Decimals Open SDG shows at most (``precision``), whatever a value carries.
MAX_DECIMALS = 6


@dataclass(frozen=True)
class OpenSdgIndicator:
    """One Open SDG indicator: its id, the framework's series it holds, and which of the
    optional columns its data file has."""

    id: str
    series: tuple[Indicator, ...]

    @property
    def sdg(self) -> bool:
        """Return whether this is an SDG indicator (else one of Lindung's own series)."""
        return self.series[0].sdg is not None

    @property
    def has_series_column(self) -> bool:
        """Return whether the data file names each row's series (more than one series)."""
        return len(self.series) > 1

    @property
    def has_units_column(self) -> bool:
        """Return whether the data file names each row's unit (the series use several)."""
        return len({indicator.unit for indicator in self.series}) > 1


def indicator_id(indicator: Indicator) -> str:
    """Return the Open SDG id of the indicator a series belongs to: ``1-3-1``, ``asp-cov``."""
    if indicator.sdg is not None:
        return indicator.sdg.indicator.replace(".", "-")
    return indicator.code.lower().replace("_", "-")


def open_sdg_indicators(catalogue: Catalogue) -> dict[str, OpenSdgIndicator]:
    """Return every Open SDG indicator of the catalogue by id, its series in catalogue order."""
    grouped: dict[str, list[Indicator]] = {}
    for indicator in catalogue.indicators:
        grouped.setdefault(indicator_id(indicator), []).append(indicator)
    return {key: OpenSdgIndicator(key, tuple(series)) for key, series in grouped.items()}


def find_indicator(catalogue: Catalogue, key: str) -> OpenSdgIndicator:
    """Return the Open SDG indicator with id ``key``; UnknownCode when there is none."""
    found = open_sdg_indicators(catalogue).get(key)
    if found is None:
        raise UnknownCode("Open SDG indicator", key, "ids are written as 1-3-1 or asp-cov")
    return found


def sort_order(key: str) -> str:
    """Return Open SDG's sort key of an indicator id: each part padded to two characters
    (``1-a-2`` is ``01-0a-02``); Lindung's own ids sort after every SDG one, as they are."""
    if not SDG_ID.match(key):
        return key
    return "-".join(part.rjust(2, "0") for part in key.split("-"))


def value_text(value: float) -> str:
    """Return the shortest text that reads back as the same number (``repr``)."""
    return repr(float(value))


def code_name(catalogue: Catalogue, dimension: str, code: str, language: str) -> str:
    """Return the name of ``code`` in ``language``; a code of an open list not listed in it
    (a national program) is written as the code."""
    for entry in catalogue.codelist(dimension).codes:
        if entry.code == code:
            return entry.name.get(language)
    return code


def data_rows(
    rows: Sequence[StoredObservation],
    target: OpenSdgIndicator,
    catalogue: Catalogue,
    language: str,
    with_geocode: bool,
) -> tuple[list[str], list[dict[str, str]]]:
    """Return the data file's columns and its rows for one indicator's observations."""
    broken = [name for name in DIMENSIONS if any(row[name] != "_T" for row in rows)]  # type: ignore[literal-required]
    titles = {name: catalogue.codelist(name).title.get(language) for name in broken}
    columns = [
        YEAR,
        *([SERIES] if target.has_series_column else []),
        *([UNITS] if target.has_units_column else []),
        *(titles[name] for name in broken),
        *([GEOCODE] if with_geocode else []),
        VALUE,
    ]
    order = {indicator.code: number for number, indicator in enumerate(target.series)}

    def sort_key(row: StoredObservation) -> tuple[Any, ...]:
        codes = [row[name] for name in broken]  # type: ignore[literal-required]
        totals_first = [(code != "_T", code) for code in codes]
        return (order[row["series"]], row["ref_area"], totals_first, row["time_period"])

    lines = []
    for row in sorted(rows, key=sort_key):
        line = {YEAR: str(row["time_period"]), VALUE: value_text(row["value"])}
        line[SERIES] = row["series"]
        line[UNITS] = UNIT_NAMES[row["unit"]][language]
        line[GEOCODE] = row["ref_area"]
        for name in broken:
            code = row[name]  # type: ignore[literal-required]
            line[titles[name]] = "" if code == "_T" else code_name(catalogue, name, code, language)
        lines.append(line)
    return columns, lines


def _decimals(value: float) -> int:
    exponent = Decimal(value_text(value)).as_tuple().exponent
    return min(MAX_DECIMALS, max(0, -exponent)) if isinstance(exponent, int) else 0


def metadata(
    target: OpenSdgIndicator,
    rows: Sequence[StoredObservation],
    catalogue: Catalogue,
    language: str,
) -> dict[str, Any]:
    """Return an indicator's Open SDG metadata (``meta/<id>.yml``) from the framework.

    An SDG indicator's name, target and goal are Open SDG's translation keys
    (``global_indicators.1-3-1-title``), which every Open SDG site translates; Lindung's own
    indicator carries the framework's name. ``precision`` shows each series with as many
    decimals as its values carry (at most six); the sources are the values' sources.
    """
    first = target.series[0]
    link = first.sdg
    name = f"global_indicators.{target.id}-title" if link is not None else first.name.get(language)
    units = sorted({indicator.unit for indicator in target.series})
    meta: dict[str, Any] = {"indicator_number": link.indicator if link else target.id}
    meta["indicator_name"] = name
    meta["indicator_sort_order"] = sort_order(target.id)
    if link is not None:
        goal = str(link.goal)
        meta["target_id"] = link.target
        meta["target"] = f"global_targets.{link.target.replace('.', '-')}-title"
        meta["sdg_goal"] = goal
        meta["goal"] = f"global_goals.{goal}-title"
        meta["un_designated_tier"] = TIERS[link.tier]
    custodians = list(dict.fromkeys(indicator.custodian for indicator in target.series))
    meta["un_custodian_agency"] = ", ".join(custodians)
    meta["reporting_status"] = "complete" if rows else "notstarted"
    meta["published"] = True
    meta["graph_type"] = "line"
    meta["graph_title"] = name
    meta["computation_units"] = ", ".join(UNIT_NAMES[unit][language] for unit in units)
    meta["national_indicator_description"] = "\n".join(
        f"{indicator.code}: {indicator.definition.get(language)}" for indicator in target.series
    )
    defined = {dimension.lower() for s in target.series for dimension in s.disaggregations}
    disaggregations = [name for name in DIMENSIONS if name in defined]
    meta["expected_disaggregations"] = [
        catalogue.codelist(name).title.get(language) for name in disaggregations
    ]
    present = [s for s in target.series if any(r["series"] == s.code for r in rows)]
    meta["data_start_values"] = (
        [{"field": SERIES, "value": present[0].code}]
        if target.has_series_column and present
        else []
    )
    meta["precision"] = [
        {
            **({"series": indicator.code} if target.has_series_column else {}),
            "unit": UNIT_NAMES[indicator.unit][language],
            "decimals": max(_decimals(r["value"]) for r in rows if r["series"] == indicator.code),
        }
        for indicator in present
    ]
    sources = sorted({row["source"] for row in rows if row["source"]})
    for number, source in enumerate(sources, start=1):
        meta[f"source_active_{number}"] = True
        meta[f"source_organisation_{number}"] = source
    return meta


def folder_files(
    rows: Sequence[StoredObservation],
    catalogue: Catalogue,
    language: str = "en",
    series: Iterable[str] = (),
) -> dict[str, str]:
    """Return the Open SDG folder's files by path (``meta/1-3-1.yml``, ``data/indicator_1-3-1.csv``)
    with their text: metadata for every indicator holding one of ``series`` (default every
    series), a data file for each that has values."""
    chosen = set(series)
    by_series: dict[str, list[StoredObservation]] = {}
    for row in rows:
        by_series.setdefault(row["series"], []).append(row)
    with_geocode = len({row["ref_area"] for row in rows}) > 1
    files: dict[str, str] = {}
    for key, target in open_sdg_indicators(catalogue).items():
        if chosen and not chosen & {indicator.code for indicator in target.series}:
            continue
        indicator_rows = [r for s in target.series for r in by_series.get(s.code, [])]
        meta = metadata(target, indicator_rows, catalogue, language)
        files[f"meta/{key}.yml"] = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False)
        if indicator_rows:
            columns, lines = data_rows(indicator_rows, target, catalogue, language, with_geocode)
            files[f"data/indicator_{key}.csv"] = csv_text(lines, columns)
    return files


def unit_names(unit: str) -> set[str]:
    """Return every spelling of ``unit`` a Units cell may use, case-folded."""
    spellings = {unit, *UNIT_NAMES[unit].values(), *(["%"] if unit == "percent" else [])}
    return {spelling.casefold() for spelling in spellings}


def code_spellings(catalogue: Catalogue, dimension: str) -> Mapping[str, str]:
    """Return each code of a dimension by every spelling a cell may use, case-folded: the
    code itself and its name in each language (a spelling two codes share is left out)."""
    spelled: dict[str, set[str]] = {}
    for entry in catalogue.codelist(dimension).codes:
        for spelling in (entry.code, entry.name.en, entry.name.id):
            spelled.setdefault(spelling.casefold(), set()).add(entry.code)
    return {spelling: codes.pop() for spelling, codes in spelled.items() if len(codes) == 1}
