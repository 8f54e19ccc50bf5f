"""The append-only audit log: every write, who did it and when."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, select

from lindung.store.schema import audit_log


def record(
    connection: Connection,
    *,
    actor: str,
    action: str,
    entity: str,
    entity_id: int | None,
    detail: dict[str, Any] | None = None,
) -> None:
    """Append one entry to the audit log."""
    connection.execute(
        audit_log.insert().values(
            at=datetime.now(UTC),
            actor=actor,
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=json.dumps(detail, ensure_ascii=False, default=str) if detail else None,
        )
    )


def entries(
    connection: Connection, *, entity: str | None = None, entity_id: int | None = None
) -> list[dict[str, Any]]:
    """Return audit entries, oldest first, optionally for one entity."""
    query = select(audit_log).order_by(audit_log.c.id)
    if entity is not None:
        query = query.where(audit_log.c.entity == entity)
    if entity_id is not None:
        query = query.where(audit_log.c.entity_id == entity_id)
    rows = []
    for row in connection.execute(query).mappings():
        entry = dict(row)
        entry["detail"] = json.loads(entry["detail"]) if entry["detail"] else {}
        rows.append(entry)
    return rows
