"""Users and their roles; passwords kept only as argon2id hashes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import VerificationError
from sqlalchemy import Connection, select

from lindung.errors import Conflict, NotFound, UsageError
from lindung.store import audit
from lindung.store.schema import users

ROLES: tuple[str, ...] = ("admin", "secretariat", "focal_point", "partner")

_hasher = PasswordHasher()


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


def get_user(connection: Connection, email: str) -> dict[str, Any]:
    """Return the user with this email (without the password hash); raise NotFound if none."""
    row = connection.execute(select(users).where(users.c.email == email)).mappings().first()
    if row is None:
        raise NotFound(f"no user {email!r}; add one with `lindung user add`")
    return {k: v for k, v in row.items() if k != "password_hash"}


def verify_password(connection: Connection, email: str, password: str) -> bool:
    """Return whether the password is the user's."""
    stored = connection.execute(
        select(users.c.password_hash).where(users.c.email == email)
    ).scalar_one_or_none()
    if stored is None:
        return False
    try:
        return _hasher.verify(stored, password)
    except VerificationError:
        return False


def list_users(connection: Connection) -> list[dict[str, Any]]:
    """Return every user (without password hashes), in order of creation."""
    query = select(users.c.id, users.c.email, users.c.role, users.c.country, users.c.created_at)
    return [dict(row) for row in connection.execute(query.order_by(users.c.id)).mappings()]
