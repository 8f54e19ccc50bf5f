"""Reading an Open SDG data folder (``data/indicator_<id>.csv``) into the framework's
observations for one area, with a finding for everything that does not map.

Each file is read as sdg-build reads it, by the reader of the template's CSV
(``lindung.ingest.reader``, with its size limits): UTF-8 with or without a byte-order mark,
fields quoted or not (a file saved where Excel separates with ``;`` and writes decimal commas
is read that way, with a warning), ``Year`` and ``Value`` required, a blank disaggregation
cell meaning the total, a row whose ``Value`` is blank reporting nothing. The id in the file
name says the indicator (as ``lindung export open-sdg`` writes them,
``lindung.exchange.opensdg``); the ``Series`` column says the series where the indicator has
several, ``Units`` is checked against the series' unit, ``GeoCode`` must be blank or the area
imported. A disaggregation column is named by its codelist's title (English or Bahasa
Indonesia) or its dimension (``sex``), and each cell by its code or its code's name, in
either case. What is unmappable (a column, a code, a year such as ``2019*``, an indicator the
framework lacks) is a finding naming the file, row and column, from the catalogue of
``lindung.ingest.findings``. The metadata files (meta/) are not read: what they say is the
framework's.

Before any file is read the data folder itself is checked (``checked_data_folder``): at most
``LINDUNG_IMPORT_MAX_FOLDER_FILES`` entries and ``LINDUNG_IMPORT_MAX_FOLDER_BYTES`` bytes in
all, only regular files (a subfolder, a FIFO, a device or a socket is refused), and a symbolic
link only to a file inside the folder given; anything else raises one error naming the path
and the fix, so nothing is parsed and nothing is stored.
"""

from __future__ import annotations

import hashlib
import math
import os
import re
import stat
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

from lindung import settings
from lindung.errors import TooLarge, UsageError
from lindung.exchange.opensdg import (
    GEOCODE,
    SERIES,
    SPECIAL_COLUMNS,
    UNITS,
    VALUE,
    YEAR,
    OpenSdgIndicator,
    code_spellings,
    open_sdg_indicators,
    unit_names,
)
from lindung.framework import Catalogue, Indicator
from lindung.ingest import findings as F
from lindung.ingest.dialect import Dialect
from lindung.ingest.findings import Finding, Location
from lindung.ingest.reader import Limits, RawRow, RawTable, read_file
from lindung.ingest.tableschema import YEAR_RANGE
from lindung.keys import DIMENSIONS, Observation
from lindung.text import counted

DATA_FILE = re.compile(r"^indicator_(?P<id>.+)\.csv$")
#: How many allowed spellings a finding lists before "...".
LISTED = 12


@dataclass
class FolderRead:
    """What a folder gave: observations with where each came from, findings, and the hash
    of its data files (what makes an import idempotent)."""

    folder_hash: str = ""
    files: list[str] = field(default_factory=list)
    observations: list[Observation] = field(default_factory=list)
    locations: list[Location] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    #: The files' column of each observation field, for the findings about them.
    columns: dict[str, str] = field(default_factory=lambda: {"time_period": YEAR, "value": VALUE})


@dataclass(frozen=True)
class FolderLimits:
    """Caps on an Open SDG data folder, checked before any of its files is read; each defaults
    to its setting (``lindung settings``), read when the limits are made."""

    max_files: int = field(default_factory=settings.IMPORT_MAX_FOLDER_FILES.value)
    max_bytes: int = field(default_factory=settings.IMPORT_MAX_FOLDER_BYTES.value)


_KINDS = (
    (stat.S_ISDIR, "a subfolder"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)
_FLAT = "an Open SDG data folder holds only files such as data/indicator_1-3-1.csv"


def _inside(path: Path, root: Path) -> bool:
    return path == root or path.is_relative_to(root)


def checked_data_folder(folder: Path, limits: FolderLimits | None = None) -> Path:
    """Return the data folder of ``folder`` (its ``data/``, or the folder itself when it has
    none) once every entry of it is a regular file, or a symbolic link to one inside
    ``folder``, and the entries are within ``limits`` in number and total size.

    Raise TooLarge past a cap, and UsageError for a link leading outside ``folder`` or to
    nothing, a subfolder, a FIFO, a device or a socket; each names the path and the fix.
    Nothing is opened: the check reads the folder listing and each entry's status only.
    """
    limits = limits or FolderLimits()
    root = folder.resolve()
    data = folder / "data"
    if data.is_symlink() and not _inside(data.resolve(), root):
        raise UsageError(
            f"{data} is a symbolic link to {data.resolve()}, outside {folder}; "
            "copy the data files into the folder instead of linking to them"
        )
    data = data if data.is_dir() else folder
    count = 0
    total = 0
    with os.scandir(data) as entries:
        for entry in entries:
            count += 1
            path = Path(entry.path)
            if count > limits.max_files:
                raise TooLarge(
                    f"{data} holds more than {limits.max_files:_} entries, the most an import "
                    f"reads; give a folder holding only the data files, or raise "
                    f"{settings.IMPORT_MAX_FOLDER_FILES.env}"
                )
            if entry.is_symlink():
                try:
                    target = path.resolve()
                except (OSError, RuntimeError):  # a loop of links
                    target = path
                if not _inside(target, root):
                    raise UsageError(
                        f"{path} is a symbolic link to {target}, outside {folder}; "
                        "replace the link with a copy of the file, or remove it"
                    )
            try:
                status = entry.stat(follow_symlinks=True)
            except OSError:
                raise UsageError(
                    f"{path} is a symbolic link to nothing; remove it, or replace it with "
                    "the file it should name"
                ) from None
            for test, kind in _KINDS:
                if test(status.st_mode):
                    raise UsageError(f"{path} is {kind}, not a file; {_FLAT}: move it out")
            if not stat.S_ISREG(status.st_mode):
                raise UsageError(f"{path} is not a regular file; {_FLAT}: move it out")
            total += status.st_size
            if total > limits.max_bytes:
                raise TooLarge(
                    f"the files of {data} add up to more than "
                    f"{counted(limits.max_bytes, 'byte')}, the "
                    f"most an import reads (at {path}); import the folder in parts, or raise "
                    f"{settings.IMPORT_MAX_FOLDER_BYTES.env}"
                )
    return data


def data_files(folder: Path, limits: FolderLimits | None = None) -> list[Path]:
    """Return the folder's data files (``data/indicator_<id>.csv``), sorted by name, once the
    data folder has passed ``checked_data_folder``; a folder without ``data/`` is taken to be
    the data folder itself."""
    data = checked_data_folder(folder, limits)
    return sorted(path for path in data.iterdir() if DATA_FILE.match(path.name))


def read_folder(
    folder: Path,
    area: str,
    catalogue: Catalogue,
    limits: Limits | None = None,
    folder_limits: FolderLimits | None = None,
) -> FolderRead:
    """Return the observations of ``area`` in an Open SDG data folder and every finding;
    raise as ``checked_data_folder`` does before reading any file."""
    limits = limits or Limits()
    result = FolderRead()
    digest = hashlib.sha256()
    paths = data_files(folder, folder_limits)
    if not paths:
        result.findings.append(F.OpenSdgNoData(Location(file=folder.name)))
    indicators = open_sdg_indicators(catalogue)
    for path in paths:
        result.files.append(path.name)
        table = read_file(path, limits)
        result.findings.extend(table.findings)
        if not table.readable:
            continue
        digest.update(f"{path.name}\0{table.file_hash}\n".encode())
        match = DATA_FILE.match(path.name)
        target = indicators.get(match["id"]) if match else None
        if target is None:
            indicator = match["id"] if match else path.name
            result.findings.append(
                F.OpenSdgUnknownIndicator(Location(file=path.name), indicator=indicator)
            )
            continue
        _FileReader(path.name, target, area, catalogue, result).read(table)
    result.folder_hash = digest.hexdigest()
    return result


def _listed(spellings: list[str]) -> str:
    shown = ", ".join(spellings[:LISTED])
    return shown + (", ..." if len(spellings) > LISTED else "")


class _FileReader:
    """Reads one data file of one indicator into ``result``."""

    def __init__(
        self,
        name: str,
        target: OpenSdgIndicator,
        area: str,
        catalogue: Catalogue,
        result: FolderRead,
    ) -> None:
        self.name = name
        self.target = target
        self.area = area
        self.catalogue = catalogue
        self.result = result
        self.series = {indicator.code: indicator for indicator in target.series}
        defined = {d.lower() for indicator in target.series for d in indicator.disaggregations}
        self.dimensions = [name for name in DIMENSIONS if name in defined]
        self.seen: dict[tuple[Any, ...], Location] = {}
        self.spellings = {name: code_spellings(catalogue, name) for name in self.dimensions}
        self.dialect = Dialect()

    def found(self, finding: Finding) -> None:
        self.result.findings.append(finding)

    def read(self, table: RawTable) -> None:
        self.dialect = table.dialect
        if not table.header:
            self.found(F.FileEmpty(Location(file=self.name)))
            return
        header = table.header[0][1]
        columns = self.columns(header, table.rows)
        if columns is None:
            return
        for raw in table.rows:
            cells = {
                name: str(cell.value).strip() for name, cell in raw.cells.items() if name in columns
            }
            self.row(raw.location.row or 0, cells, columns)

    def columns(self, header: list[str], rows: list[RawRow]) -> dict[str, str] | None:
        """Return each usable column's meaning (a special column, or a dimension), or None
        when the file cannot be read (a required column missing, one that does not map)."""
        where = Location(file=self.name, row=1)
        usable: dict[str, str] = {}
        ok = True
        for required in (YEAR, VALUE):
            if required not in header:
                self.found(F.OpenSdgMissingColumn(where, name=required))
                ok = False
        if self.target.has_series_column and SERIES not in header:
            series = ", ".join(self.series)
            self.found(F.OpenSdgSeriesMissing(where, indicator=self.target.id, series=series))
            ok = False
        titles = self.titles()
        meanings = [
            name if name in SPECIAL_COLUMNS else titles.get(name.casefold()) for name in header
        ]
        for meaning in dict.fromkeys(m for m in meanings if m and meanings.count(m) > 1):
            repeated = [name for name, m in zip(header, meanings, strict=True) if m == meaning]
            self.found(F.DuplicateColumn(where, name=repeated[0], count=len(repeated)))
            ok = False
        for name in header:
            if name in SPECIAL_COLUMNS:
                usable[name] = name
                continue
            dimension = titles.get(name.casefold())
            if dimension is not None:
                usable[name] = dimension
                continue
            filled = [raw.location.row for raw in rows if name in raw.cells]
            if filled:
                self.found(
                    F.OpenSdgUnmappedColumn(
                        Location(file=self.name, row=filled[0], column=name),
                        column=name,
                        indicator=self.target.id,
                        known=", ".join(
                            self.catalogue.codelist(d).title.en for d in self.dimensions
                        )
                        or "none",
                    )
                )
                ok = False
        return usable if ok else None

    def titles(self) -> dict[str, str]:
        """Return the indicator's dimensions by every name a column may have, case-folded."""
        names: dict[str, str] = {}
        for dimension in self.dimensions:
            title = self.catalogue.codelist(dimension).title
            for spelling in (dimension, title.en, title.id):
                names[spelling.casefold()] = dimension
        return names

    def row(self, number: int, cells: Mapping[str, str], columns: Mapping[str, str]) -> None:
        def at(column: str) -> Location:
            return Location(file=self.name, row=number, column=column)

        if not cells.get(VALUE):
            filled = [name for name, text in cells.items() if text]
            if filled:
                self.found(F.ValueMissing(at(filled[0]), column=filled[0]))
            return
        before = len(self.result.findings)
        year = self.year(cells.get(YEAR, ""), at(YEAR))
        value = self.value(cells[VALUE], at(VALUE))
        indicator = self.row_series(cells, at(SERIES))
        self.geocode(cells.get(GEOCODE, ""), at(GEOCODE))
        codes: dict[str, str] = {name: "_T" for name in DIMENSIONS}
        for column, meaning in columns.items():
            if meaning in DIMENSIONS and cells.get(column):
                codes[meaning] = self.code(meaning, cells[column], indicator, at(column))
        if indicator is not None and cells.get(UNITS):
            self.unit(indicator, cells[UNITS], at(UNITS))
        errors = [f for f in self.result.findings[before:] if f.severity == "error"]
        if errors or indicator is None:
            return
        if year is None or value is None:
            return
        observation = cast(
            Observation,
            {
                **codes,
                "series": indicator.code,
                "ref_area": self.area,
                "time_period": year,
                "value": value,
                "unit": indicator.unit,
            },
        )
        key = (indicator.code, year, *(codes[name] for name in DIMENSIONS))
        if key in self.seen:
            first = self.seen[key].describe()
            self.found(F.DuplicateKey(at(VALUE), first=f"{self.name} {first}"))
            return
        self.seen[key] = Location(file=self.name, row=number)
        self.result.observations.append(observation)
        self.result.locations.append(Location(file=self.name, row=number))

    def year(self, text: str, where: Location) -> int | None:
        low, high = YEAR_RANGE
        if text.isdigit() and low <= int(text) <= high:
            return int(text)
        self.found(F.InvalidYear(where, found=text, low=low, high=high))
        return None

    def value(self, text: str, where: Location) -> float | None:
        number = self.dialect.number(text)
        if number is None and self.dialect.ambiguous(text):
            self.found(F.AmbiguousNumber(where, found=text[:80], column=VALUE))
        elif number is None:
            self.found(F.NotANumber(where, found=text[:80], column=VALUE))
        elif not math.isfinite(number):
            self.found(F.NotFinite(where, found=text[:80], column=VALUE))
            return None
        return number

    def row_series(self, cells: Mapping[str, str], where: Location) -> Indicator | None:
        text = cells.get(SERIES, "")
        if not self.target.has_series_column and not text:
            return self.target.series[0]
        found = {code.casefold(): indicator for code, indicator in self.series.items()}
        indicator = found.get(text.casefold())
        if indicator is None:
            self.found(
                F.OpenSdgUnmappedValue(
                    where,
                    found=text,
                    column=SERIES,
                    what=f"a series of indicator {self.target.id}",
                    allowed=_listed(list(self.series)),
                )
            )
        return indicator

    def geocode(self, text: str, where: Location) -> None:
        if not text or text.upper() == self.area:
            return
        if text.upper() in self.catalogue.areas:
            self.found(F.CountryMismatch(where, found=text, expected=self.area))
            return
        self.found(
            F.OpenSdgUnmappedValue(
                where,
                found=text,
                column=GEOCODE,
                what=f"the code of {self.area}, the area imported (sub-national areas are not "
                "held by the framework)",
                allowed=self.area,
            )
        )

    def code(self, dimension: str, text: str, indicator: Indicator | None, where: Location) -> str:
        codelist = self.catalogue.codelist(dimension)
        code = self.spellings[dimension].get(text.casefold())
        if code is None and codelist.accepts(text.upper()):
            code = text.upper()
        applies = indicator is None or dimension.upper() in indicator.disaggregations
        if code is not None and applies:
            listed = indicator.codes.get(dimension.upper(), []) if indicator else []
            if listed and code not in listed:
                self.found(
                    F.CodeNotApplicable(
                        where,
                        series=indicator.code if indicator else "?",
                        column=where.column,
                        found=text,
                        codes=", ".join(listed),
                    )
                )
            return code
        what = (
            f"a code of {codelist.title.en}"
            if applies
            else f"a breakdown of {indicator.code if indicator else '?'} in the framework"
        )
        allowed = [entry.name.en for entry in codelist.codes] if applies else []
        self.found(
            F.OpenSdgUnmappedValue(
                where,
                found=text,
                column=where.column,
                what=what,
                allowed=_listed(allowed) if allowed else "nothing (leave the column blank)",
            )
        )
        return "_T"

    def unit(self, indicator: Indicator, text: str, where: Location) -> None:
        if text.casefold() not in unit_names(indicator.unit):
            self.found(
                F.UnitMismatch(where, series=indicator.code, expected=indicator.unit, found=text)
            )
