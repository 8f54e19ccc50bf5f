"""``lindung user``: add, list, disable and enable users; list and revoke their tokens."""

from __future__ import annotations

from enum import StrEnum

import typer

from lindung.cli.auth import read_password
from lindung.cli.codes import canonical
from lindung.cli.output import Format, console, print_rows
from lindung.cli.store_access import current_user, open_store, signed_in

app = typer.Typer(help="Users, their roles and their tokens.", no_args_is_help=True)

AS_OPTION = typer.Option(
    None, "--as", help="Which account logged in here acts (default: the active one)."
)


class Role(StrEnum):
    """Roles a user can have."""

    admin = "admin"
    secretariat = "secretariat"
    focal_point = "focal_point"
    partner = "partner"


@app.command("add")
def add(
    email: str = typer.Argument(..., help="The user's email (their login)."),
    role: Role = typer.Option(..., "--role", help="admin, secretariat, focal_point or partner."),
    country: str | None = typer.Option(
        None,
        "--country",
        help="ISO3 code; a focal point's country (required for one).",
        callback=canonical,
    ),
    actor: str | None = AS_OPTION,
) -> None:
    """Add a user (a logged-in admin; the first user of an empty store needs no login)."""
    from lindung.ingest import register_user
    from lindung.ingest.accounts import require_admin
    from lindung.store import transaction
    from lindung.store.users import count_users

    engine = open_store()
    with transaction(engine) as connection:
        by = current_user(connection, actor)
        if by is not None or count_users(connection):
            require_admin(by, "add users")
    password = read_password(confirm=True)
    with transaction(engine) as connection:
        user = register_user(
            connection, email=email, role=role.value, password=password, country=country, by=by
        )
    where = f" for {user['country']}" if user["country"] else ""
    console.print(f"added {user['email']} ({user['role']}{where})")


@app.command("list")
def list_command(
    actor: str | None = AS_OPTION,
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
) -> None:
    """List users with their role and country (the secretariat or an admin)."""
    from lindung.ingest.accounts import require_reviewer
    from lindung.store import list_users, transaction

    engine = open_store()
    with transaction(engine) as connection:
        require_reviewer(signed_in(connection, actor, "list users"), "list users")
        rows = [dict(user) for user in list_users(connection)]
    print_rows(
        rows,
        fmt,
        title="Users",
        columns=["id", "email", "role", "country", "created_at", "disabled_at"],
    )


def _set_disabled(email: str, disabled: bool, actor: str | None) -> None:
    from lindung.ingest.accounts import require_admin
    from lindung.store import transaction
    from lindung.store.users import set_disabled

    engine = open_store()
    with transaction(engine) as connection:
        admin = require_admin(current_user(connection, actor), "disable or enable users")
        user = set_disabled(connection, email, disabled, actor=admin["email"])
    state = "disabled; their tokens are revoked" if disabled else "enabled; they log in again"
    console.print(f"{user['email']} is {state}")


@app.command("disable")
def disable(
    email: str = typer.Argument(..., help="The user to disable."),
    actor: str | None = AS_OPTION,
) -> None:
    """Disable a user (an admin): they can no longer log in, and their tokens stop working."""
    _set_disabled(email, True, actor)


@app.command("enable")
def enable(
    email: str = typer.Argument(..., help="The user to enable again."),
    actor: str | None = AS_OPTION,
) -> None:
    """Enable a disabled user again (an admin); they must log in anew."""
    _set_disabled(email, False, actor)


@app.command("tokens")
def tokens_command(
    email: str | None = typer.Option(
        None, "--user", help="Only this user's tokens (an admin sees everyone's)."
    ),
    actor: str | None = AS_OPTION,
    fmt: Format = typer.Option(Format.table, "--format", help="Output format."),
) -> None:
    """List tokens: your own, or (an admin) everyone's; never the secrets."""
    from lindung.errors import PermissionDenied
    from lindung.store import get_user, transaction
    from lindung.store.tokens import list_tokens

    engine = open_store()
    with transaction(engine) as connection:
        me = signed_in(connection, actor, "list tokens")
        owner = None if email is None else get_user(connection, email)["id"]
        if me["role"] != "admin":
            if owner not in (None, me["id"]):
                raise PermissionDenied(f"{me['email']} can list only their own tokens")
            owner = me["id"]
        rows = [dict(token) for token in list_tokens(connection, user_id=owner)]
    print_rows(
        rows,
        fmt,
        title="Tokens",
        columns=["id", "email", "label", "created_at", "expires_at", "revoked_at", "revoked_by"],
    )


@app.command("revoke")
def revoke_command(
    token_id: int = typer.Argument(..., help="Token id, from `lindung user tokens`."),
    actor: str | None = AS_OPTION,
) -> None:
    """Revoke a token: your own, or (an admin) anyone's."""
    from lindung.ingest.accounts import revoke
    from lindung.store import transaction

    engine = open_store()
    with transaction(engine) as connection:
        me = signed_in(connection, actor, "revoke a token")
        changed = revoke(connection, token_id, by=me)
    console.print(f"token {token_id} {'revoked' if changed else 'was already revoked'}")
