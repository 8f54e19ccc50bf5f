"""What every API route shares: answers with an ETag, JSON or CSV, and the documented refusals.

Every read answers through ``answer``: the body's strong ETag (a SHA-256 of its bytes), so a
client that sends it back in ``If-None-Match`` gets 304 and no body, and a Cache-Control that
lets shared caches keep what anyone may read for a minute and keeps what depends on who asks
private. ``refusals`` builds the ``responses=`` of a route from the error classes it can
raise, so the schema documents every 4xx and 5xx with the one error body of
``web.failures``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from datetime import datetime
from enum import StrEnum
from typing import Any, TypeVar, cast

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import Response

from lindung.errors import (
    LindungError,
    SettingInvalid,
    StoreError,
    Unauthenticated,
    UsageError,
)
from lindung.framework import load_catalogue
from lindung.i18n.labels import explanation
from lindung.jsontypes import JSONObject
from lindung.text import csv_text, timestamp
from lindung.web import locale

#: How long a shared cache may keep an answer anyone may read, in seconds.
PUBLIC_MAX_AGE = 60
#: The header that names the framework version the answer was made under.
VERSION_HEADER = "Lindung-Framework-Version"
CSV_TYPE = "text/csv; charset=utf-8"


class Format(StrEnum):
    """How a list is answered: JSON (the default) or CSV."""

    json = "json"
    csv = "csv"


class ErrorDetail(BaseModel):
    """What was refused: the error's stable code (``docs/errors.md``), what exactly and what to
    do (``message``, English), and what the code means in the request's language
    (``explanation``: Bahasa Indonesia for ``lang=id`` or ``Accept-Language: id``)."""

    code: str
    message: str
    explanation: str


class ErrorBody(BaseModel):
    """The body of every refusal of the API."""

    error: ErrorDetail


#: Every route can refuse these: a bad parameter, an unknown bearer token, a store that cannot
#: be reached, a server misconfigured.
ALWAYS: tuple[type[LindungError], ...] = (UsageError, Unauthenticated, StoreError, SettingInvalid)


def refusals(*kinds: type[LindungError]) -> dict[int | str, JSONObject]:
    """Return the ``responses=`` of a route that may raise ``kinds`` (and what every route may):
    one entry per HTTP status, naming each error code and when it is answered."""
    by_status: dict[int, list[type[LindungError]]] = {}
    for kind in (*ALWAYS, *kinds):
        if kind not in by_status.setdefault(kind.http_status, []):
            by_status[kind.http_status].append(kind)
    documented: dict[int | str, JSONObject] = {}
    for status, classes in sorted(by_status.items()):
        lines = [f"`{kind.code}`: {_first_line(kind)}" for kind in classes]
        if status == 500:
            lines.append("`internal`: the server failed; the failure is logged.")
        example = {
            "error": {
                "code": classes[0].code,
                "message": _first_line(classes[0]),
                "explanation": explanation(classes[0].code, "en"),
            }
        }
        documented[status] = {
            "model": ErrorBody,
            "description": " ".join(lines),
            "content": {"application/json": {"example": example}},
        }
    return documented


def _first_line(kind: type[LindungError]) -> str:
    return (kind.__doc__ or kind.__name__).strip().splitlines()[0]


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return timestamp(value)
    raise TypeError(f"{type(value).__name__} is not JSON")


def json_bytes(payload: Any) -> bytes:
    """Return ``payload`` as compact UTF-8 JSON (moments in ISO 8601 UTC)."""
    return json.dumps(
        payload, ensure_ascii=False, separators=(",", ":"), default=_json_default
    ).encode("utf-8")


def wants_csv(request: Request, fmt: Format | None) -> bool:
    """Return whether to answer CSV: ``format=csv``, else an Accept header that names CSV."""
    if fmt is not None:
        return fmt is Format.csv
    accept = request.headers.get("accept", "")
    return "text/csv" in accept and "application/json" not in accept


def _matches(request: Request, etag: str) -> bool:
    return etag_matches(request.headers.get("if-none-match", ""), etag)


def etag_matches(sent: str, etag: str) -> bool:
    """Return whether an ``If-None-Match`` header's value names ``etag`` (or is ``*``)."""
    tags = {tag.strip().removeprefix("W/") for tag in sent.split(",")}
    return "*" in tags or etag in tags


def answer(
    request: Request,
    body: bytes,
    *,
    media_type: str = "application/json",
    public: bool = True,
    translated: bool = False,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Return ``body`` with its strong ETag and Cache-Control, or 304 if the client has it.

    ``public`` is False for an answer that depends on who asks (their drafts, their tokens);
    ``translated`` True for one with words in the request's language (``said``), which a
    shared cache then keeps apart by Accept-Language (``?lang=`` is in the address).
    """
    etag = '"' + hashlib.sha256(body).hexdigest()[:40] + '"'
    vary = (
        "Accept, Accept-Language, Authorization, Cookie"
        if translated
        else "Accept, Authorization, Cookie"
    )
    common = {
        "ETag": etag,
        "Cache-Control": f"public, max-age={PUBLIC_MAX_AGE}" if public else "private, no-cache",
        "Vary": vary,
        VERSION_HEADER: load_catalogue().version,
        **(headers or {}),
    }
    if _matches(request, etag):
        return Response(status_code=304, headers=common)
    return Response(body, media_type=media_type, headers=common)


def table(
    request: Request,
    rows: Sequence[Mapping[str, Any]],
    columns: Iterable[str],
    fmt: Format | None,
    *,
    public: bool = True,
    translated: bool = False,
    extra: Mapping[str, Any] | None = None,
    headers: Mapping[str, str] | None = None,
) -> Response:
    """Answer rows as JSON (``{"data": [...], **extra}``) or CSV (a header line, then rows)."""
    body, media_type = table_body(rows, columns, wants_csv(request, fmt), extra=extra)
    return answer(
        request, body, media_type=media_type, public=public, translated=translated, headers=headers
    )


#: The columns that hold a reason's arguments (``reason_code`` says what they fill): an
#: object in JSON, its compact JSON text in a CSV cell.
ARGUMENT_COLUMNS: tuple[str, ...] = ("reason_args",)


def table_body(
    rows: Sequence[Mapping[str, Any]],
    columns: Iterable[str],
    csv: bool,
    *,
    extra: Mapping[str, Any] | None = None,
) -> tuple[bytes, str]:
    """Return the body and media type of ``table``'s answer: CSV if ``csv``, else JSON."""
    names = list(columns)
    if csv:
        cells = [
            {
                **row,
                **{
                    name: json_bytes(row[name]).decode() for name in ARGUMENT_COLUMNS if name in row
                },
            }
            for row in rows
        ]
        return csv_text(cells, names).encode("utf-8"), CSV_TYPE
    data = [{name: row.get(name) for name in names} for row in rows]
    return json_bytes({**(extra or {}), "data": data}), "application/json"


#: How a reason is given beside its words, for the schema's descriptions.
REASON_DESCRIPTION = (
    "`reason` is the assessment's English sentence (as `lindung assess` prints it), in Bahasa "
    "Indonesia for `lang=id` or `Accept-Language: id`; `reason_code` (stable) and "
    "`reason_args` (its numbers, unformatted; a JSON object, JSON text in CSV) say it in any "
    "language."
)


#: A row of an assessment table (a ``ProgressRow``, an ``Aggregate``, a ``Tier``...).
Row = TypeVar("Row", bound=Mapping[str, Any])


def said(
    rows: Iterable[Row], say: Callable[[str, Mapping[str, Any], str], str | None]
) -> list[Row]:
    """Return ``rows`` with each ``reason`` in the request's language (``web.locale``: ``?lang=``,
    the cookie, Accept-Language), said by ``say`` (an ``i18n.reasons`` function) from the row's
    ``reason_code`` and ``reason_args``, which stay as they are for a client that words reasons
    itself. In English the reason stays the assessment's own sentence, as ``lindung assess``
    prints it; a code ``say`` does not know keeps it too."""
    language = locale.current.get()
    if language == locale.DEFAULT:
        return list(rows)
    shown = []
    for row in rows:
        text = say(str(row.get("reason_code") or ""), row.get("reason_args") or {}, language)
        shown.append(row if text is None else cast(Row, {**row, "reason": text}))
    return shown


def documented_table(example: Mapping[str, Any], csv_example: str, more: str = "") -> JSONObject:
    """Return the 200 entry of a route answering ``table``: its JSON and CSV examples, and
    ``more`` said of its columns."""
    described = "The rows, as JSON (default) or CSV (`format=csv` or `Accept: text/csv`)."
    return {
        "description": f"{described} {more}".strip(),
        "content": {
            "application/json": {"example": example},
            "text/csv": {"schema": {"type": "string"}, "example": csv_example},
        },
        "headers": {
            "ETag": {"description": "Strong validator of the body.", "schema": {"type": "string"}},
            VERSION_HEADER: {
                "description": "The framework version the answer was made under.",
                "schema": {"type": "string"},
            },
        },
    }


def documented_json(example: Any, description: str) -> JSONObject:
    """Return the 200 entry of a route answering one JSON document."""
    return {"description": description, "content": {"application/json": {"example": example}}}


#: The 304 every read answers to a matching If-None-Match.
NOT_MODIFIED: dict[int | str, JSONObject] = {
    304: {"description": "Not modified: the ETag sent in If-None-Match is still current."}
}
