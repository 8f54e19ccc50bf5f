"""``lindung export`` and ``lindung import``: the framework's data as SDMX, and SDMX data from
the agencies into the store."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from lindung.cli.codes import canonical
from lindung.cli.output import console, output_files
from lindung.cli.store_access import open_store
from lindung.cli.template import Language
from lindung.cli.years import year_option
from lindung.errors import UnknownCode, UsageError, ValidationFailed
from lindung.exchange.formats import SdmxFormat
from lindung.framework import Catalogue, load_catalogue
from lindung.text import counted

if TYPE_CHECKING:
    from lindung.ingest.finding import Finding

export_app = typer.Typer(
    help="Export the framework's data (SDMX, Excel, Open SDG).", no_args_is_help=True
)

#: The suffix each format's file has; without --format, .csv is SDMX-CSV 2.0.
SUFFIXES = {SdmxFormat.csv1: ".csv", SdmxFormat.csv2: ".csv", SdmxFormat.ml: ".xml"}


def _format(out: Path, chosen: SdmxFormat | None) -> SdmxFormat:
    suffix = out.suffix.lower()
    if chosen is None:
        by_suffix = {".csv": SdmxFormat.csv2, ".xml": SdmxFormat.ml}
        if suffix not in by_suffix:
            raise UsageError(f"{out.name}: give a file name ending in .csv or .xml")
        return by_suffix[suffix]
    if suffix != SUFFIXES[chosen]:
        raise UsageError(
            f"{out.name} ends in {out.suffix or 'nothing'} but --format {chosen.value} writes "
            f"{SUFFIXES[chosen]}; name the file {out.stem}{SUFFIXES[chosen]}"
        )
    return chosen


def _check_codes(catalogue: Catalogue, series: list[str], area: list[str]) -> None:
    for code in series:
        catalogue.indicator(code)
    for code in area:
        if code not in catalogue.areas:
            raise UnknownCode("area", code, f"use one of {', '.join(catalogue.areas)}")


def _series_option() -> Any:
    return typer.Option(
        [],
        "--series",
        help="Series code (repeatable; default every series).",
        metavar="SERIES",
        callback=canonical,
    )


def _area_option() -> Any:
    return typer.Option(
        [],
        "--area",
        help="ISO3 code or aggregate (repeatable).",
        metavar="AREA",
        callback=canonical,
    )


@export_app.command("sdmx")
def export_sdmx(
    out: Path = typer.Option(..., "--out", help="File to write (.csv or .xml)."),
    series: list[str] = _series_option(),
    area: list[str] = _area_option(),
    year_from: int | None = year_option(None, "--from", help="First year."),
    year_to: int | None = year_option(None, "--to", help="Last year."),
    fmt: SdmxFormat | None = typer.Option(
        None, "--format", help="csv1 (SDMX-CSV 1.0), csv2 (SDMX-CSV 2.0) or ml (SDMX-ML 2.1)."
    ),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists."),
) -> None:
    """Write the current published values as an SDMX data message keyed to the SDG DSD
    (Lindung's own ASP_ series under Lindung's DSD, agency ASEAN)."""
    from lindung.exchange.sdmx_out import write_message
    from lindung.store import current_observations, transaction

    chosen = _format(out, fmt)
    catalogue = load_catalogue()
    _check_codes(catalogue, series, area)
    engine = open_store()
    with transaction(engine) as connection:
        rows = current_observations(
            connection,
            series=series or None,
            areas=area or None,
            year_from=year_from,
            year_to=year_to,
        )
    message = write_message(rows, catalogue, chosen)
    with output_files(out, force=force) as (staged,):
        staged.write_text(message, encoding="utf-8")
    console.print(f"Wrote {counted(len(rows), 'observation')} to {out} ({chosen.value}).")


import_app = typer.Typer(
    help="Import an agency's data (SDMX) or a national platform's (Open SDG).",
    no_args_is_help=True,
)


@import_app.command("sdmx")
def import_sdmx(
    file: Path = typer.Argument(..., help="SDMX-CSV 1.0/2.0 or SDMX-ML 2.1 data message."),
    source: str = typer.Option(
        "UNSD", "--source", help="Who published the file: UNSD, ILO, ...", callback=canonical
    ),
    actor: str | None = typer.Option(
        None, "--as", help="Which account logged in here imports (default: the active one)."
    ),
) -> None:
    """Store an agency's SDMX data as reference data, one draft submission per area, for the
    secretariat to review; report every series and code the framework cannot hold."""
    import hashlib

    from lindung.cli.output import labelled
    from lindung.cli.store_access import signed_in
    from lindung.exchange.sdmx_in import map_records, read_message
    from lindung.ingest.agency_import import store_agency_file
    from lindung.ingest.finding import Location
    from lindung.ingest.findings import Unmapped
    from lindung.ingest.reader import read_or_refuse
    from lindung.store import transaction

    if not source or not source.replace("-", "").replace("_", "").isalnum():
        raise UsageError("--source names the agency in letters and digits, e.g. UNSD or ILO")
    raw = read_or_refuse(file)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UsageError(f"cannot read {file}: {error}") from None
    catalogue = load_catalogue()
    mapped = map_records(read_message(text, file.name), catalogue, file.name)
    findings = [
        Unmapped(Location(file=file.name, column=column), column=column, code=code, count=count)
        for (column, code), count in sorted(mapped.unmapped.items())
    ]
    for finding in findings:
        console.print(labelled("warning:", "yellow", f"{file.name}: {finding.message()}"))
    if not mapped.rows:
        raise ValidationFailed(
            f"{file.name}: no observation maps to the framework; nothing was imported",
            findings,
        )
    engine = open_store()
    try:
        with transaction(engine) as connection:
            user = signed_in(connection, actor, "import an agency's data")
            done = store_agency_file(
                connection,
                rows=mapped.rows,
                file_name=file.name,
                file_hash=hashlib.sha256(raw).hexdigest(),
                source=f"{source} (SDMX)",
                framework_version=catalogue.version,
                actor=user["email"],
                locations=mapped.locations,
                columns=mapped.columns,
                catalogue=catalogue,
            )
    except ValidationFailed as refused:
        _print_findings(refused.findings)
        raise
    _print_findings(done.warnings)
    for area, submission_id in done.submissions.items():
        console.print(f"{area}: imported as submission {submission_id} (draft)")
    if done.already_imported:
        console.print(f"Already imported from this file: {', '.join(done.already_imported)}.")
    console.print(
        f"{counted(done.observations, 'observation')} stored as {source} reference data; "
        f"{counted(sum(mapped.unmapped.values()), 'observation')} not mapped."
    )


@export_app.command("xlsx")
def export_xlsx(
    out: Path = typer.Option(..., "--out", help="Workbook to write (.xlsx)."),
    series: list[str] = _series_option(),
    area: list[str] = _area_option(),
    force: bool = typer.Option(False, "--force", help="Replace the file if it exists."),
) -> None:
    """Write the current published values as a workbook: a README sheet, one sheet per
    indicator with values, standard errors, CIs, nature and notes."""
    from lindung.exchange.xlsx import write_workbook
    from lindung.store import current_observations, transaction

    if out.suffix.lower() != ".xlsx":
        raise UsageError(f"{out.name}: give a file name ending in .xlsx")
    catalogue = load_catalogue()
    _check_codes(catalogue, series, area)
    engine = open_store()
    with transaction(engine) as connection:
        rows = current_observations(connection, series=series or None, areas=area or None)
    with output_files(out, force=force) as (staged,):
        sheets = write_workbook(rows, catalogue, staged)
    console.print(
        f"Wrote {counted(len(rows), 'observation')} on {counted(sheets, 'indicator sheet')} "
        f"to {out}."
    )


@export_app.command("open-sdg")
def export_open_sdg(
    out: Path = typer.Option(..., "--out", help="Folder to write data/ and meta/ into."),
    lang: Language = typer.Option(Language.en, "--lang", help="Language of names: en or id."),
    series: list[str] = _series_option(),
    area: list[str] = _area_option(),
    force: bool = typer.Option(
        False, "--force", help="Replace the files the export writes if they exist."
    ),
) -> None:
    """Write the current published values as an Open SDG data folder: data/indicator_<id>.csv
    and meta/<id>.yml per indicator (ids as Open SDG writes them: 1-3-1; asp-cov)."""
    from lindung.exchange.opensdg import folder_files
    from lindung.store import current_observations, transaction

    catalogue = load_catalogue()
    _check_codes(catalogue, series, area)
    if out.exists() and not out.is_dir():
        raise UsageError(f"{out} is a file; give a folder (new, or an Open SDG data folder)")
    engine = open_store()
    with transaction(engine) as connection:
        rows = current_observations(connection, series=series or None, areas=area or None)
    files = folder_files(rows, catalogue, lang.value, series)
    targets = [out / name for name in files]
    taken = [target for target in targets if target.exists()]
    if taken and not force:
        raise UsageError(
            f"{taken[0]} exists ({counted(len(taken), 'file')} the export writes do); give "
            f"--force to replace them (other files in {out} are kept)"
        )
    for folder in {target.parent for target in targets}:
        folder.mkdir(parents=True, exist_ok=True)
    with output_files(*targets, force=force) as staged:
        for path, text in zip(staged, files.values(), strict=True):
            path.write_text(text, encoding="utf-8", newline="")
    data = sum(name.startswith("data/") for name in files)
    console.print(
        f"Wrote {counted(len(rows), 'observation')} in {counted(data, 'data file')} and "
        f"{counted(len(files) - data, 'metadata file')} to {out} ({lang.value})."
    )


@import_app.command("open-sdg")
def import_open_sdg(
    folder: Path = typer.Argument(..., help="Open SDG data folder (holding data/indicator_*.csv)."),
    area: str = typer.Option(
        ..., "--area", help="ISO3 code of the country the data are for.", callback=canonical
    ),
    actor: str | None = typer.Option(
        None, "--as", help="Which account logged in here imports (default: the active one)."
    ),
) -> None:
    """Import an Open SDG data folder as one draft submission of the country, checked as a
    template is; every column or value that does not map is a finding, and nothing is stored
    on any error."""
    from lindung.cli.store_access import signed_in
    from lindung.exchange.opensdg_in import read_folder
    from lindung.ingest.national_import import OPEN_SDG_KIND, import_observations
    from lindung.store import transaction
    from lindung.text import for_console

    if not folder.is_dir():
        raise UsageError(f"{folder} is not a folder; give the Open SDG data folder")
    catalogue = load_catalogue()
    catalogue.member_state(area)
    engine = open_store()
    with transaction(engine) as connection:
        email = signed_in(connection, actor, "import an Open SDG data folder")["email"]
    read = read_folder(folder, area, catalogue)
    name = folder.resolve().name
    try:
        done = import_observations(
            engine,
            observations=read.observations,
            locations=read.locations,
            findings=read.findings,
            file_name=name,
            file_hash=read.folder_hash,
            file_format="open-sdg",
            country=area,
            actor=email,
            kind=OPEN_SDG_KIND,
            source="Open SDG data",
            catalogue=catalogue,
            columns=read.columns,
        )
    except ValidationFailed as refused:
        _print_findings(refused.findings)
        raise
    _print_findings(done.report.warnings if done.report else [])
    what = "imported as" if done.created else "already imported as"
    submission = done.submission
    console.print(
        for_console(
            f"{name}: {what} submission {submission['id']} ({submission['status']}, "
            f"{area}, version {submission['version']}); "
            f"{counted(len(read.observations), 'observation')} from "
            f"{counted(len(read.files), 'data file')}",
            one_line=True,
        ),
        markup=False,
    )


def _print_findings(findings: Sequence[Finding]) -> None:
    """Print each finding (errors first) with where it is and its fix, up to the import's
    listing limit (``lindung settings``), then how many more there are."""
    from lindung import settings
    from lindung.cli.output import labelled
    from lindung.text import for_console

    ordered = sorted(findings, key=lambda finding: finding.severity != "error")
    limit = settings.IMPORT_MAX_FINDINGS.value()
    for finding in ordered[:limit]:
        where = finding.location
        place = where.describe()
        place = place if place == where.file else f"{where.file} {place}"
        code = getattr(finding, "rule_code", finding.code)
        text = f"{place}: {finding.message()} ({code}); fix: {finding.fix()}"
        style = "red" if finding.severity == "error" else "yellow"
        console.print(labelled(f"{finding.severity}:", style, for_console(text, one_line=True)))
    if len(ordered) > limit:
        console.print(f"... and {counted(len(ordered) - limit, 'more finding')}")
