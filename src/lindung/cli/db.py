"""``lindung db``: create and upgrade the store."""

from __future__ import annotations

import typer

from lindung.cli.output import console

app = typer.Typer(
    help="Create and upgrade the store (SQLite by default, or $LINDUNG_DATABASE_URL).",
    no_args_is_help=True,
)


def _upgrade(action: str) -> None:
    from lindung.store import describe_url, make_engine, translate_errors, upgrade

    engine = make_engine()
    with translate_errors(engine):
        revision = upgrade(engine)
    console.print(f"{action} {describe_url(str(engine.url))} (schema {revision})")
    engine.dispose()


@app.command("init")
def init() -> None:
    """Create the store if needed and bring it to the newest schema."""
    _upgrade("Store ready at")


@app.command("upgrade")
def upgrade_command() -> None:
    """Apply any pending schema migrations."""
    _upgrade("Upgraded")
