"""Who may do what: users, their roles, and acting for a country.

A focal point acts only for their own country; the secretariat and admins act for every
country; a partner reads. The CLI's ``--as EMAIL`` and the web's login both resolve the
acting user here.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection

from lindung.errors import NotFound, PermissionDenied, UsageError
from lindung.framework import load_catalogue
from lindung.store import ROLES, add_user, get_user

REVIEWERS: frozenset[str] = frozenset({"secretariat", "admin"})
MIN_PASSWORD = 8


def acting_user(connection: Connection, email: str) -> dict[str, Any]:
    """Return the user acting; raise PermissionDenied if there is no such user."""
    try:
        return get_user(connection, email)
    except NotFound:
        raise PermissionDenied(
            f"no user {email!r} may act here; an admin adds one with `lindung user add`"
        ) from None


def may_act_for(user: dict[str, Any], country: str) -> bool:
    """Return whether the user may submit for ``country`` (own country, or a reviewer)."""
    return user["role"] in REVIEWERS or (
        user["role"] == "focal_point" and user["country"] == country
    )


def require_country(user: dict[str, Any], country: str, action: str) -> None:
    """Raise PermissionDenied unless the user may ``action`` for ``country``."""
    if may_act_for(user, country):
        return
    if user["role"] == "focal_point":
        raise PermissionDenied(
            f"{user['email']} is the focal point for {user['country']} and cannot {action} "
            f"for {country}; ask {country}'s focal point or the secretariat"
        )
    raise PermissionDenied(
        f"{user['email']} has role {user['role']} and cannot {action}; "
        "a focal point of the country or the secretariat can"
    )


def require_reviewer(user: dict[str, Any], action: str) -> None:
    """Raise PermissionDenied unless the user is the secretariat or an admin."""
    if user["role"] not in REVIEWERS:
        raise PermissionDenied(
            f"{user['email']} has role {user['role']}; only the secretariat or an admin can "
            f"{action}"
        )


def register_user(
    connection: Connection,
    *,
    email: str,
    role: str,
    password: str,
    country: str | None = None,
    actor: str = "local-admin",
) -> dict[str, Any]:
    """Create a user (password kept as an argon2id hash); return it without the hash."""
    if role not in ROLES:
        raise UsageError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    if "@" not in email or email.strip() != email or len(email) > 254:
        raise UsageError(f"{email!r} is not an email address; give the user's email")
    if country is not None:
        country = load_catalogue().member_state(country.upper()).iso3
    if len(password) < MIN_PASSWORD:
        raise UsageError(
            f"the password is shorter than {MIN_PASSWORD} characters; choose a longer one"
        )
    add_user(connection, email=email, role=role, password=password, country=country, actor=actor)
    return get_user(connection, email)
