"""The store keeps passwords as argon2id hashes at RFC 9106's low-memory cost (three passes over
64 MiB on four lanes), whatever cheaper hasher the rest of the suite runs with
(tests/conftest.py's ``cheap_password_hashing``).

Oracle: argon2-cffi's own profile ``RFC_9106_LOW_MEMORY`` and its parameter reader, applied to
the hash as the store holds it.
"""

from __future__ import annotations

import pytest
from argon2 import extract_parameters
from argon2.profiles import RFC_9106_LOW_MEMORY
from sqlalchemy import Engine, select

from lindung.store import transaction
from lindung.store.schema import users
from lindung.store.users import add_user, verify_password

pytestmark = pytest.mark.usefixtures("shipped_password_hashing")


def test_a_password_is_stored_as_an_argon2id_hash_at_the_rfc_9106_low_memory_cost(
    engine: Engine,
) -> None:
    with transaction(engine) as connection:
        add_user(connection, email="a@example.org", role="admin", password="a-long-password")
        stored = connection.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$")
    assert "a-long-password" not in stored
    assert extract_parameters(stored) == RFC_9106_LOW_MEMORY


def test_the_stored_hash_accepts_its_password_and_refuses_any_other(engine: Engine) -> None:
    with transaction(engine) as connection:
        add_user(connection, email="a@example.org", role="admin", password="a-long-password")
        assert verify_password(connection, "A@example.org", "a-long-password")
        assert not verify_password(connection, "a@example.org", "a-long-passwore")
        assert not verify_password(connection, "b@example.org", "a-long-password")
