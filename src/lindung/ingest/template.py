"""Making a submission template for one country and year, as a workbook or a long CSV."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from lindung.errors import TemplateError
from lindung.framework import Catalogue, load_catalogue
from lindung.ingest.layout import selected_indicators
from lindung.ingest.tableschema import YEAR_RANGE, write_csv
from lindung.ingest.workbook import write_workbook

FORMATS = ("xlsx", "csv")
LANGUAGES = ("en", "id")


def make_template(
    path: Path,
    *,
    country: str,
    year: int,
    indicators: Sequence[str] | None = None,
    language: str = "en",
    file_format: str = "xlsx",
    catalogue: Catalogue | None = None,
) -> list[Path]:
    """Write the template (and, for CSV, its ``schema.json``); return the paths written."""
    catalogue = catalogue or load_catalogue()
    iso3 = catalogue.member_state(country.upper()).iso3
    if not YEAR_RANGE[0] <= year <= YEAR_RANGE[1]:
        raise TemplateError(
            f"year {year} is outside {YEAR_RANGE[0]}-{YEAR_RANGE[1]}; give --year YYYY"
        )
    if language not in LANGUAGES:
        raise TemplateError(f"unknown language {language!r}; use --lang en or --lang id")
    if file_format not in FORMATS:
        raise TemplateError(f"unknown format {file_format!r}; use --format xlsx or --format csv")
    if path.suffix.lower() != f".{file_format}":
        # `lindung submission check` goes by the suffix: an xlsx named .csv could not be read.
        raise TemplateError(
            f"{path.name} does not end in .{file_format}; name the {file_format} template "
            f"{path.stem}.{file_format}"
        )
    chosen = selected_indicators(catalogue, indicators)
    if not path.parent.is_dir():
        raise TemplateError(
            f"folder {path.parent} does not exist; create it or choose another --out"
        )
    if file_format == "csv":
        return [path, write_csv(catalogue, chosen, country=iso3, year=year, path=path)]
    write_workbook(catalogue, chosen, country=iso3, year=year, language=language, path=path)
    return [path]
