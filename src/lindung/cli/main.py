"""The ``lindung`` command: one Typer group per module, errors printed as one line."""

from __future__ import annotations

import sys

import typer

from lindung.cli import (
    assess,
    countries,
    data,
    db,
    demo,
    framework,
    submission,
    survey,
    template,
    user,
)
from lindung.errors import LindungError

app = typer.Typer(
    name="lindung",
    help="Lindung: the ASEAN Social Protection Monitoring Framework.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.add_typer(db.app, name="db")
app.add_typer(data.app, name="data")
app.command("demo")(demo.demo)
app.add_typer(framework.app, name="framework")
app.command("countries")(countries.countries)
app.add_typer(assess.app, name="assess")
app.add_typer(template.app, name="template")
app.add_typer(submission.app, name="submission")
app.add_typer(user.app, name="user")
app.add_typer(survey.app, name="survey")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; a LindungError becomes one line on stderr and exit code 1."""
    try:
        app(args=argv, prog_name="lindung")
    except LindungError as error:
        print(f"Error: {error}", file=sys.stderr)
        sys.exit(1)
