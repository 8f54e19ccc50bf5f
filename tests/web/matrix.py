"""The role x route matrix: for every route, the request to send and the status of each role.

Roles: anonymous visitors, partners, the focal point of the country concerned (PHL), a focal
point of another country (VNM), the secretariat and admins (``clients.ROLES``). One table per
part of the site; ``test_roles`` joins them and fails on a route that has no row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .clients import ROLES


@dataclass(frozen=True)
class Row:
    """One route: where to send the request and the status each role gets."""

    path: str
    expected: dict[str, int]
    form: dict[str, str] = field(default_factory=dict)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


#: The public pages: overview, countries, indicators, reporting status, survey runs.
PAGE_ROWS: dict[tuple[str, str], Row] = {
    ("GET", "/"): Row("/", everyone(200)),
}

#: Accounts and the submission workflow, pages and API actions alike.
WORKFLOW_ROWS: dict[tuple[str, str], Row] = {
    ("GET", "/login"): Row("/login", everyone(200)),
    # A wrong password is refused alike whoever is signed in already.
    ("POST", "/login"): Row(
        "/login", everyone(401), {"email": "nobody@example.org", "password": "not-the-one"}
    ),
    ("POST", "/logout"): Row("/logout", everyone(303)),
}

#: The read API.
API_ROWS: dict[tuple[str, str], Row] = {
    ("GET", "/api/v1/indicators"): Row("/api/v1/indicators", everyone(200)),
    ("GET", "/api/v1/countries"): Row("/api/v1/countries", everyone(200)),
}
