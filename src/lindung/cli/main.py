"""The ``lindung`` command: one Typer group per module, errors printed as one line."""

from __future__ import annotations

import sys

import click
import typer

from lindung.errors import LindungError

app = typer.Typer(
    name="lindung",
    help="Lindung: the ASEAN Social Protection Monitoring Framework.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def main() -> None:
    """Run the CLI; a LindungError becomes a one-line message and exit code 1."""
    try:
        result = app(standalone_mode=False)
    except LindungError as error:
        print(f"Error: {error}", file=sys.stderr)
        sys.exit(1)
    except click.exceptions.Exit as done:
        sys.exit(done.exit_code)
    except click.ClickException as error:
        error.show()
        sys.exit(error.exit_code)
    except click.exceptions.Abort:
        print("Aborted.", file=sys.stderr)
        sys.exit(1)
    sys.exit(result if isinstance(result, int) else 0)
