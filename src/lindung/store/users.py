"""Users and their roles; passwords kept only as argon2id hashes.

E-mail addresses are stored in lower case and looked up in lower case, so ``FOCAL@x`` and
``focal@x`` are one account. Which addresses are acceptable at all is the accounts module's
rule (``lindung.ingest.accounts.canonical_email``); this module only stores.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TypedDict, cast

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import Connection, RowMapping, func, select

from lindung.errors import Conflict, NotFound, UsageError
from lindung.store import audit
from lindung.store.schema import tokens, users

ROLES: tuple[str, ...] = ("admin", "secretariat", "focal_point", "partner")

_hasher = PasswordHasher()


class User(TypedDict):
    """A user as the layers above the store see one: never with the password hash."""

    id: int
    email: str
    role: str
    country: str | None
    created_at: datetime
    disabled_at: datetime | None


_PUBLIC = (
    users.c.id,
    users.c.email,
    users.c.role,
    users.c.country,
    users.c.created_at,
    users.c.disabled_at,
)


def add_user(
    connection: Connection,
    *,
    email: str,
    role: str,
    password: str,
    country: str | None = None,
    actor: str = "system",
) -> int:
    """Create a user; return its id. A focal point needs exactly one country."""
    email = email.lower()
    if role not in ROLES:
        raise UsageError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if (role == "focal_point") != (country is not None):
        raise UsageError("a focal_point needs --country ISO3, and only a focal_point has one")
    if connection.execute(select(users.c.id).where(users.c.email == email)).first():
        raise Conflict(f"a user {email!r} already exists")
    user_id = int(
        connection.execute(
            users.insert()
            .values(
                email=email,
                role=role,
                country=country,
                password_hash=_hasher.hash(password),
                created_at=datetime.now(UTC),
            )
            .returning(users.c.id)
        ).scalar_one()
    )
    audit.record(
        connection,
        actor=actor,
        action="create",
        entity="user",
        entity_id=user_id,
        detail={"email": email, "role": role, "country": country},
    )
    return user_id


def get_user(connection: Connection, email: str) -> User:
    """Return the user with this e-mail (any case); raise NotFound if there is none."""
    row = connection.execute(select(*_PUBLIC).where(users.c.email == email.lower())).first()
    if row is None:
        raise NotFound(f"no user {email!r}; add one with `lindung user add`")
    return _user(row._mapping)


def get_user_by_id(connection: Connection, user_id: int) -> User:
    """Return the user with this id; raise NotFound if there is none."""
    row = connection.execute(select(*_PUBLIC).where(users.c.id == user_id)).first()
    if row is None:
        raise NotFound(f"no user with id {user_id}")
    return _user(row._mapping)


def _user(row: RowMapping) -> User:
    return cast(User, dict(row))


def verify_password(connection: Connection, email: str, password: str) -> bool:
    """Return whether the password is the user's (False for an unknown user)."""
    stored = connection.execute(
        select(users.c.password_hash).where(users.c.email == email.lower())
    ).scalar_one_or_none()
    if stored is None:
        # Hash anyway, so that an unknown address takes as long to refuse as a wrong password.
        _hasher.hash(password)
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return False


def count_users(connection: Connection) -> int:
    """Return how many users the store has (disabled ones included)."""
    return int(connection.execute(select(func.count()).select_from(users)).scalar_one())


def set_disabled(connection: Connection, email: str, disabled: bool, *, actor: str) -> User:
    """Disable a user (their tokens stop working) or enable them again; return the user."""
    user = get_user(connection, email)
    now = datetime.now(UTC)
    connection.execute(
        users.update().where(users.c.id == user["id"]).values(disabled_at=now if disabled else None)
    )
    if disabled:
        # A disabled user's tokens are revoked too, so enabling the user again does not
        # bring back a token that may have leaked meanwhile.
        connection.execute(
            tokens.update()
            .where(tokens.c.user_id == user["id"], tokens.c.revoked_at.is_(None))
            .values(revoked_at=now, revoked_by=actor)
        )
    audit.record(
        connection,
        actor=actor,
        action="disable" if disabled else "enable",
        entity="user",
        entity_id=user["id"],
        detail={"email": user["email"]},
    )
    return get_user(connection, email)


def list_users(connection: Connection) -> list[User]:
    """Return every user (without password hashes), in order of creation."""
    query = select(*_PUBLIC).order_by(users.c.id)
    return [_user(row._mapping) for row in connection.execute(query)]
