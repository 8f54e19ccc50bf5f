"""Personal API tokens for machine clients: create, list, revoke.

A token is the store's (``store.tokens`` through ``ingest.accounts``): shown once when made,
kept only as a hash, acting as its user with the user's role until it expires or is revoked.
Everyone signed in manages their own; an admin lists and revokes anyone's.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated, Any

from fastapi import APIRouter, Form, Path, Query, Request
from starlette.responses import Response

from lindung.errors import NotFound, PermissionDenied
from lindung.ingest.accounts import issue_personal_token, revoke, token_lifetime, tokens_of
from lindung.keys import MAX_ID
from lindung.store import transaction
from lindung.store.tokens import get_token
from lindung.web.api.common import (
    NOT_MODIFIED,
    answer,
    documented_json,
    json_bytes,
    refusals,
)
from lindung.web.deps import Reading, SignedIn, site

router = APIRouter(prefix="/tokens", tags=["tokens"])

TOKEN_EXAMPLE: dict[str, Any] = {
    "id": 7,
    "user_id": 3,
    "email": "focal-point@example.org",
    "label": "nightly upload script",
    "created_at": "2026-01-05T10:00:00+00:00",
    "expires_at": "2026-04-05T10:00:00+00:00",
    "revoked_at": None,
    "revoked_by": None,
}


@router.get(
    "",
    summary="Your API tokens (an admin: anyone's)",
    responses={
        200: documented_json({"data": [TOKEN_EXAMPLE]}, "The tokens, oldest first, no secrets."),
        **NOT_MODIFIED,
        **refusals(PermissionDenied, NotFound),
    },
    response_model=None,
)
def list_tokens(
    request: Request,
    connection: Reading,
    user: SignedIn,
    email: Annotated[
        str | None,
        Query(
            max_length=254,
            description="Admins only: whose tokens (an e-mail), or `*` for everyone's.",
        ),
    ] = None,
) -> Response:
    """The tokens of the signed-in user (browser sessions included), never their secrets; an
    admin may ask for another user's with `email`, or everyone's with `email=*`."""
    return answer(request, json_bytes({"data": tokens_of(connection, user, email)}), public=False)


@router.post(
    "",
    summary="Create an API token",
    status_code=201,
    responses={
        201: documented_json(
            {**TOKEN_EXAMPLE, "token": "lnd_3q...", "revoked_at": None},
            "The new token; `token` is the secret, shown this once only.",
        ),
        **refusals(PermissionDenied),
    },
    response_model=None,
)
def create_token(
    request: Request,
    user: SignedIn,
    label: Annotated[str, Form(min_length=1, max_length=100, description="What the token is for.")],
    days: Annotated[
        int | None,
        Form(ge=1, le=3650, description="Days it lasts (default LINDUNG_TOKEN_LIFETIME_DAYS)."),
    ] = None,
) -> Response:
    """Create a token acting as you, with your role, for a program to send as
    `Authorization: Bearer lnd_...`. The secret is in this answer only: keep it safe."""
    lifetime = timedelta(days=days) if days is not None else token_lifetime()
    with transaction(site(request).engine) as connection:
        token_id, secret = issue_personal_token(
            connection, user, label=label.strip() or "API token", lifetime=lifetime
        )
        made = get_token(connection, token_id)
    body = json_bytes({**made, "token": secret})
    return Response(
        body,
        status_code=201,
        media_type="application/json",
        headers={"Cache-Control": "no-store", "Location": f"/api/v1/tokens/{token_id}"},
    )


@router.delete(
    "/{token_id}",
    summary="Revoke an API token",
    responses={
        200: documented_json(
            {"id": 7, "revoked": True},
            "`revoked` is false when the token had been revoked already.",
        ),
        **refusals(PermissionDenied, NotFound),
    },
    response_model=None,
)
def revoke_token(
    request: Request,
    user: SignedIn,
    token_id: Annotated[int, Path(ge=1, le=MAX_ID, description="The token's id.")],
) -> Response:
    """Revoke one of your tokens (an admin: anyone's) at once; a program using it is refused
    from its next request. Revoking the token of this browser session signs you out."""
    with transaction(site(request).engine) as connection:
        revoked = revoke(connection, token_id, by=user)
    return Response(
        json_bytes({"id": token_id, "revoked": revoked}),
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )
