"""``lindung report``: the ASEAN Social Protection Monitoring Report and the country profiles,
as PDF or HTML, in English or Bahasa Indonesia.

A report shows published values only, as ``lindung export`` does, so anyone may make one: no
sign-in is asked for. The report package (pandas, the store, vl-convert, WeasyPrint) loads only
when a command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import typer

from lindung.cli.codes import canonical
from lindung.cli.output import (
    check_writable,
    console,
    output_files,
    progress_columns,
    progress_text,
)
from lindung.cli.years import year_option
from lindung.errors import UnknownCode, UsageError
from lindung.text import counted

if TYPE_CHECKING:
    from lindung.report import Assessment

app = typer.Typer(
    help="Write the regional monitoring report and the country profiles (PDF or HTML).",
    no_args_is_help=True,
)

YearOption = year_option(..., "--year", help="Report year: values of this year and before.")
LangOption = typer.Option("en", "--lang", help="Language: en (English) or id (Indonesian).")
ForceOption = typer.Option(False, "--force", help="Replace the files if they exist.")
FORMATS = (".pdf", ".html")


def _suffix(out: Path) -> str:
    suffix = out.suffix.lower()
    if suffix not in FORMATS:
        raise UsageError(f"--out {out}: name a .pdf or .html file (the suffix chooses the format)")
    return suffix


def _assessment(year: int) -> Assessment:
    """Read the published values of ``year`` and before, and assess them."""
    from lindung.cli.store_access import open_store
    from lindung.framework import load_catalogue
    from lindung.report import assess, read_report_data
    from lindung.store import transaction

    with console.status(f"Reading and assessing the published values up to {year}"):
        with transaction(open_store()) as connection:
            data = read_report_data(connection, load_catalogue(), year)
        return assess(data)


def _member_state(iso3: str) -> str:
    from lindung.framework import load_catalogue

    code = canonical(iso3)
    states = [state.iso3 for state in load_catalogue().member_states]
    if code not in states:
        raise UnknownCode("member state", iso3, f"use one of {', '.join(states)}")
    return code


@app.command("regional")
def regional(
    year: int = YearOption,
    lang: str = LangOption,
    out: Path = typer.Option(..., "--out", help="File to write: .pdf or .html."),
    force: bool = ForceOption,
) -> None:
    """Write the ASEAN Social Protection Monitoring Report of a year."""
    from lindung.report import regional_report
    from lindung.report.render import document
    from lindung.report.words import language_of

    language = language_of(lang)
    suffix = _suffix(out)
    check_writable(out, force=force)
    assessment = _assessment(year)
    with console.status("Drawing the charts and typesetting the report"):
        written = document("regional.html", regional_report(assessment, language), language, suffix)
    with output_files(out, force=force) as (staged,):
        staged.write_bytes(written)
    console.print(f"Wrote the ASEAN monitoring report {year} ({language}) to {out}.")


@app.command("country")
def country(
    iso3: str = typer.Argument(
        ..., metavar="ISO3", help="The member state, e.g. IDN.", callback=canonical
    ),
    year: int = YearOption,
    lang: str = LangOption,
    out: Path = typer.Option(..., "--out", help="File to write: .pdf or .html."),
    force: bool = ForceOption,
) -> None:
    """Write the social protection profile of one member state for a year."""
    from lindung.report import country_profile
    from lindung.report.render import document
    from lindung.report.words import language_of

    language = language_of(lang)
    code = _member_state(iso3)
    suffix = _suffix(out)
    check_writable(out, force=force)
    assessment = _assessment(year)
    with console.status("Drawing the charts and typesetting the profile"):
        written = document(
            "country.html", country_profile(assessment, code, language), language, suffix
        )
    with output_files(out, force=force) as (staged,):
        staged.write_bytes(written)
    console.print(f"Wrote the profile of {code} {year} ({language}) to {out}.")


@app.command("countries")
def countries(
    year: int = YearOption,
    lang: str = LangOption,
    out: Path = typer.Option(..., "--out", help="Folder to write the profiles in (made if new)."),
    fmt: str = typer.Option("pdf", "--format", help="pdf or html."),
    force: bool = ForceOption,
) -> None:
    """Write the profile of every member state for a year, one file each (ISO3_YEAR_LANG)."""
    from rich.progress import Progress

    from lindung.framework import load_catalogue
    from lindung.report import country_profile
    from lindung.report.render import document
    from lindung.report.words import language_of

    language = language_of(lang)
    if fmt not in ("pdf", "html"):
        raise UsageError(f"--format {fmt}: use pdf or html")
    suffix = f".{fmt}"
    if out.exists() and not out.is_dir():
        raise UsageError(f"--out {out} is a file; name a folder for the profiles")
    states = [state.iso3 for state in load_catalogue().member_states]
    targets = [out / f"{code}_{year}_{language}{suffix}" for code in states]
    out.mkdir(parents=True, exist_ok=True)
    check_writable(*targets, force=force)
    assessment = _assessment(year)
    with Progress(*progress_columns(), console=console, transient=True) as progress:
        task = progress.add_task("Country profiles", total=len(states))
        for code, target in zip(states, targets, strict=True):
            progress.update(task, description=progress_text(f"Profile of {code}"))
            written = document(
                "country.html", country_profile(assessment, code, language), language, suffix
            )
            with output_files(target, force=force) as (staged,):
                staged.write_bytes(written)
            progress.advance(task)
    console.print(f"Wrote {counted(len(states), 'country profile')} ({language}) to {out}.")
