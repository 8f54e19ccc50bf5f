"""``lindung user``: add and list the users who submit, review and publish."""

from __future__ import annotations

import sys
from enum import StrEnum

import typer

from lindung.cli.output import Format, console, print_rows
from lindung.cli.store_access import open_store
from lindung.errors import PermissionDenied, UsageError

app = typer.Typer(help="Users and their roles.", no_args_is_help=True)


class Role(StrEnum):
    """Roles a user can have."""

    admin = "admin"
    secretariat = "secretariat"
    focal_point = "focal_point"
    partner = "partner"


def read_password() -> str:
    """Return a password typed at a hidden prompt, or the first line of stdin when piped."""
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True))
    line = sys.stdin.readline()
    if not line.strip():
        raise UsageError("no password on stdin; pipe one line, or run in a terminal to be asked")
    return line.rstrip("\r\n")


@app.command("add")
def add(
    email: str = typer.Argument(..., help="The user's email (their login)."),
    role: Role = typer.Option(..., "--role", help="admin, secretariat, focal_point or partner."),
    country: str | None = typer.Option(
        None, "--country", help="ISO3 code; a focal point's country (required for one)."
    ),
    actor: str | None = typer.Option(
        None, "--as", help="Email of the admin adding the user (local administration if left out)."
    ),
) -> None:
    """Add a user; the password is asked for (or read from stdin) and stored as argon2id."""
    from lindung.ingest import acting_user, register_user
    from lindung.store import transaction

    engine = open_store()
    with transaction(engine) as connection:
        if actor is not None and acting_user(connection, actor)["role"] != "admin":
            raise PermissionDenied(f"{actor} is not an admin; only an admin adds users")
    password = read_password()
    with transaction(engine) as connection:
        user = register_user(
            connection,
            email=email,
            role=role.value,
            password=password,
            country=country,
            actor=actor or "local-admin",
        )
    where = f" for {user['country']}" if user["country"] else ""
    console.print(f"added {user['email']} ({user['role']}{where})")


@app.command("list")
def list_command(
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
) -> None:
    """List users with their role and country."""
    from lindung.store import list_users, transaction

    engine = open_store()
    with transaction(engine) as connection:
        rows = list_users(connection)
    print_rows(rows, fmt, title="Users", columns=["id", "email", "role", "country", "created_at"])
