"""``lindung login``, ``logout`` and ``whoami``: a personal token per store, as ``gh auth`` does."""

from __future__ import annotations

import socket
import sys

import typer

from lindung.cli.credentials import forget_login, logged_in, save_login, saved_login
from lindung.cli.output import console
from lindung.cli.store_access import current_user, open_store, store_key
from lindung.errors import Unauthenticated, UsageError


def read_password(*, confirm: bool) -> str:
    """Return a password typed at a hidden prompt, or the first line of stdin when piped."""
    if sys.stdin.isatty():
        return str(typer.prompt("Password", hide_input=True, confirmation_prompt=confirm))
    line = sys.stdin.readline()
    if not line.strip():
        raise UsageError("no password on stdin; pipe one line, or run in a terminal to be asked")
    return line.rstrip("\r\n")


def login(
    email: str = typer.Argument(..., help="Your e-mail, as an admin registered it."),
) -> None:
    """Log in to the current store: checks the password and saves a personal token here."""
    from lindung.ingest.accounts import note_failed_sign_in, sign_in, throttle
    from lindung.store import transaction

    engine = open_store()
    password = read_password(confirm=False)
    here = f"lindung CLI on {socket.gethostname()}"
    try:
        with transaction(engine) as connection:
            throttle(connection, email, here)
            user, token = sign_in(connection, email, password, label=here)
    except Unauthenticated:
        with transaction(engine) as connection:
            note_failed_sign_in(connection, email, here)
        raise
    save_login(store_key(), user["email"], token)
    where = f" for {user['country']}" if user["country"] else ""
    console.print(f"logged in as {user['email']} ({user['role']}{where})")


def logout(
    email: str | None = typer.Argument(
        None, help="The account to log out (default: the active one)."
    ),
) -> None:
    """Log out: revokes the saved token in the store and forgets it here."""
    from lindung.ingest.accounts import sign_out
    from lindung.store import transaction

    store = store_key()
    saved = saved_login(store, email)
    if saved is None:
        who = email or "anyone"
        raise Unauthenticated(f"{who} is not logged in to this store; nothing to log out")
    engine = open_store()
    with transaction(engine) as connection:
        sign_out(connection, saved[1])
    forget_login(store, saved[0])
    console.print(f"logged out {saved[0]}")


def whoami() -> None:
    """Print who is logged in to the current store (and the other accounts saved here)."""
    from lindung.store import transaction

    engine = open_store()
    with transaction(engine) as connection:
        user = current_user(connection)
    if user is None:
        raise Unauthenticated("nobody is logged in to this store; run `lindung login EMAIL`")
    where = f" for {user['country']}" if user["country"] else ""
    console.print(f"{user['email']} ({user['role']}{where})")
    others = [email for email in logged_in(store_key()) if email != user["email"]]
    if others:
        console.print(f"also logged in here: {', '.join(others)} (choose with --as)")
