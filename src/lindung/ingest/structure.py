"""Structural checks: a read file against the Table Schema, giving typed observations.

Required columns, types, codes from the codelists, the template's metadata, one country and
year per file, units as the framework defines them, disaggregations the indicator has, and
duplicate keys. A row whose ``value`` is empty is not reported, which is not an error.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from openpyxl.utils import get_column_letter

from lindung.framework import Catalogue
from lindung.ingest import findings as F
from lindung.ingest.dialect import Dialect
from lindung.ingest.findings import Finding, Location
from lindung.ingest.free_text import free_text
from lindung.ingest.layout import (
    CSV_COLUMNS,
    INPUT_COLUMNS,
    LABEL_COLUMNS,
    METADATA_SHEET,
    TEMPLATE_VERSION,
    TEXT_COLUMNS,
    WORKBOOK_COLUMNS,
)
from lindung.ingest.number_format import shows_percent
from lindung.ingest.reader import Cell, RawRow, RawTable
from lindung.ingest.tableschema import YEAR_RANGE, table_schema
from lindung.ingest.value_rules import future_year, implausible
from lindung.keys import Observation, key_of
from lindung.store import DIMENSIONS

KEY_COLUMNS: tuple[str, ...] = ("series", *DIMENSIONS)
#: Names of a column that would give each row its country or year (or, in a workbook, its
#: framework version), as a reader spells them (``_key_field``). A workbook takes these from its
#: hidden metadata, a CSV from its ``ref_area`` and ``time_period`` columns.
_COUNTRY = frozenset({"ref_area", "country", "negara", "iso3", "geocode", "geo_code", "area"})
_YEAR = frozenset({"time_period", "year", "tahun", "period", "periode", "reference_year"})
WORKBOOK_KEY_ALIASES: dict[str, frozenset[str]] = {
    "ref_area": _COUNTRY,
    "time_period": _YEAR,
    "framework_version": frozenset({"framework_version"}),
}
CSV_KEY_ALIASES: dict[str, frozenset[str]] = {
    "ref_area": _COUNTRY - {"ref_area"},
    "time_period": _YEAR - {"time_period"},
}


@dataclass
class Parsed:
    """Observations read from a file, where each value came from, and what was found."""

    country: str | None = None
    year: int | None = None
    framework_version: str | None = None
    observations: list[Observation] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)


class _Schema:
    """The Table Schema's constraints by field name, as the checks use them."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.fields = {f["name"]: f for f in table_schema(catalogue)["fields"]}
        self.version = catalogue.version
        self._folds: dict[str, dict[str, str]] = {}

    def enum(self, name: str) -> set[str] | None:
        values = self.fields[name].get("constraints", {}).get("enum")
        return set(values) if values is not None else None

    def accepts(self, name: str, code: str) -> bool:
        return self.canonical(name, code) is not None

    def canonical(self, name: str, code: str) -> str | None:
        """Return the code as the framework spells it (codes are read whatever their case),
        or None when the field does not accept it."""
        constraints = self.fields[name].get("constraints", {})
        if "enum" in constraints:
            if code in constraints["enum"]:
                return code
            return self._folded(name).get(code.casefold())
        pattern = constraints.get("pattern", ".*")
        for spelling in (code, code.upper()):
            if re.fullmatch(pattern, spelling) is not None:
                return spelling
        return None

    def _folded(self, name: str) -> dict[str, str]:
        if name not in self._folds:
            codes = self.fields[name]["constraints"]["enum"]
            folds: dict[str, str] = {}
            for code in codes:
                folds.setdefault(code.casefold(), code)
            # Two codes differing only by case would make the folding ambiguous: keep exact.
            clashes = {k for k in folds if sum(c.casefold() == k for c in codes) > 1}
            self._folds[name] = {k: v for k, v in folds.items() if k not in clashes}
        return self._folds[name]


def parse(table: RawTable, catalogue: Catalogue) -> Parsed:
    """Return the typed observations of a readable file, with every structural finding."""
    parsed = Parsed(findings=list(table.findings))
    if not table.readable:
        return parsed
    schema = _Schema(catalogue)
    is_workbook = table.file_format == "xlsx"
    if is_workbook:
        _check_metadata(table, catalogue, parsed)
    else:
        _most_rows_area_and_year(table, schema, parsed)
        _future(parsed.year, Location(file=table.file_name), parsed)
    expected = WORKBOOK_COLUMNS if is_workbook else CSV_COLUMNS
    usable_sheets = _check_headers(table, expected, is_workbook, parsed)
    seen: dict[tuple[Any, ...], Location] = {}
    for row in table.rows:
        if row.location.sheet not in usable_sheets:
            continue
        if "value" not in row.cells:
            filled = [name for name in INPUT_COLUMNS if name in row.cells]
            if filled:
                parsed.findings.append(
                    F.ValueMissing(row.cells[filled[0]].location, column=filled[0])
                )
            continue
        observation = _parse_row(row, is_workbook, schema, catalogue, table.dialect, parsed)
        if observation is None:
            continue
        key = key_of(observation)
        where = row.cells["value"].location
        if key in seen:
            parsed.findings.append(F.DuplicateKey(where, first=seen[key].describe()))
            continue
        seen[key] = where
        parsed.observations.append(observation)
        parsed.locations.append(where)
    if not parsed.observations and not any(f.severity == "error" for f in parsed.findings):
        parsed.findings.append(F.NothingReported(Location(file=table.file_name)))
    return parsed


def _check_metadata(table: RawTable, catalogue: Catalogue, parsed: Parsed) -> None:
    if not table.has_metadata:
        return
    where = Location(file=table.file_name, sheet=METADATA_SHEET)
    meta = table.metadata
    version = meta.get("template_version")
    if version != TEMPLATE_VERSION:
        parsed.findings.append(
            F.MetadataInvalid(where, key="template_version", found=version)
            if version is None
            else F.TemplateVersionMismatch(where, found=version, expected=TEMPLATE_VERSION)
        )
    parsed.framework_version = meta.get("framework_version")
    if parsed.framework_version != catalogue.version:
        parsed.findings.append(
            F.FrameworkVersionDiffers(
                where, found=parsed.framework_version, expected=catalogue.version
            )
        )
    country = meta.get("country", "")
    parsed.country = _Schema(catalogue).canonical("ref_area", country.strip())
    if parsed.country is None:
        parsed.findings.append(F.UnknownCountry(where, found=country))
    parsed.year = _year(meta.get("year", ""), where, parsed)
    _future(parsed.year, where, parsed)


def _year(text: Any, where: Location, parsed: Parsed) -> int | None:
    raw = str(text).strip()
    if raw.isdigit() and YEAR_RANGE[0] <= int(raw) <= YEAR_RANGE[1]:
        return int(raw)
    if isinstance(text, float) and text.is_integer() and YEAR_RANGE[0] <= text <= YEAR_RANGE[1]:
        return int(text)
    parsed.findings.append(F.InvalidYear(where, found=raw, low=YEAR_RANGE[0], high=YEAR_RANGE[1]))
    return None


def _future(year: int | None, where: Location, parsed: Parsed) -> None:
    """Warn about a reference year that has not ended yet (today's date in UTC)."""
    warning = future_year(year, where)
    if warning is not None:
        parsed.findings.append(warning)


def _check_headers(
    table: RawTable, expected: tuple[str, ...], is_workbook: bool, parsed: Parsed
) -> set[str | None]:
    """Return the sheets (``None`` for CSV) whose header has every required column, once.

    A column named twice is an error and its sheet is not read: whichever copy won, one
    country, year or series would silently replace another. Names are compared as a reader
    sees them (``_header_key``), so ``series`` and ``SERIES`` or ``series`` with a zero-width
    space are one name twice.

    A column the template does not have is not read; when it would give the rows their country
    or year (``time_period`` in a workbook, ``year`` in a CSV), which the file takes from
    elsewhere, it is an error: its values would be replaced without a word.
    """
    required = [name for name in expected if name not in LABEL_COLUMNS]
    usable: set[str | None] = set()
    for where, header in table.header:
        missing = [name for name in required if name not in header]
        for name in missing:
            parsed.findings.append(F.MissingColumn(where, name=name, expected=", ".join(expected)))
        named = [name for name in header if name]
        for name in dict.fromkeys(named):
            if name in expected:
                continue
            field = _key_field(name, is_workbook)
            if field is None:
                parsed.findings.append(F.ExtraColumn(where, name=name))
                continue
            at = _header_cell(where, header.index(name), name, is_workbook)
            if is_workbook:
                found = {
                    "ref_area": parsed.country,
                    "time_period": parsed.year,
                    "framework_version": parsed.framework_version,
                }.get(field)
                known = {"found": found} if found is not None else {}
                parsed.findings.append(F.KeyColumnInWorkbook(at, name=name, field=field, **known))
            else:
                parsed.findings.append(F.KeyColumnInCsv(at, name=name, field=field))
        counts = Counter(_header_key(name) for name in named)
        first = {_header_key(name): name for name in reversed(named)}
        for key, count in counts.items():
            if count > 1:
                parsed.findings.append(F.DuplicateColumn(where, name=first[key], count=count))
        if not missing and all(count == 1 for count in counts.values()):
            usable.add(where.sheet)
    return usable


def _key_field(name: str, is_workbook: bool) -> str | None:
    """Return the key field a column not in the template would give (``ref_area``,
    ``time_period``...), where the file takes that field from elsewhere, else None."""
    spelled = re.sub(r"[\s-]+", "_", _header_key(name))
    fields = WORKBOOK_KEY_ALIASES if is_workbook else CSV_KEY_ALIASES
    return next((field for field, names in fields.items() if spelled in names), None)


def _header_cell(where: Location, index: int, name: str, is_workbook: bool) -> Location:
    """Return the location of a header cell: its address in a workbook, its name in a CSV."""
    cell = f"{get_column_letter(index + 1)}1" if is_workbook else None
    return Location(file=where.file, sheet=where.sheet, cell=cell, row=1, column=name)


def _header_key(name: str) -> str:
    """Return a column name as a reader sees it: compatibility forms (full-width letters)
    folded, format characters (zero-width spaces, joiners, bidi marks) dropped, surrounding
    whitespace trimmed, case folded."""
    text = unicodedata.normalize("NFKC", name)
    return "".join(c for c in text if unicodedata.category(c) != "Cf").strip().casefold()


def _most_rows_area_and_year(table: RawTable, schema: _Schema, parsed: Parsed) -> None:
    """Take a CSV's country and year from most of its reported rows, so that a stray row is
    the one flagged as mismatched, not every row after it."""
    areas: Counter[str] = Counter()
    years: Counter[int] = Counter()
    for row in table.rows:
        if "value" not in row.cells:
            continue
        area, year = row.cells.get("ref_area"), row.cells.get("time_period")
        code = schema.canonical("ref_area", _text(area.value)) if area is not None else None
        if code is not None:
            areas[code] += 1
        text = _text(year.value) if year is not None else ""
        if text.isdigit() and YEAR_RANGE[0] <= int(text) <= YEAR_RANGE[1]:
            years[int(text)] += 1
    if areas:
        parsed.country = areas.most_common(1)[0][0]
    if years:
        parsed.year = years.most_common(1)[0][0]


def _parse_row(
    row: RawRow,
    is_workbook: bool,
    schema: _Schema,
    catalogue: Catalogue,
    dialect: Dialect,
    parsed: Parsed,
) -> Observation | None:
    """Return one observation, or None when the row has an error (each one is reported)."""
    before = len(parsed.findings)
    formulas = [cell for cell in row.cells.values() if cell.formula]
    for cell in formulas:
        parsed.findings.append(F.FormulaNotAllowed(cell.location, formula=str(cell.value)[:60]))
    if formulas:
        return None
    value = _number(row.cells["value"], dialect, parsed)
    observation: dict[str, Any] = {}
    series = _code(row, "series", schema, parsed, F.UnknownSeries)
    observation["series"] = series
    for name in DIMENSIONS:
        observation[name] = _code(row, name, schema, parsed, F.UnknownDimensionCode)
    observation["ref_area"], observation["time_period"] = _area_and_year(
        row, is_workbook, schema, parsed
    )
    if series is not None and series in (schema.enum("series") or set()):
        indicator = catalogue.indicator(series)
        for name in DIMENSIONS:
            code = observation[name]
            if code not in (None, "_T") and name.upper() not in indicator.disaggregations:
                parsed.findings.append(
                    F.DisaggregationNotDefined(row.cells[name].location, series=series, column=name)
                )
            applicable = indicator.codes.get(name.upper(), [])
            if code not in (None, "_T") and applicable and code not in applicable:
                parsed.findings.append(
                    F.CodeNotApplicable(
                        row.cells[name].location,
                        series=series,
                        column=name,
                        found=code,
                        codes=", ".join(applicable),
                    )
                )
        unit_cell = row.cells.get("unit")
        unit = _text(unit_cell.value) if unit_cell else indicator.unit
        if unit_cell is not None and unit.casefold() != indicator.unit.casefold():
            parsed.findings.append(
                F.UnitMismatch(
                    unit_cell.location, series=series, expected=indicator.unit, found=unit
                )
            )
        observation["unit"] = indicator.unit
        if value is not None:
            value = _plausible(row.cells["value"], value, series, indicator.unit, parsed)
    nature_cell = row.cells.get("nature")
    observation["nature"] = None
    if nature_cell is not None:
        nature = _text(nature_cell.value)
        observation["nature"] = schema.canonical("nature", nature)
        if observation["nature"] is None:
            parsed.findings.append(
                F.UnknownDimensionCode(nature_cell.location, found=nature, column="nature")
            )
    for name in TEXT_COLUMNS:
        target = "comment" if name == "note" else name
        observation[target] = free_text(row.cells.get(name), parsed.findings)
    observation["value"] = value
    if any(f.severity == "error" for f in parsed.findings[before:]):
        return None
    # Without an error every key field above holds its code and the value its number.
    return cast(Observation, observation)


def _text(value: Any) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _code(
    row: RawRow, name: str, schema: _Schema, parsed: Parsed, finding: type[Finding]
) -> str | None:
    cell = row.cells.get(name)
    if cell is None:
        parsed.findings.append(F.MissingKey(row.cells["value"].location, column=name))
        return None
    code = _text(cell.value)
    canonical = schema.canonical(name, code)
    if canonical is not None:
        return canonical
    hint = ""
    if name == "series":
        close = [s for s in schema.enum("series") or set() if s.startswith(code[:6].upper())]
        hint = f" (e.g. {', '.join(sorted(close)[:3])})" if close and code else ""
    parsed.findings.append(
        finding(cell.location, found=code[:80], column=name, hint=hint, version=schema.version)
    )
    return None


def _area_and_year(
    row: RawRow, is_workbook: bool, schema: _Schema, parsed: Parsed
) -> tuple[str | None, int | None]:
    if is_workbook:
        return parsed.country, parsed.year
    area_cell, year_cell = row.cells.get("ref_area"), row.cells.get("time_period")
    where = row.cells["value"].location
    area = year = None
    if area_cell is None:
        parsed.findings.append(F.MissingKey(where, column="ref_area"))
    elif schema.canonical("ref_area", _text(area_cell.value)) is None:
        parsed.findings.append(F.UnknownCountry(area_cell.location, found=_text(area_cell.value)))
    else:
        area = schema.canonical("ref_area", _text(area_cell.value))
        if parsed.country is None:
            parsed.country = area
        elif area != parsed.country:
            parsed.findings.append(
                F.CountryMismatch(area_cell.location, found=area, expected=parsed.country)
            )
    if year_cell is None:
        parsed.findings.append(F.MissingKey(where, column="time_period"))
    else:
        year = _year(year_cell.value, year_cell.location, parsed)
        if year is not None and parsed.year is None:
            parsed.year = year
        elif year is not None and year != parsed.year:
            parsed.findings.append(
                F.YearMismatch(year_cell.location, found=year, expected=parsed.year)
            )
    return area, year


def _number(cell: Cell, dialect: Dialect, parsed: Parsed) -> float | None:
    raw = cell.value
    if isinstance(raw, bool):
        parsed.findings.append(F.NotANumber(cell.location, found=raw, column="value"))
        return None
    number: float | None = None
    if isinstance(raw, int | float):
        number = float(raw)
    elif isinstance(raw, str) and raw.strip().lower().lstrip("+-") in ("nan", "inf", "infinity"):
        parsed.findings.append(F.NotFinite(cell.location, found=raw.strip(), column="value"))
        return None
    elif isinstance(raw, str):
        number = dialect.number(raw)
        bare = raw.strip()[:-1].rstrip() if raw.strip().endswith("%") else ""
        if number is None and bare and dialect.number(bare) is not None:
            found, plain = raw.strip()[:80], bare[:80]
            parsed.findings.append(
                F.PercentSignInText(cell.location, found=found, column="value", number=plain)
            )
            return None
        if number is None and dialect.ambiguous(raw):
            found = raw.strip()[:80]
            parsed.findings.append(F.AmbiguousNumber(cell.location, found=found, column="value"))
            return None
    if number is None:
        parsed.findings.append(F.NotANumber(cell.location, found=str(raw)[:80], column="value"))
        return None
    if not math.isfinite(number):
        parsed.findings.append(F.NotFinite(cell.location, found=str(raw)[:80], column="value"))
        return None
    return number


def _plausible(cell: Cell, value: float, series: str, unit: str, parsed: Parsed) -> float | None:
    """Return the value as meant (a cell shown as 56.3% is 56.3 percent), or None when it is
    implausible for its unit; each case is a finding."""
    raw = cell.value
    if isinstance(raw, int | float) and shows_percent(cell.number_format, float(raw)):
        shown = float(Decimal(repr(float(cell.value))) * 100)
        if unit != "percent":
            parsed.findings.append(
                F.PercentFormatUnit(cell.location, shown=f"{shown:g}%", series=series, unit=unit)
            )
            return None
        parsed.findings.append(
            F.PercentFormatRead(cell.location, shown=f"{shown:g}%", raw=cell.value, value=shown)
        )
        value = shown
    problem = implausible(value, series, unit, cell.location)
    if problem is not None:
        parsed.findings.append(problem)
        return None
    return value
