"""Observations: the current published value of each key, a page at a time, and a key's history.

Filters are the CLI's (``lindung data query``): series, area, a period range, and any
disaggregation dimension (``sex=F&age=Y_GE65``; repeat a parameter to accept several codes).
Pages follow the key order; the cursor is the last key of the page, plainly encoded (base64 of
its JSON), so a client can neither break nor need to understand it.
"""

from __future__ import annotations

import base64
import binascii
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from lindung.errors import NotFound, UnknownCode, UsageError
from lindung.framework import load_catalogue
from lindung.ingest.accounts import may_read_unpublished
from lindung.keys import DIMENSIONS, KEY
from lindung.store import current_observations, history
from lindung.store.observations import VALUE_FIELDS
from lindung.web.api.common import (
    NOT_MODIFIED,
    Format,
    answer,
    documented_table,
    refusals,
    table,
    table_body,
    wants_csv,
)
from lindung.web.deps import Reading, Visitor
from lindung.web.published import published_derived

router = APIRouter(tags=["observations"])

#: Every row carries its key, value, unit, SE/CI, nature, status, source and comment.
COLUMNS: tuple[str, ...] = (*KEY, *VALUE_FIELDS, "framework_version")
#: A version in a key's history also says which submission brought it and where that stands.
HISTORY_COLUMNS: tuple[str, ...] = (
    *COLUMNS,
    "submission_id",
    "submission_status",
    "published_at",
)
DEFAULT_LIMIT = 1000
MAX_LIMIT = 10_000

Codes = Annotated[list[str], Query(max_length=50)]
Year = Annotated[int | None, Query(ge=1900, le=2100)]


def dimension_codes(
    sex: Codes = [],  # noqa: B006 - FastAPI copies a list default for each request
    age: Codes = [],  # noqa: B006
    urbanisation: Codes = [],  # noqa: B006
    income_wealth_quantile: Codes = [],  # noqa: B006
    disability_status: Codes = [],  # noqa: B006
    group: Codes = [],  # noqa: B006
    program: Codes = [],  # noqa: B006
    poverty_line: Codes = [],  # noqa: B006
) -> dict[str, list[str]]:
    """The disaggregation filter: each dimension given keeps the codes listed."""
    given = dict(
        zip(
            DIMENSIONS,
            (
                sex,
                age,
                urbanisation,
                income_wealth_quantile,
                disability_status,
                group,
                program,
                poverty_line,
            ),
            strict=True,
        )
    )
    return {
        name: [code.strip().upper() for code in codes] for name, codes in given.items() if codes
    }


@dataclass(frozen=True)
class Selection:
    """Which keys a request asks for: checked against the framework."""

    series: list[str]
    areas: list[str]
    year_from: int | None
    year_to: int | None
    dimensions: dict[str, list[str]]

    def key(self) -> tuple[Any, ...]:
        """Return the selection as a hashable value: equal for equal selections."""
        return (
            tuple(self.series),
            tuple(self.areas),
            self.year_from,
            self.year_to,
            tuple((name, tuple(codes)) for name, codes in sorted(self.dimensions.items())),
        )


def selection(
    series: list[str],
    area: list[str],
    year_from: int | None,
    year_to: int | None,
    dimensions: dict[str, list[str]],
) -> Selection:
    """Return the selection with its codes in canonical case; raise UnknownCode for a series or
    area the framework does not define, UsageError for a period range the wrong way round."""
    catalogue = load_catalogue()
    codes = [code.strip().upper() for code in series]
    areas = [code.strip().upper() for code in area]
    for code in codes:
        catalogue.indicator(code)
    for code in areas:
        if code not in catalogue.areas:
            raise UnknownCode("area", code, f"use one of {', '.join(catalogue.areas)}")
    if year_from is not None and year_to is not None and year_from > year_to:
        raise UsageError(f"from={year_from} is after to={year_to}; give the earlier year first")
    return Selection(codes, areas, year_from, year_to, dimensions)


def encode_cursor(row: Mapping[str, Any]) -> str:
    """Return the cursor that starts the page after ``row`` (its key, base64 of JSON)."""
    key = [row[name] for name in KEY]
    return base64.urlsafe_b64encode(json.dumps(key, separators=(",", ":")).encode()).decode()


def decode_cursor(cursor: str) -> list[Any]:
    """Return the key a cursor holds; raise UsageError naming ``cursor`` if it is not one."""
    problem = UsageError(
        "cursor: this is not a cursor this API gave; use the `next_cursor` of the previous "
        "page, or leave cursor out to start from the first page"
    )
    try:
        key = json.loads(base64.urlsafe_b64decode(cursor.encode("ascii")))
    except (ValueError, binascii.Error, UnicodeError):
        raise problem from None
    shape = (str, str, int, *([str] * len(DIMENSIONS)))
    if not (
        isinstance(key, list)
        and len(key) == len(KEY)
        and all(type(part) is kind for part, kind in zip(key, shape, strict=True))
        and abs(key[2]) <= 10_000
    ):
        raise problem
    return key


OBSERVATION_EXAMPLE: dict[str, Any] = {
    "framework_version": "1.0.0",
    "next_cursor": None,
    "data": [
        {
            **{name: "_T" for name in KEY},
            "series": "SI_COV_BENFTS",
            "ref_area": "PHL",
            "time_period": 2022,
            "sex": "F",
            "value": 36.2,
            "unit": "PERCENT",
            "se": 0.8,
            "ci_low": 34.6,
            "ci_high": 37.8,
            "nature": "C",
            "obs_status": "A",
            "source": "Philippine Statistics Authority",
            "comment": None,
            "framework_version": "1.0.0",
        }
    ],
}
OBSERVATION_CSV = (
    ",".join(COLUMNS)
    + "\nSI_COV_BENFTS,PHL,2022,F,_T,_T,_T,_T,_T,_T,_T,36.2,PERCENT,0.8,34.6,37.8,C,A,"
    "Philippine Statistics Authority,,1.0.0\n"
)


@router.get(
    "/observations",
    summary="Current published observations, filtered and paginated",
    responses={
        200: documented_table(OBSERVATION_EXAMPLE, OBSERVATION_CSV),
        **NOT_MODIFIED,
        **refusals(UnknownCode),
    },
    response_model=None,
)
def observations(
    request: Request,
    connection: Reading,
    dimensions: Annotated[dict[str, list[str]], Depends(dimension_codes)],
    series: Annotated[
        list[str], Query(max_length=50, description="Series code (repeat for several).")
    ] = [],  # noqa: B006
    area: Annotated[
        list[str],
        Query(max_length=50, description="ISO3 code of a member state, ASEAN or WLD (repeat)."),
    ] = [],  # noqa: B006
    year_from: Annotated[Year, Query(alias="from", description="First year (inclusive).")] = None,
    year_to: Annotated[Year, Query(alias="to", description="Last year (inclusive).")] = None,
    cursor: Annotated[
        str | None,
        Query(max_length=1000, description="Where the page starts: the previous `next_cursor`."),
    ] = None,
    limit: Annotated[
        int, Query(ge=1, le=MAX_LIMIT, description="Largest number of rows in one page.")
    ] = DEFAULT_LIMIT,
    fmt: Annotated[
        Format | None, Query(alias="format", description="json or csv (else by Accept).")
    ] = None,
) -> Response:
    """The current published value of every matching key, in key order (series, area, year,
    then the dimensions), `limit` rows at a time. Filter by any disaggregation dimension with
    its SDMX code (`sex=F`, `age=Y_GE65`; `_T` is the total). Every row carries its unit,
    source, nature and, for survey estimates, the standard error and 95 % interval. The JSON
    answer's `next_cursor` (and the `Link: rel="next"` header, for CSV too) gives the next
    page; it is null on the last one."""
    chosen = selection(series, area, year_from, year_to, dimensions)
    after = decode_cursor(cursor) if cursor is not None else None
    csv = wants_csv(request, fmt)

    def page_body() -> tuple[bytes, str, str | None]:
        rows = current_observations(
            connection,
            series=chosen.series or None,
            areas=chosen.areas or None,
            year_from=chosen.year_from,
            year_to=chosen.year_to,
            dimensions=chosen.dimensions,
            after=after,
            limit=limit + 1,
        )
        page = rows[:limit]
        following = encode_cursor(page[-1]) if len(rows) > limit else None
        extra = {"framework_version": load_catalogue().version, "next_cursor": following}
        return (*table_body(page, COLUMNS, csv, extra=extra), following)

    # The same page for everyone until the next publication: made once per process till then.
    asked = (chosen.key(), None if after is None else tuple(after), limit, csv)
    body, media_type, following = published_derived(connection, ("observations", asked), page_body)
    headers = {}
    if following is not None:
        headers["Link"] = f'<{request.url.include_query_params(cursor=following)}>; rel="next"'
    return answer(request, body, media_type=media_type, headers=headers)


HISTORY_EXAMPLE: dict[str, Any] = {
    "data": [
        {
            **OBSERVATION_EXAMPLE["data"][0],
            "value": 35.9,
            "submission_id": 12,
            "submission_status": "published",
            "published_at": "2025-03-01T09:30:00+00:00",
        },
        {
            **OBSERVATION_EXAMPLE["data"][0],
            "submission_id": 19,
            "submission_status": "published",
            "published_at": "2025-09-12T14:02:11+00:00",
        },
    ]
}


@router.get(
    "/observations/history",
    summary="Every stored version of one key",
    responses={
        200: documented_table(HISTORY_EXAMPLE, ",".join(HISTORY_COLUMNS) + "\n"),
        **NOT_MODIFIED,
        **refusals(UnknownCode, NotFound),
    },
    response_model=None,
)
def key_history(
    request: Request,
    connection: Reading,
    user: Visitor,
    dimensions: Annotated[dict[str, list[str]], Depends(dimension_codes)],
    series: Annotated[str, Query(max_length=50, description="Series code.")],
    area: Annotated[str, Query(max_length=50, description="ISO3 code or ASEAN/WLD.")],
    period: Annotated[int, Query(ge=1900, le=2100, description="The year.")],
    fmt: Annotated[
        Format | None, Query(alias="format", description="json or csv (else by Accept).")
    ] = None,
) -> Response:
    """Every version of one key (series, area, year and one code per dimension, `_T` for a
    dimension left out), oldest first, with the submission that brought each and its status.
    Published versions are shown to anyone; versions not yet published (draft, submitted,
    validated, returned) only to the country's focal point and the secretariat."""
    chosen = selection([series], [area], period, period, dimensions)
    for name, codes in chosen.dimensions.items():
        if len(codes) > 1:
            raise UsageError(f"{name}: a key has one code per dimension, not {', '.join(codes)}")
    key = {name: chosen.dimensions.get(name, ["_T"]) for name in DIMENSIONS}
    versions = [
        dict(row)
        for row in history(
            connection,
            series=chosen.series,
            areas=chosen.areas,
            year_from=period,
            year_to=period,
            dimensions=key,
        )
        if row["submission_status"] == "published" or may_read_unpublished(user, row["ref_area"])
    ]
    if not versions:
        raise NotFound(
            f"no version of {chosen.series[0]} for {chosen.areas[0]} in {period} with "
            f"{', '.join(f'{n}={c[0]}' for n, c in key.items() if c != ['_T']) or 'all totals'} "
            "that you may see; /api/v1/observations lists the keys"
        )
    return table(request, versions, HISTORY_COLUMNS, fmt, public=False)
