"""The append-only audit log: every write, who did it and when."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import TypedDict, cast

from sqlalchemy import Connection, select

from lindung.jsontypes import JSONObject
from lindung.store.schema import audit_log


class AuditEntry(TypedDict):
    """One entry of the audit log, its detail decoded (empty when none was written)."""

    id: int
    at: datetime
    actor: str
    action: str
    entity: str
    entity_id: int | None
    detail: JSONObject


def record(
    connection: Connection,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: JSONObject | None = None,
) -> int:
    """Append one entry to the audit log; return its id."""
    return int(
        connection.execute(
            audit_log.insert()
            .values(
                at=datetime.now(UTC),
                actor=actor,
                action=action,
                entity=entity,
                entity_id=entity_id,
                detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
            )
            .returning(audit_log.c.id)
        ).scalar_one()
    )


def entries(
    connection: Connection, *, entity: str | None = None, entity_id: int | None = None
) -> list[AuditEntry]:
    """Return audit entries, oldest first, optionally for one entity."""
    query = select(audit_log).order_by(audit_log.c.id)
    if entity is not None:
        query = query.where(audit_log.c.entity == entity)
    if entity_id is not None:
        query = query.where(audit_log.c.entity_id == entity_id)
    return [
        cast(AuditEntry, {**row, "detail": json.loads(row["detail"]) if row["detail"] else {}})
        for row in connection.execute(query).mappings()
    ]
