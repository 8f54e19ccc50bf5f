"""The accounts of the web tests, and signing in as a browser does."""

from __future__ import annotations

from starlette.testclient import TestClient

from lindung.web.sessions import CSRF_COOKIE

PASSWORD = "a-long-password"

#: Who may ask, as the role x route matrix names them: (role, country) of each account.
ACCOUNTS: dict[str, tuple[str, str | None]] = {
    "admin": ("admin", None),
    "secretariat": ("secretariat", None),
    "partner": ("partner", None),
    "focal_point": ("focal_point", "PHL"),
    "other_focal_point": ("focal_point", "VNM"),
}
ROLES = ("anonymous", *ACCOUNTS)


def csrf_of(client: TestClient) -> str:
    """Return the CSRF token the client's browser holds (visiting a page first if needed)."""
    if CSRF_COOKIE not in client.cookies:
        client.get("/login")
    return client.cookies[CSRF_COOKIE]


def sign_in(client: TestClient, email: str) -> None:
    """Sign the client in through the login form, as a browser does."""
    response = client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "csrf_token": csrf_of(client)},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
