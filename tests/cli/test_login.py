"""Every write is made by a proven user: `lindung login` saves a personal token, kept hashed in
the store, expiring, revocable; `--as` only chooses among the accounts logged in here."""

from __future__ import annotations

import hashlib
import json
import stat
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update

from lindung.ingest.accounts import WRONG_PASSWORD, recent_failed_sign_ins
from lindung.store import audit_entries, make_engine, transaction
from lindung.store.schema import tokens

Run = Callable[..., Any]
PASSWORD = "a-long-password\n"
ADMIN = "admin@example.org"
FOCAL = "fp.idn@example.org"


@pytest.fixture
def store(lindung: Run) -> Run:
    """Return the runner on an initialised store with an admin (logged in) and a focal point."""
    assert lindung("db", "init").exit_code == 0
    assert lindung("user", "add", ADMIN, "--role", "admin", stdin=PASSWORD).exit_code == 0
    assert lindung("login", ADMIN, stdin=PASSWORD).exit_code == 0
    added = lindung(
        "user", "add", FOCAL, "--role", "focal_point", "--country", "IDN", stdin=PASSWORD
    )
    assert added.exit_code == 0, added.stderr
    return lindung


def _saved(folder: Path) -> dict[str, Any]:
    return dict(json.loads((folder / "credentials.json").read_text(encoding="utf-8")))


def test_login_saves_a_token_readable_by_its_owner_only_and_the_store_keeps_only_its_hash(
    store: Run, saved_logins: Path, database_url: str
) -> None:
    path = saved_logins / "credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    (entry,) = _saved(saved_logins)["stores"].values()
    secret = entry["tokens"][ADMIN]
    assert entry["active"] == ADMIN and secret.startswith("lnd_") and len(secret) > 40
    with make_engine(database_url).connect() as connection:
        stored = [row.token_hash for row in connection.execute(select(tokens.c.token_hash))]
    assert secret not in stored
    # The oracle: SHA-256 as docs/security.md says, computed here, not by Lindung.
    assert hashlib.sha256(secret.encode()).hexdigest() in stored
    who = store("whoami")
    assert who.exit_code == 0 and who.stdout.startswith(f"{ADMIN} (admin)")


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(store: Run) -> None:
    wrong = store("login", ADMIN, stdin="not-the-password\n")
    unknown = store("login", "nobody@example.org", stdin=PASSWORD)
    expected = (
        "Error: wrong e-mail or password for this store; try again, or ask an admin to reset it\n"
    )
    assert (wrong.exit_code, wrong.stderr) == (unknown.exit_code, unknown.stderr)
    assert wrong.exit_code != 0 and wrong.stderr == expected


def test_a_disabled_or_unknown_account_is_answered_as_a_wrong_password_and_audited(
    store: Run, database_url: str
) -> None:
    assert store("user", "disable", FOCAL, "--as", ADMIN).exit_code == 0
    attempts = [
        store("login", FOCAL, stdin=PASSWORD),  # disabled, right password
        store("login", "nobody@example.org", stdin=PASSWORD),  # unknown
        store("login", FOCAL.upper(), stdin="not-the-password\n"),  # wrong password
    ]
    assert {(a.exit_code, a.stderr) for a in attempts} == {(3, f"Error: {WRONG_PASSWORD}\n")}
    engine = make_engine(database_url)
    with transaction(engine) as connection:
        failed = [e for e in audit_entries(connection) if e["action"] == "sign-in-failed"]
        counted = recent_failed_sign_ins(connection, FOCAL, timedelta(minutes=5))
        nobody = recent_failed_sign_ins(connection, "Nobody@Example.org", timedelta(minutes=5))
        long_ago = recent_failed_sign_ins(connection, FOCAL, timedelta(0))
    engine.dispose()
    assert [(e["entity"], e["detail"]["email"]) for e in failed] == [
        ("user", FOCAL),
        ("user", "nobody@example.org"),
        ("user", FOCAL),
    ]
    assert failed[1]["entity_id"] is None and failed[0]["entity_id"] is not None
    assert all(e["actor"].startswith("unknown at lindung CLI on ") for e in failed)
    logged = json.dumps([e["detail"] for e in failed])
    assert "password" not in logged and "a-long-password" not in logged
    assert (counted, nobody, long_ago) == (2, 1, 0)


def test_as_names_only_an_account_logged_in_here_not_anyone_the_store_knows(
    store: Run, tmp_path: Path
) -> None:
    # FOCAL exists in the store but never logged in here: naming them proves nothing.
    result = store("submission", "submit", "1", "--as", FOCAL)
    assert result.exit_code != 0
    assert result.stderr == (
        f"Error: {FOCAL} is not logged in to this store; run `lindung login {FOCAL}`\n"
    )


def test_without_a_login_only_the_first_user_of_an_empty_store_can_be_added(
    lindung: Run, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    assert lindung("db", "init").exit_code == 0
    first = lindung("user", "add", FOCAL, "--role", "focal_point", "--country", "IDN",
                    stdin=PASSWORD)  # fmt: skip
    assert first.exit_code != 0 and "the first user of a store must be an admin" in first.stderr
    assert lindung("user", "add", ADMIN, "--role", "admin", stdin=PASSWORD).exit_code == 0
    second = lindung("user", "add", "other@example.org", "--role", "admin", stdin=PASSWORD)
    assert second.exit_code != 0
    assert "only a logged-in admin can add users" in second.stderr


def test_logout_revokes_the_token_in_the_store_so_a_copy_of_it_stops_working(
    store: Run, saved_logins: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    (entry,) = _saved(saved_logins)["stores"].values()
    copied = entry["tokens"][ADMIN]
    assert store("logout").exit_code == 0
    assert _saved(saved_logins)["stores"] and store("whoami").exit_code != 0
    monkeypatch.setenv("LINDUNG_TOKEN", copied)
    result = store("user", "list")
    assert result.exit_code != 0
    assert result.stderr == (
        f"Error: the login of {ADMIN} was revoked; run `lindung login {ADMIN}`\n"
    )


def test_an_expired_token_is_refused_saying_when_it_expired(store: Run, database_url: str) -> None:
    past = datetime(2020, 1, 2, 3, 4, tzinfo=UTC)
    with transaction(make_engine(database_url)) as connection:
        connection.execute(update(tokens).values(expires_at=past))
    result = store("whoami")
    assert result.exit_code != 0
    assert result.stderr == (
        f"Error: the login of {ADMIN} expired on 2020-01-02 03:04 UTC; "
        f"run `lindung login {ADMIN}`\n"
    )


def test_tokens_last_as_long_as_the_setting_says(
    store: Run, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LINDUNG_TOKEN_LIFETIME_DAYS", "2")
    before = datetime.now(UTC)
    assert store("login", FOCAL, stdin=PASSWORD).exit_code == 0
    with make_engine(database_url).connect() as connection:
        newest = select(tokens.c.expires_at).order_by(tokens.c.id.desc()).limit(1)
        expiry = connection.execute(newest).scalar_one()
    expiry = expiry if expiry.tzinfo else expiry.replace(tzinfo=UTC)
    assert before + timedelta(days=2) <= expiry <= datetime.now(UTC) + timedelta(days=2)
    monkeypatch.setenv("LINDUNG_TOKEN_LIFETIME_DAYS", "forever")
    refused = store("login", FOCAL, stdin=PASSWORD)
    assert refused.exit_code != 0 and "LINDUNG_TOKEN_LIFETIME_DAYS='forever'" in refused.stderr


def test_a_disabled_user_cannot_act_and_their_tokens_stop(store: Run) -> None:
    assert store("login", FOCAL, stdin=PASSWORD).exit_code == 0
    assert store("whoami").stdout.startswith(FOCAL)
    refused = store("user", "disable", FOCAL)  # the active account is the focal point
    assert refused.exit_code != 0 and "only an admin can disable" in refused.stderr
    assert store("user", "disable", FOCAL, "--as", ADMIN).exit_code == 0
    stopped = store("submission", "list", "--as", FOCAL)
    assert stopped.exit_code != 0
    assert f"the login of {FOCAL} was revoked" in stopped.stderr
    again = store("login", FOCAL, stdin=PASSWORD)
    # the right password, but to the caller a disabled account looks like a wrong password
    assert again.exit_code != 0 and again.stderr == f"Error: {WRONG_PASSWORD}\n"
    assert store("user", "enable", FOCAL, "--as", ADMIN).exit_code == 0
    assert store("login", FOCAL, stdin=PASSWORD).exit_code == 0


def test_an_admin_lists_and_revokes_any_token_a_user_only_their_own(store: Run) -> None:
    assert store("login", FOCAL, stdin=PASSWORD).exit_code == 0
    mine = json.loads(store("user", "tokens", "--format", "json").stdout)
    assert [t["email"] for t in mine] == [FOCAL]
    every = json.loads(store("user", "tokens", "--as", ADMIN, "--format", "json").stdout)
    assert sorted(t["email"] for t in every) == [ADMIN, FOCAL]
    assert all("secret" not in key and "hash" not in key for t in every for key in t)
    admin_token = next(t["id"] for t in every if t["email"] == ADMIN)
    refused = store("user", "revoke", str(admin_token))
    assert refused.exit_code != 0 and "cannot revoke another user's token" in refused.stderr
    assert store("user", "revoke", str(mine[0]["id"]), "--as", ADMIN).exit_code == 0
    assert store("whoami").exit_code != 0


@pytest.mark.parametrize(
    ("address", "why"),
    [
        ("FP.IDN@example.org", "already exists"),
        ("fp.idn@exаmple.org", "CYRILLIC SMALL LETTER A (U+0430) at character 10"),
        ("fp.idn@example.org\nx", "has the control character U+000A at character 19;"),
        ("fp.\u200bidn@example.org", "ZERO WIDTH SPACE (U+200B) at character 4"),
        (" fp.idn@example.org", "at character 1"),
        ("fp.idn@localhost", "not an e-mail address"),
        ("fp..idn@example.org", "not an e-mail address"),
    ],
)
def test_case_variant_look_alike_and_newline_addresses_are_not_new_accounts(
    store: Run, address: str, why: str
) -> None:
    result = store("user", "add", address, "--role", "partner", stdin=PASSWORD)
    assert result.exit_code != 0
    assert why in result.stderr.splitlines()[0]


def test_login_is_case_insensitive(store: Run) -> None:
    assert store("login", "FP.IDN@Example.ORG", stdin=PASSWORD).exit_code == 0
    assert store("whoami").stdout.startswith(f"{FOCAL} (focal_point for IDN)")
