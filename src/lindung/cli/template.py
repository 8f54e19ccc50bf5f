"""``lindung template``: make the submission template for a country and year."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path

import typer

from lindung.cli.codes import canonical
from lindung.cli.output import FORCE_OPTION, console, output_files
from lindung.cli.years import year_option

app = typer.Typer(
    help="Make submission templates (xlsx workbook or long CSV).", no_args_is_help=True
)


class TemplateFormat(StrEnum):
    """File formats a template can be made in."""

    xlsx = "xlsx"
    csv = "csv"


class Language(StrEnum):
    """Languages of the template's labels and instructions."""

    en = "en"
    id = "id"


@app.command("make")
def make(
    country: str = typer.Option(
        ..., "--country", help="ISO3 code of the member state.", callback=canonical
    ),
    year: int = year_option(..., "--year", help="Reference year of the data."),
    out: Path = typer.Option(..., "--out", help="File to write (.xlsx or .csv)."),
    indicators: str | None = typer.Option(
        None,
        "--indicators",
        help="Comma-separated series codes (default: every indicator).",
        callback=canonical,
    ),
    lang: Language = typer.Option(Language.en, "--lang", help="Language of labels."),
    fmt: TemplateFormat | None = typer.Option(
        None,
        "--format",
        help="xlsx workbook or long CSV with schema.json (default: from --out's suffix).",
    ),
    force: bool = FORCE_OPTION,
) -> None:
    """Write a template: one row per indicator and disaggregation, ready to fill."""
    from lindung.ingest import make_template

    if fmt is None:
        fmt = TemplateFormat.csv if out.suffix.lower() == ".csv" else TemplateFormat.xlsx
    codes = [code.strip() for code in indicators.split(",") if code.strip()] if indicators else None
    # A CSV template comes with schema.json beside it (a suffix mismatch is refused below).
    with_schema = fmt is TemplateFormat.csv and out.suffix.lower() == ".csv"
    targets = [out, out.with_name("schema.json")] if with_schema else [out]
    with output_files(*targets, force=force) as staged:
        make_template(
            staged[0],
            country=country,
            year=year,
            indicators=codes,
            language=lang.value,
            file_format=fmt.value,
        )
    for path in targets:
        console.print(f"wrote {path}")
