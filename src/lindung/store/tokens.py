"""Personal access tokens: issued at login, kept only as a SHA-256, expiring, revocable.

A token is 32 random bytes (``secrets.token_urlsafe``), so a plain SHA-256 of it is enough to
keep it safe at rest: unlike a password it cannot be guessed, so no slow hash is needed, and a
lookup by hash stays one indexed query.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import TypedDict, cast

from sqlalchemy import Connection, RowMapping, select

from lindung.errors import NotFound
from lindung.store import audit
from lindung.store.schema import tokens, users

#: What every token starts with, so a leaked one is recognisable (as GitHub's ``ghp_``).
PREFIX = "lnd_"


class Token(TypedDict):
    """A stored token, as listed to its owner or an admin (never the secret)."""

    id: int
    user_id: int
    email: str
    label: str
    created_at: datetime
    expires_at: datetime
    revoked_at: datetime | None
    revoked_by: str | None


def token_hash(secret: str) -> str:
    """Return the hex SHA-256 under which a token is stored."""
    return hashlib.sha256(secret.encode("utf-8")).hexdigest()


def issue_token(
    connection: Connection, user_id: int, *, label: str, lifetime: timedelta, actor: str
) -> tuple[int, str]:
    """Create a token for the user; return its id and the secret (shown once, never stored)."""
    secret = PREFIX + secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    token_id = int(
        connection.execute(
            tokens.insert()
            .values(
                user_id=user_id,
                token_hash=token_hash(secret),
                label=label[:100],
                created_at=now,
                expires_at=now + lifetime,
            )
            .returning(tokens.c.id)
        ).scalar_one()
    )
    audit.record(
        connection,
        actor=actor,
        action="token:issue",
        entity="token",
        entity_id=token_id,
        detail={"user_id": user_id, "label": label[:100], "expires_at": now + lifetime},
    )
    return token_id, secret


_COLUMNS = (
    tokens.c.id,
    tokens.c.user_id,
    users.c.email,
    tokens.c.label,
    tokens.c.created_at,
    tokens.c.expires_at,
    tokens.c.revoked_at,
    tokens.c.revoked_by,
)


def _token(row: RowMapping) -> Token:
    record = dict(row)
    for moment in ("created_at", "expires_at", "revoked_at"):
        # SQLite gives back naive datetimes for timezone-aware columns; they were stored as UTC.
        value = record[moment]
        if isinstance(value, datetime) and value.tzinfo is None:
            record[moment] = value.replace(tzinfo=UTC)
    return cast(Token, record)


def find_token(connection: Connection, secret: str) -> Token | None:
    """Return the stored token with this secret, valid or not; None if there is none."""
    query = (
        select(*_COLUMNS)
        .join(users, users.c.id == tokens.c.user_id)
        .where(tokens.c.token_hash == token_hash(secret))
    )
    row = connection.execute(query).first()
    return _token(row._mapping) if row else None


def list_tokens(connection: Connection, *, user_id: int | None = None) -> list[Token]:
    """Return tokens, oldest first, of one user or of everyone."""
    query = select(*_COLUMNS).join(users, users.c.id == tokens.c.user_id).order_by(tokens.c.id)
    if user_id is not None:
        query = query.where(tokens.c.user_id == user_id)
    return [_token(row._mapping) for row in connection.execute(query)]


def get_token(connection: Connection, token_id: int) -> Token:
    """Return one token by id; raise NotFound if there is none."""
    query = select(*_COLUMNS).join(users, users.c.id == tokens.c.user_id)
    row = connection.execute(query.where(tokens.c.id == token_id)).first()
    if row is None:
        raise NotFound(f"no token with id {token_id}; `lindung user tokens` lists them")
    return _token(row._mapping)


def revoke_token(connection: Connection, token_id: int, *, actor: str) -> bool:
    """Revoke a token; return False if it was already revoked (nothing changes then)."""
    revoked = connection.execute(
        tokens.update()
        .where(tokens.c.id == token_id, tokens.c.revoked_at.is_(None))
        .values(revoked_at=datetime.now(UTC), revoked_by=actor)
    ).rowcount
    if revoked:
        audit.record(
            connection, actor=actor, action="token:revoke", entity="token", entity_id=token_id
        )
    return bool(revoked)
