"""`--include-unpublished` shows values still under review, so only the reviewers see them:
the logged-in user (`--as` chooses among the accounts logged in) must be the secretariat or an
admin, as for validating and publishing.
Anyone else is refused with one line and exit code 1, and sees no value."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .conftest import store_national_value

PASSWORD = "a-long-password\n"
USERS = {
    "admin@example.org": ("admin", None),
    "secretariat@example.org": ("secretariat", None),
    "fp.tha@example.org": ("focal_point", "THA"),
    "partner@example.org": ("partner", None),
}
#: Thailand's draft coverage, not yet submitted: the only value in the store.
AVAILABILITY = ("assess", "availability", "--series", "SI_COV_BENFTS", "--area", "THA")


@pytest.fixture
def store_with_a_draft(lindung: Any, sign_up: Any, database_url: str) -> Any:
    """Return the runner on a store holding the users above, each logged in here, and
    Thailand's 2019 draft."""
    assert lindung("db", "init").exit_code == 0
    sign_up(USERS)
    store_national_value(
        database_url, area="THA", year=2019, value=10.0, source="test: a Thai draft"
    )
    return lindung


def _latest_year(result: Any) -> Any:
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)
    return row["latest_year"]


@pytest.mark.parametrize("reviewer", ["secretariat@example.org", "admin@example.org"])
def test_the_secretariat_and_admins_see_values_not_yet_published(
    store_with_a_draft: Any, reviewer: str
) -> None:
    result = store_with_a_draft(
        *AVAILABILITY, "--include-unpublished", "--as", reviewer, "--format", "json"
    )
    assert _latest_year(result) == 2019


def test_without_include_unpublished_no_user_is_needed_and_the_draft_is_not_seen(
    store_with_a_draft: Any,
) -> None:
    assert _latest_year(store_with_a_draft(*AVAILABILITY, "--format", "json")) is None


def test_include_unpublished_without_as_is_refused_saying_who_may(
    store_with_a_draft: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("LINDUNG_CONFIG_DIR", str(tmp_path / "nobody-logged-in"))
    result = store_with_a_draft(*AVAILABILITY, "--include-unpublished", "--format", "json")
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.strip() == (
        "Error: to read values not yet published, log in as the secretariat: `lindung login EMAIL`"
    )


@pytest.mark.parametrize(
    ("user", "role"),
    [("fp.tha@example.org", "focal_point"), ("partner@example.org", "partner")],
)
def test_include_unpublished_is_refused_to_focal_points_and_partners(
    store_with_a_draft: Any, user: str, role: str
) -> None:
    result = store_with_a_draft(*AVAILABILITY, "--include-unpublished", "--as", user)
    assert result.exit_code == 3
    assert result.stdout == ""
    assert result.stderr.strip() == (
        f"Error: {user} has role {role}; only the secretariat or an admin can read values "
        "not yet published"
    )


def test_include_unpublished_as_an_account_not_logged_in_here_is_refused(
    store_with_a_draft: Any,
) -> None:
    result = store_with_a_draft(
        *AVAILABILITY, "--include-unpublished", "--as", "nobody@example.org"
    )
    assert result.exit_code == 3
    assert result.stderr.strip() == (
        "Error: nobody@example.org is not logged in to this store; run "
        "`lindung login nobody@example.org`"
    )


@pytest.mark.parametrize(
    "command",
    [
        ("progress",),
        ("matrix", "--area", "THA"),
        ("availability",),
        ("tiers",),
        ("consistency",),
        ("aggregate", "--no-store"),
        ("spi",),
        ("index",),
    ],
)
def test_every_assess_command_refuses_unpublished_values_to_a_partner(
    store_with_a_draft: Any, command: tuple[str, ...]
) -> None:
    result = store_with_a_draft(
        "assess", *command, "--include-unpublished", "--as", "partner@example.org"
    )
    assert result.exit_code == 3
    assert result.stderr.startswith("Error: partner@example.org has role partner")
