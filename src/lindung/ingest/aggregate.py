"""Storing regional aggregates: computed by the secretariat from published values, and
published by it, through the approval workflow like every figure a person produces.

``lindung assess`` computes the figures (``lindung.assess.aggregates``); this stores one
region's batch as a new ``store.AGGREGATE_KIND`` submission created and published by the
acting user, who must be the secretariat or an admin. A batch identical to what is already
current (same value and description per key) adds nothing, so running the same aggregate twice
stores it once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from lindung.ingest.accounts import acting_user, require_reviewer
from lindung.ingest.workflow import move
from lindung.store import (
    AGGREGATE_KIND,
    KEY,
    create_submission,
    current_observations,
    insert_observations,
)

#: Relative difference under which a recomputed aggregate is the value already stored.
SAME_VALUE = 1e-9


@dataclass(frozen=True)
class StoredAggregate:
    """What storing one region's batch did: the new submission (None if nothing changed), the
    values written and those already current unchanged."""

    submission_id: int | None
    written: int
    unchanged: int


def store_aggregate(
    connection: Connection,
    *,
    region: str,
    method: str,
    records: Sequence[Mapping[str, Any]],
    framework_version: str,
    actor: str,
) -> StoredAggregate:
    """Store and publish one region's aggregates as the user ``actor`` (email).

    Raise PermissionDenied unless ``actor`` is a secretariat or admin user. Each record is an
    observation (key, value, unit, source, comment describing how it was computed).
    """
    user = acting_user(connection, actor)
    require_reviewer(user, "store regional aggregates")
    stored = {
        _key(row): (row["value"], row["comment"])
        for row in current_observations(
            connection,
            series=sorted({str(r["series"]) for r in records}),
            areas=[region],
            kinds=[AGGREGATE_KIND],
        )
    }
    fresh = [r for r in records if _changed(r, stored.get(_key(r)))]
    if not fresh:
        return StoredAggregate(None, 0, len(records))
    digest = hashlib.sha256(json.dumps(fresh, sort_keys=True, default=str).encode()).hexdigest()
    submission_id = create_submission(
        connection,
        kind=AGGREGATE_KIND,
        ref_area=region,
        time_period=None,
        source=f"lindung assess aggregate ({method})",
        framework_version=framework_version,
        actor=actor,
        created_by=int(user["id"]),
        file_hash=digest,
        note=f"{method} of member-state values; inputs hashed into file_hash",
    )
    written = insert_observations(
        connection, submission_id, fresh, framework_version=framework_version
    )
    move(connection, submission_id, "publish", actor=actor)
    return StoredAggregate(submission_id, written, len(records) - len(fresh))


def _key(row: Mapping[str, Any]) -> tuple[Any, ...]:
    return tuple(row.get(name, "_T") for name in KEY)


def _changed(record: Mapping[str, Any], stored: tuple[Any, Any] | None) -> bool:
    if stored is None or stored[1] != record.get("comment"):
        return True
    value = float(record["value"])
    return abs(float(stored[0]) - value) > SAME_VALUE * abs(value)
