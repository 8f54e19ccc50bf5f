"""What a route needs to answer: the store, the user who asks, the CSRF check.

Each is a FastAPI dependency, so a route says what it needs in its signature and the role
checks read as part of the route (``user: User = Depends(signed_in_user)``).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.routing import APIRoute
from sqlalchemy import Connection, Engine

from lindung.errors import Unauthenticated, UsageError
from lindung.ingest.accounts import authenticate
from lindung.store import translate_errors
from lindung.store.users import User
from lindung.web import sessions


@dataclass(frozen=True)
class Site:
    """What the application keeps for its whole life: the store and the cookie secret."""

    engine: Engine
    secret: str
    session_hours: int


def site(request: Request) -> Site:
    """Return the application's store and secret."""
    found: Site = request.app.state.site
    return found


def reading(request: Request) -> Iterator[Connection]:
    """Yield a connection for the request's reads (one transaction, rolled back at the end)."""
    engine = site(request).engine
    with translate_errors(engine), engine.connect() as connection:
        yield connection


def user_of(request: Request, connection: Connection) -> User | None:
    """Return who asks (bearer token, else session cookie), or None for an anonymous visitor.

    A bearer token that is unknown, revoked or expired is refused (401); a stale session cookie
    only makes the visitor anonymous again, as a browser would expect after signing out.
    """
    if hasattr(request.state, "user"):
        known: User | None = request.state.user
        return known
    user: User | None = None
    bearer = sessions.bearer_token(request)
    if bearer is not None:
        try:
            user = authenticate(connection, bearer)
        except Unauthenticated:
            # The store's words are for the command line's saved login; a program sent this.
            raise Unauthenticated(
                "the bearer token is not known to this site, or was revoked or has expired; "
                "make a new one with POST /api/v1/tokens (signed in) and send it as "
                "'Authorization: Bearer TOKEN'"
            ) from None
    else:
        token = sessions.session_token(request, site(request).secret)
        if token is not None:
            try:
                user = authenticate(connection, token)
            except Unauthenticated:
                user = None
    request.state.user = user
    return user


Reading = Annotated[Connection, Depends(reading)]


def visitor(request: Request, connection: Reading) -> User | None:
    """Return the signed-in user, or None: for routes anyone may read."""
    return user_of(request, connection)


def signed_in_user(request: Request, connection: Reading) -> User:
    """Return the signed-in user; raise Unauthenticated (401) for an anonymous visitor."""
    user = user_of(request, connection)
    if user is None:
        raise Unauthenticated("sign in first: this needs a Lindung account")
    return user


async def csrf_protected(request: Request) -> None:
    """Refuse a state-changing browser request that does not repeat its CSRF token."""
    await sessions.check_csrf(request, site(request).secret)


#: Route parameters: the signed-in user or None (anyone may ask), the signed-in user (401 else).
Visitor = Annotated[User | None, Depends(visitor)]
SignedIn = Annotated[User, Depends(signed_in_user)]
#: A member state's code in a path (any case; one that is not a member state's is 404).
Iso3 = Annotated[str, Path(max_length=40, description="The member state's ISO3 code, e.g. PHL.")]


#: Query parameters every route takes: the language (``web.locale``).
COMMON_QUERY = frozenset({"lang"})


#: By route (its operation id: the same routes in every application), its query parameters.
_QUERY_NAMES: dict[str, frozenset[str]] = {}


def _query_names(route: APIRoute) -> frozenset[str]:
    """Return the query parameters ``route`` declares, through all its dependencies."""
    found = _QUERY_NAMES.get(route.unique_id)
    if found is not None:
        return found
    names: set[str] = set()
    waiting = [route.dependant]
    while waiting:
        dependant = waiting.pop()
        names.update(param.alias for param in dependant.query_params)
        waiting.extend(dependant.dependencies)
    _QUERY_NAMES[route.unique_id] = COMMON_QUERY | names
    return _QUERY_NAMES[route.unique_id]


def plain_parameters(request: Request) -> None:
    """Refuse a query or path parameter holding a control character (a NUL, an escape...), and
    a query parameter an API route does not take.

    No code, id or cursor Lindung takes has one, and the stores must never see one (PostgreSQL
    refuses NUL in text outright): the caller gets a usage error naming the parameter. A
    misspelt filter (``?period_from=2030`` for ``?from=2030``) would otherwise be ignored and
    the whole table answered as if it were filtered: on the API (``/api/``) it is refused,
    naming the parameters the route takes. Pages ignore parameters they do not take, as links
    from elsewhere carry their own (``?utm_source=``).
    """
    route = request.scope.get("route")
    if isinstance(route, APIRoute) and request.url.path.startswith("/api/"):
        known = _query_names(route)
        unknown = [name for name in dict.fromkeys(request.query_params) if name not in known]
        if unknown:
            taken = ", ".join(sorted(known))
            raise UsageError(
                f"unknown query parameter {unknown[0]!r}"
                + (f" (and {len(unknown) - 1} more)" if len(unknown) > 1 else "")
                + f"; {request.url.path} takes {taken}"
            )
    named = [*request.query_params.multi_items(), *request.path_params.items()]
    for name, value in named:
        text = str(value)
        for position, character in enumerate(text, start=1):
            if unicodedata.category(character) == "Cc":
                raise UsageError(
                    f"parameter {name!r} has the control character U+{ord(character):04X} at "
                    f"character {position}; give plain text"
                )
