"""Observations: one number each, never updated in place.

The current value of a key (series, ref_area, time_period and the disaggregation dimensions)
is decided here and nowhere else, by ``current_observations``: among the observations of that
key in published submissions, the one whose submission was published last. Ties (two
submissions published at the same instant) go to the higher submission id, then to the
higher observation id. A returned submission's values are never current. Asked to include
values not yet published (a reviewer's preview), a draft, submitted or validated submission
counts as if published now: it ranks above every published one, and among themselves the
higher submission id wins. Every earlier value stays queryable with ``history``.

A submission holds at most one value per key (a unique index says so, migration 0004): a
second value for a key, in one batch or across calls, is refused with the row and key named.
"""

from __future__ import annotations

import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from typing import Any, Literal, cast

from sqlalchemy import Connection, Engine, Result, Select, func, select, tuple_
from sqlalchemy.exc import IntegrityError

from lindung.errors import Conflict, UsageError, ValidationFailed
from lindung.keys import DIMENSIONS, KEY, Key
from lindung.store.schema import observations, submissions

VALUE_FIELDS: tuple[str, ...] = (
    "value",
    "unit",
    "se",
    "ci_low",
    "ci_high",
    "nature",
    "obs_status",
    "source",
    "comment",
)


class StoredObservation(Key):
    """One stored observation with the state of the submission it came in."""

    id: int
    submission_id: int
    value: float
    unit: str
    se: float | None
    ci_low: float | None
    ci_high: float | None
    nature: str | None
    obs_status: str | None
    source: str | None
    comment: str | None
    framework_version: str
    submission_status: str
    submission_kind: str
    published_at: datetime | None


def _stored(result: Result[Any]) -> list[StoredObservation]:
    """Return a result's rows as dicts: one zip per row over the names read once (a RowMapping
    per row would rebuild its keys each time, the larger part of reading a large page)."""
    names = tuple(result.keys())
    return [cast(StoredObservation, dict(zip(names, row, strict=True))) for row in result.all()]


def insert_observations(
    connection: Connection,
    submission_id: int,
    rows: Iterable[Mapping[str, Any]],
    *,
    framework_version: str,
) -> int:
    """Append observations to a submission; return how many were written.

    Each row needs ``series``, ``ref_area``, ``time_period``, ``value`` and ``unit``;
    dimensions left out are totals (``_T``). A malformed row, or a second value for a key the
    submission already holds (in this batch or an earlier call), raises ValidationFailed
    naming the row and the key; nothing of the batch is written.
    """
    records = [
        _record(row, submission_id, framework_version, index) for index, row in enumerate(rows)
    ]
    seen: dict[tuple[Any, ...], str] = {
        tuple(getattr(row, name) for name in KEY): "already in the submission"
        for row in connection.execute(
            select(*(observations.c[name] for name in KEY)).where(
                observations.c.submission_id == submission_id
            )
        )
    }
    for index, record in enumerate(records):
        key = tuple(record[name] for name in KEY)
        if key in seen:
            named = ", ".join(f"{n}={v}" for n, v in zip(KEY, key, strict=True) if v != "_T")
            raise ValidationFailed(
                f"observation {index + 1} holds {named}, {seen[key]}; a submission holds one "
                "value per key: remove the duplicate row or correct its dimensions"
            )
        seen[key] = f"as observation {index + 1} does"
    if records:
        try:
            connection.execute(observations.insert(), records)
        except IntegrityError as error:
            # Another process added a value for one of these keys since the check above.
            raise Conflict(
                f"submission {submission_id} already holds a value for one of these keys "
                "(written by another process just now); re-read the submission and try again"
            ) from error
    return len(records)


def _year(period: Any) -> int | None:
    """Return a period given as a whole number (an int, 2019.0 or "2019"), else None."""
    if isinstance(period, str):
        return int(period) if period.strip().isdigit() else None
    try:
        number = float(period)
    except (TypeError, ValueError):
        return None
    return int(number) if number.is_integer() and not isinstance(period, bool) else None


def _blank(cell: Any) -> bool:
    return cell is None or (isinstance(cell, str) and not cell.strip())


_REQUIRED = ("series", "ref_area", "time_period", "value", "unit")


def _record(
    row: Mapping[str, Any], submission_id: int, framework_version: str, index: int
) -> dict[str, object]:
    where = f"observation {index + 1}"
    missing = [name for name in _REQUIRED if _blank(row.get(name))]
    if missing:
        raise ValidationFailed(f"{where} lacks {', '.join(missing)}; fill in every one of them")
    try:
        value = float(row["value"])
    except (TypeError, ValueError):
        value = math.nan
    if not math.isfinite(value):
        raise ValidationFailed(
            f"{where} ({row['series']}, {row['ref_area']}) has value {row['value']!r}, not a "
            "finite number; give the value as a number"
        )
    period = _year(row["time_period"])
    if period is None:
        raise ValidationFailed(
            f"{where} ({row['series']}, {row['ref_area']}) has time_period "
            f"{row['time_period']!r}; give "
            "the year as a whole number, e.g. 2019"
        )
    record: dict[str, object] = {
        "submission_id": submission_id,
        "framework_version": framework_version,
        "series": str(row["series"]),
        "ref_area": str(row["ref_area"]),
        "time_period": period,
        "value": value,
    }
    for name in DIMENSIONS:
        record[name] = str(row.get(name) or "_T")
    for name in VALUE_FIELDS[1:]:
        record[name] = row.get(name)
    return record


#: The order that makes a value current, most current first: the latest publication (not yet
#: published counts as now, which only a reviewer's preview looks at), then the higher
#: submission id, then the higher observation id.
RECENCY = (
    submissions.c.published_at.desc().nulls_first(),
    observations.c.submission_id.desc(),
    observations.c.id.desc(),
)


def _base_query(scope: Literal["published", "not_returned", "all"]) -> Select[Any]:
    query = select(
        observations,
        submissions.c.status.label("submission_status"),
        submissions.c.kind.label("submission_kind"),
        submissions.c.published_at,
    ).join(submissions, submissions.c.id == observations.c.submission_id)
    if scope == "published":
        return query.where(submissions.c.status == "published")
    if scope == "not_returned":
        # A returned submission was sent back for correction: its values are never current.
        return query.where(submissions.c.status != "returned")
    return query


def _filtered(
    query: Select[Any],
    series: Sequence[str] | None,
    areas: Sequence[str] | None,
    year_from: int | None,
    year_to: int | None,
    totals_only: bool,
    dimensions: Mapping[str, Sequence[str]] | None = None,
    after: Sequence[Any] | None = None,
) -> Select[Any]:
    # None is "every series (area, kind)"; an empty list is "none": a filter left empty by
    # mistake must not turn into reading the whole store.
    if series is not None:
        query = query.where(observations.c.series.in_(list(series)))
    if areas is not None:
        query = query.where(observations.c.ref_area.in_(list(areas)))
    if year_from is not None:
        query = query.where(observations.c.time_period >= year_from)
    if year_to is not None:
        query = query.where(observations.c.time_period <= year_to)
    if totals_only:
        for name in DIMENSIONS:
            query = query.where(observations.c[name] == "_T")
    for name, codes in (dimensions or {}).items():
        if name not in DIMENSIONS:
            raise UsageError(f"{name!r} is not a dimension; the dimensions are {DIMENSIONS}")
        query = query.where(observations.c[name].in_(list(codes)))
    if after is not None:
        # Keys after the one given, in key order (a page's cursor). The rule of the current
        # value ranks versions within one key, so leaving out whole keys does not change it.
        query = query.where(tuple_(*[observations.c[name] for name in KEY]) > tuple_(*after))
    return query


def current_observations(
    connection: Connection,
    *,
    series: Sequence[str] | None = None,
    areas: Sequence[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    totals_only: bool = False,
    include_unpublished: bool = False,
    kinds: Sequence[str] | None = None,
    dimensions: Mapping[str, Sequence[str]] | None = None,
    after: Sequence[Any] | None = None,
    limit: int | None = None,
) -> list[StoredObservation]:
    """Return the current value of every matching key, ordered by series, area, year, key.

    Current is the rule of this module's docstring. ``series``, ``areas`` and ``kinds`` left
    as None do not filter; an empty list matches nothing. ``kinds`` limits the submissions looked
    at (e.g. only the countries' own, or only reference data) before the rule picks one.
    ``dimensions`` keeps the keys whose dimension holds one of the codes given (``{"sex":
    ["F"]}``); ``after`` (a whole key, in ``KEY`` order) and ``limit`` read one page.
    """
    query = _filtered(
        _base_query("not_returned" if include_unpublished else "published"),
        series,
        areas,
        year_from,
        year_to,
        totals_only,
        dimensions,
        after,
    )
    if kinds is not None:
        query = query.where(submissions.c.kind.in_(list(kinds)))
    if limit is not None:
        # A page: first its keys, in key order from the cursor (a walk along the key index that
        # stops after ``limit`` keys), then the rule over the versions of those keys alone. The
        # rule ranked over every key after the cursor would sort them all before the limit.
        key = [observations.c[name] for name in KEY]
        page = connection.execute(
            query.with_only_columns(*key).distinct().order_by(*key).limit(limit)
        ).all()
        if not page:
            return []
        query = query.where(tuple_(*key) >= tuple_(*page[0]), tuple_(*key) <= tuple_(*page[-1]))
    ranked = query.add_columns(
        func.row_number()
        .over(partition_by=[observations.c[name] for name in KEY], order_by=RECENCY)
        .label("recency")
    ).subquery()
    latest = (
        select(*[c for c in ranked.c if c.name != "recency"])
        .where(ranked.c.recency == 1)
        .order_by(*[ranked.c[name] for name in KEY])
        .limit(limit)
    )
    return _stored(connection.execute(latest))


def history(
    connection: Connection,
    *,
    series: Sequence[str] | None = None,
    areas: Sequence[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
    totals_only: bool = False,
    dimensions: Mapping[str, Sequence[str]] | None = None,
) -> list[StoredObservation]:
    """Return every stored value of the matching keys, of every submission, oldest first."""
    query = _filtered(
        _base_query("all"), series, areas, year_from, year_to, totals_only, dimensions
    )
    query = query.order_by(*[observations.c[name] for name in KEY], observations.c.id)
    return _stored(connection.execute(query))


def submission_observations(connection: Connection, submission_id: int) -> list[StoredObservation]:
    """Return the observations a submission brought, in key order."""
    query = (
        _base_query("all")
        .where(observations.c.submission_id == submission_id)
        .order_by(*[observations.c[name] for name in KEY])
    )
    return _stored(connection.execute(query))


def count(connection: Connection) -> int:
    """Return how many observations the store holds, of every submission."""
    return int(connection.execute(select(func.count()).select_from(observations)).scalar_one())


Stamp = tuple[int, datetime | None, int]

_PUBLISHED = submissions.c.status == "published"
#: Built once: building the statement cost twice as much CPU as running it.
_STAMP = select(
    select(func.count()).select_from(submissions).where(_PUBLISHED).scalar_subquery(),
    select(func.max(submissions.c.published_at)).where(_PUBLISHED).scalar_subquery(),
    select(func.max(observations.c.id)).scalar_subquery(),
)


def publication_stamp(connection: Connection) -> Stamp:
    """Return what moves whenever a published value may change: the number of published
    submissions, the latest publication and the highest observation id. Published is a
    submission's last status and nothing is deleted or updated in place, so the published set
    only grows: equal stamps are equal published values (a cache of published reads is good
    while its stamp is; the moment tells apart two stores rebuilt with as many rows)."""
    row = connection.execute(_STAMP).one()
    return int(row[0]), row[1], int(row[2] or 0)


class PublicationStamps:
    """Reads ``publication_stamp`` on a connection of its own, in autocommit mode: one round
    trip a read, with no pool checkout and no BEGIN or ROLLBACK (a third of the CPU of a read
    through the pool). Each read is its own statement, so it sees every publication committed
    before it. Thread-safe; a failed read closes the connection and raises, and the next read
    opens a new one. ``close`` when done (the application does at shutdown)."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._connection: Connection | None = None
        self._lock = threading.Lock()

    def read(self) -> Stamp:
        """Return the store's publication stamp now."""
        with self._lock:
            try:
                if self._connection is None:
                    self._connection = self.engine.connect().execution_options(
                        isolation_level="AUTOCOMMIT"
                    )
                return publication_stamp(self._connection)
            except BaseException:
                self._close(broken=True)
                raise

    def close(self) -> None:
        """Close the connection (a later read opens another)."""
        with self._lock:
            self._close(broken=False)

    def _close(self, *, broken: bool) -> None:
        connection, self._connection = self._connection, None
        if connection is None:
            return
        try:
            if broken:  # not back to the pool: the store gets a new connection
                connection.invalidate()
            connection.close()
        except Exception:
            pass
