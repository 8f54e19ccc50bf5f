"""``lindung framework``: list, show and validate the indicator catalogue."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.table import Table

from lindung.cli.codes import canonical
from lindung.cli.output import Format, console, print_rows
from lindung.errors import CatalogueInvalid
from lindung.framework import Indicator, load_catalogue
from lindung.text import counted, json_for_console, shown_number

app = typer.Typer(help="The indicator catalogue: list, show and validate it.", no_args_is_help=True)

LIST_COLUMNS = (
    "code",
    "name",
    "unit",
    "pillar",
    "computation",
    "sdg_indicator",
    "tier",
    "custodian",
)


@app.command("list")
def list_indicators(
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table, json or csv."),
    pillar: str | None = typer.Option(None, help="Only the indicators of this pillar."),
) -> None:
    """List the indicators of the shipped catalogue."""
    catalogue = load_catalogue()
    indicators = catalogue.indicators
    if pillar is not None:
        catalogue.pillar(pillar)
        indicators = [indicator for indicator in indicators if indicator.pillar == pillar]
    title = f"Lindung indicator catalogue {catalogue.version}"
    print_rows([i.summary() for i in indicators], fmt, title=title, columns=LIST_COLUMNS)


def _detail_rows(indicator: Indicator) -> list[tuple[str, str]]:
    computation = indicator.computation
    if computation.method == "formula":
        how = f"formula: {shown_number(computation.multiplier or 1)} × {computation.numerator} / "
        how += f"{computation.denominator}"
    elif computation.method == "survey":
        how = f"survey estimator: {computation.estimator}"
    elif computation.method == "registry":
        how = f"registry count: {computation.estimator}"
    else:
        how = "reported as submitted"
    sdg = indicator.sdg
    rows = [
        ("name (en)", indicator.name.en),
        ("name (id)", indicator.name.id),
        ("definition (en)", indicator.definition.en),
        ("definition (id)", indicator.definition.id),
        ("unit", indicator.unit),
        ("polarity", indicator.polarity),
        ("pillar", indicator.pillar),
        ("computation", how),
        ("SDG", f"{sdg.indicator} series {sdg.series or '-'}, Tier {sdg.tier}" if sdg else "-"),
        ("custodian", indicator.custodian),
        ("disaggregations", ", ".join(indicator.disaggregations) or "-"),
        ("groups", ", ".join(indicator.groups) or "-"),
        ("life dimension", indicator.life_dimension or "-"),
    ]
    for entry in indicator.crosswalk:
        rows.append((f"crosswalk: {entry.agency}", f"{entry.code} ({entry.note.en})"))
        rows.append((f"crosswalk: {entry.agency} (id)", entry.note.id))
    if indicator.target is not None:
        target = indicator.target
        value = "-" if target.value is None else f"{shown_number(target.value)}"
        rows.append(("target", f"{value} by {target.year} from {target.baseline_year}"))
        rows.append(("target note", target.note.en))
    rows.append(("source", indicator.source))
    return rows


@app.command("show")
def show(
    code: str = typer.Argument(..., help="Series code, e.g. SI_COV_BENFTS.", callback=canonical),
    fmt: Format = typer.Option(Format.table, "--format", "-f", help="table or json."),
) -> None:
    """Show everything the catalogue says about one indicator."""
    indicator = load_catalogue().indicator(code)
    if fmt is not Format.table:
        print(json_for_console(json.dumps(indicator.model_dump(), ensure_ascii=False, indent=2)))
        return
    table = Table(title=indicator.code, show_header=False)
    table.add_column("field", style="bold")
    table.add_column("value")
    for label, value in _detail_rows(indicator):
        table.add_row(label, value)
    console.print(table)


@app.command("validate")
def validate(
    path: Path = typer.Argument(..., help="A catalogue YAML file or a directory of them."),
) -> None:
    """Check a custom catalogue; print every problem with its file, entry and field."""
    try:
        catalogue = load_catalogue(path.resolve())
    except CatalogueInvalid as invalid:
        table = Table(title=f"{counted(len(invalid.problems), 'problem')} in {path}")
        for column in ("file", "entry", "field", "problem"):
            table.add_column(column)
        for problem in invalid.problems:
            parts = problem.split(": ", 3)
            table.add_row(*(parts + [""] * (4 - len(parts))))
        console.print(table)
        raise typer.Exit(invalid.exit_status) from None
    print(f"valid: {counted(len(catalogue.indicators), 'indicator')}, version {catalogue.version}")
