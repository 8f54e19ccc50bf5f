"""Failed sign-ins: recorded one by one, counted over a recent window."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, func, select

from lindung.store.schema import sign_in_failures


def record_failure(connection: Connection, *, email: str, address: str) -> None:
    """Keep one failed sign-in: the address typed and where the attempt came from."""
    connection.execute(
        sign_in_failures.insert().values(
            at=datetime.now(UTC), email=email[:254], address=address[:64]
        )
    )


def recent_failures(
    connection: Connection, since: datetime, *, email: str | None = None, address: str | None = None
) -> tuple[int, datetime | None]:
    """Return how many failures since ``since`` for the account or the address, and the oldest."""
    query = select(func.count(), func.min(sign_in_failures.c.at)).where(
        sign_in_failures.c.at >= since
    )
    if email is not None:
        query = query.where(sign_in_failures.c.email == email)
    if address is not None:
        query = query.where(sign_in_failures.c.address == address)
    number, oldest = connection.execute(query).one()
    if oldest is not None and oldest.tzinfo is None:
        oldest = oldest.replace(tzinfo=UTC)
    return int(number), oldest
