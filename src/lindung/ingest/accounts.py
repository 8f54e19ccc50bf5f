"""Who may do what: users, their roles, their logins, and acting for a country.

A focal point acts only for their own country; the secretariat and admins act for every
country; a partner reads. Every write and every read of unpublished data is made by a user
proven by a token that ``sign_in`` issued (the CLI's ``lindung login``, later the web's API
tokens); ``authenticate`` turns a token back into its user, and ``acting_user`` refuses a
disabled one. ``may_read_unpublished`` is the one rule for who sees values not yet published.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import UTC, datetime, timedelta

from sqlalchemy import Connection

from lindung.errors import NotFound, PermissionDenied, TooManyAttempts, Unauthenticated, UsageError
from lindung.framework import load_catalogue
from lindung.settings import TOKEN_LIFETIME_DAYS
from lindung.store import ROLES, add_user, audit_record, get_user
from lindung.store.sign_ins import recent_failures, record_failure
from lindung.store.tokens import (
    Token,
    find_token,
    get_token,
    issue_token,
    list_tokens,
    revoke_token,
)
from lindung.store.users import User, count_users, get_user_by_id, verify_password
from lindung.text import counted

REVIEWERS: frozenset[str] = frozenset({"secretariat", "admin"})
MIN_PASSWORD = 8

# Deliberately narrower than RFC 5321: plain ASCII, no quoted local parts, no IP literals. A
# login is compared as text, so an address that can be written two ways (look-alike letters,
# invisible characters, quoting) would be two accounts for one person.
_LOCAL = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
_EMAIL = re.compile(rf"{_LOCAL}@{_LABEL}(?:\.{_LABEL})+")


def canonical_email(email: str) -> str:
    """Return the address as Lindung keeps it (lower case); raise UsageError saying what is wrong.

    Refused: characters outside printable ASCII (look-alike letters such as Cyrillic 'а',
    invisible or control characters, newlines), surrounding spaces, and anything that is not
    ``local@domain.tld``.
    """
    for position, character in enumerate(email, start=1):
        if not (character.isascii() and character.isprintable()) or character == " ":
            code = f"U+{ord(character):04X}"
            # Control characters have no Unicode name: their code alone, said once.
            name = unicodedata.name(character, "")
            what = f"{name} ({code})" if name else f"the control character {code}"
            raise UsageError(
                f"the e-mail address has {what} at character {position}; type the address in "
                "plain letters, digits and . _ - + @"
            )
    if len(email) > 254 or not _EMAIL.fullmatch(email) or len(email.split("@")[0]) > 64:
        raise UsageError(
            f"{email!r} is not an e-mail address of the form name@domain.tld; give the user's "
            "e-mail"
        )
    return email.lower()


def acting_user(connection: Connection, email: str) -> User:
    """Return the user acting; raise PermissionDenied if there is no such user or it is disabled."""
    try:
        user = get_user(connection, email)
    except NotFound:
        raise PermissionDenied(
            f"no user {email!r} may act here; an admin adds one with `lindung user add`"
        ) from None
    if user["disabled_at"] is not None:
        raise PermissionDenied(
            f"{user['email']} is disabled; an admin can enable the account with "
            "`lindung user enable`"
        )
    return user


def token_lifetime() -> timedelta:
    """Return how long a new login lasts (the setting ``LINDUNG_TOKEN_LIFETIME_DAYS``)."""
    return timedelta(days=TOKEN_LIFETIME_DAYS.value())


def sign_in(
    connection: Connection,
    email: str,
    password: str,
    *,
    label: str,
    lifetime: timedelta | None = None,
) -> tuple[User, str]:
    """Check the password and issue a token; return the user and the token (shown once).

    ``lifetime`` defaults to a login's (``token_lifetime``); the web's sessions are shorter.
    An unknown address, a disabled account and a wrong password get the same error, after the
    same password hashing, so that a caller cannot tell which accounts exist or are disabled.
    The caller records the failure with ``note_failed_sign_in`` in a transaction of its own
    (this one rolls back with the error).
    """
    known = verify_password(connection, email, password)
    if not known or get_user(connection, email)["disabled_at"] is not None:
        raise Unauthenticated(WRONG_PASSWORD)
    user = acting_user(connection, email)
    _, secret = issue_token(
        connection,
        user["id"],
        label=label,
        lifetime=lifetime or token_lifetime(),
        actor=user["email"],
    )
    return user, secret


#: The one answer to a failed sign-in, whatever the reason (unknown, disabled, wrong password).
WRONG_PASSWORD = "wrong e-mail or password for this store; try again, or ask an admin to reset it"

#: Failed sign-ins heard per account and per address within the window before the next is
#: refused unheard: few per account (a guess at one password), more per address (an office
#: behind one gateway mistyping).
SIGN_IN_WINDOW = timedelta(minutes=15)
ACCOUNT_ATTEMPTS = 5
ADDRESS_ATTEMPTS = 20


def _attempted(email: str) -> str:
    return email.strip().lower()[:254]


def throttle(connection: Connection, email: str, address: str) -> None:
    """Raise TooManyAttempts if the account or the address failed too often in the window.

    An attempt refused here is not counted, so the wait ends when the oldest counted failure
    leaves the window.
    """
    now = datetime.now(UTC)
    for whose, limit, key in (
        ("this account", ACCOUNT_ATTEMPTS, {"email": _attempted(email)}),
        ("this address", ADDRESS_ATTEMPTS, {"address": address}),
    ):
        number, oldest = recent_failures(connection, now - SIGN_IN_WINDOW, **key)
        if number >= limit and oldest is not None:
            free = oldest + SIGN_IN_WINDOW
            wait = max(1, int((free - now).total_seconds()) + 1)
            raise TooManyAttempts(
                f"{number} failed sign-ins for {whose} in the last "
                f"{counted(int(SIGN_IN_WINDOW.total_seconds() // 60), 'minute')}; try again after "
                f"{free:%H:%M} UTC (in {-(-wait // 60)} min), or ask an admin to reset the "
                "password",
                retry_after=wait,
            )


def note_failed_sign_in(connection: Connection, email: str, address: str) -> None:
    """Keep one failed sign-in: counted against the account typed and the address it came from
    (``throttle``), and in the audit log (when, from where, which account; never the password).
    """
    typed = _attempted(email)
    record_failure(connection, email=typed, address=address)
    try:
        account: int | None = get_user(connection, typed)["id"]
    except NotFound:
        account = None
    audit_record(
        connection,
        actor=f"unknown at {address}"[:254],
        action="sign-in-failed",
        entity="user",
        entity_id=account,
        detail={"email": typed, "address": address},
    )


def recent_failed_sign_ins(connection: Connection, email: str, within: timedelta) -> int:
    """Return how many sign-ins to the account ``email`` failed within the last ``within``
    (the address compared as ``sign_in`` compares it). The web's login throttling and an
    admin looking into a locked-out user ask this."""
    number, _ = recent_failures(connection, datetime.now(UTC) - within, email=_attempted(email))
    return number


def authenticate(connection: Connection, secret: str) -> User:
    """Return the user a token proves; raise Unauthenticated if unknown, revoked or expired."""
    token = find_token(connection, secret)
    if token is None:
        raise Unauthenticated(
            "the saved login is not known to this store; run `lindung login EMAIL`"
        )
    if token["revoked_at"] is not None:
        raise Unauthenticated(
            f"the login of {token['email']} was revoked; run `lindung login {token['email']}`"
        )
    if token["expires_at"] <= datetime.now(UTC):
        raise Unauthenticated(
            f"the login of {token['email']} expired on {token['expires_at']:%Y-%m-%d %H:%M} UTC; "
            f"run `lindung login {token['email']}`"
        )
    return acting_user(connection, get_user_by_id(connection, token["user_id"])["email"])


def sign_out(connection: Connection, secret: str) -> bool:
    """Revoke the token; return False if the store did not know it or it was already revoked."""
    token = find_token(connection, secret)
    if token is None:
        return False
    return revoke_token(connection, token["id"], actor=token["email"])


def revoke(connection: Connection, token_id: int, *, by: User) -> bool:
    """Revoke any user's token (admins) or one's own; return False if already revoked."""
    token = get_token(connection, token_id)
    if by["role"] != "admin" and token["user_id"] != by["id"]:
        raise PermissionDenied(
            f"{by['email']} cannot revoke another user's token; only an admin can"
        )
    return revoke_token(connection, token_id, actor=by["email"])


def issue_personal_token(
    connection: Connection, user: User, *, label: str, lifetime: timedelta
) -> tuple[int, str]:
    """Issue a signed-in user a token for a machine client; return its id and the secret (shown
    once). The token acts as the user, with the user's role, until it expires or is revoked."""
    acting = acting_user(connection, user["email"])
    return issue_token(
        connection, acting["id"], label=label, lifetime=lifetime, actor=acting["email"]
    )


def tokens_of(connection: Connection, by: User, email: str | None = None) -> list[Token]:
    """Return the tokens of ``by`` (or, for an admin, of the user ``email``, or of everyone
    with ``email`` "*"); raise PermissionDenied when another user asks for someone else's."""
    if email is None or email.lower() == by["email"]:
        return list_tokens(connection, user_id=by["id"])
    require_admin(by, "list another user's tokens")
    if email == "*":
        return list_tokens(connection)
    return list_tokens(connection, user_id=get_user(connection, email)["id"])


def require_admin(user: User | None, action: str) -> User:
    """Return the user if it is an admin; raise (Unauthenticated or PermissionDenied) if not."""
    if user is None:
        raise Unauthenticated(f"only a logged-in admin can {action}; run `lindung login EMAIL`")
    if user["role"] != "admin":
        raise PermissionDenied(
            f"{user['email']} has role {user['role']}; only an admin can {action}"
        )
    return user


def may_act_for(user: User, country: str) -> bool:
    """Return whether the user may submit for ``country`` (own country, or a reviewer)."""
    return user["role"] in REVIEWERS or (
        user["role"] == "focal_point" and user["country"] == country
    )


def may_read_unpublished(user: User | None, country: str) -> bool:
    """Return whether the user may see a country's values not yet published.

    The one rule for every read of drafts, submitted, validated and returned versions:
    reviewers see every country's, a focal point their own country's, nobody else any.
    """
    return user is not None and user["disabled_at"] is None and may_act_for(user, country)


def require_unpublished_access(user: User | None, country: str | None, what: str) -> User:
    """Return the user if ``may_read_unpublished`` allows ``what``; raise saying who may.

    ``country`` None means every country's values (only reviewers may).
    """
    if user is None:
        who = (
            "the secretariat" if country is None else "its country's focal point or the secretariat"
        )
        raise Unauthenticated(f"to {what}, log in as {who}: `lindung login EMAIL`")
    if country is None:
        require_reviewer(user, what)
    elif not may_read_unpublished(user, country):
        raise PermissionDenied(
            f"{user['email']} ({user['role']}) cannot {what}: values not yet published are seen "
            f"only by {country}'s focal point and the secretariat"
        )
    return user


def require_country(user: User, country: str, action: str) -> None:
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


def require_reviewer(user: User, action: str) -> None:
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
    by: User | None = None,
) -> User:
    """Create a user (password kept as an argon2id hash); return it without the hash.

    ``by`` is the admin adding the user; only the first user of an empty store is added by
    nobody (bootstrapping), and that one must be an admin.
    """
    if by is None:
        if count_users(connection):
            raise Unauthenticated(
                "the store already has users; log in as an admin (`lindung login EMAIL`) "
                "to add another"
            )
        if role != "admin":
            raise UsageError(
                "the first user of a store must be an admin (--role admin); the admin then "
                "adds everyone else"
            )
    else:
        require_admin(by, "add users")
    if role not in ROLES:
        raise UsageError(f"unknown role {role!r}; use one of {', '.join(ROLES)}")
    email = canonical_email(email)
    if country is not None:
        country = load_catalogue().member_state(country.upper()).iso3
    if len(password) < MIN_PASSWORD:
        raise UsageError(
            f"the password is shorter than {counted(MIN_PASSWORD, 'character')}; "
            "choose a longer one"
        )
    actor = by["email"] if by is not None else email
    add_user(connection, email=email, role=role, password=password, country=country, actor=actor)
    return get_user(connection, email)
