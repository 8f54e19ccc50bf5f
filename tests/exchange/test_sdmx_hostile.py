"""``lindung import sdmx`` given a hostile or broken file: each is refused with one clear error
naming the file, nothing is stored, and nothing hangs or expands without end.

The oracle for the XML attacks is the attack itself: the entity, if expanded, would put
a billion "lol"s or the secret file's text into the message, and the import would store or
print it; the file checks are the same ``read_bytes`` the template import uses.
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from lindung.store import count, list_submissions, transaction

SECRETARIAT = "analyst@asean.org"
SAMPLE = "sdmx/sdg-build_sample_structure-specific_1-1-1--structure-specific.xml"
#: The sample's message id; an entity reference in its place is parsed before any data.
MESSAGE_ID = "<message:ID>IREF1653746846574</message:ID>"

#: Ten "lol"s in each of nine nested entities: 10**9 of them, about 3 GB, if expanded.
BILLION_LAUGHS = (
    '<!DOCTYPE message:StructureSpecificData [<!ENTITY lol0 "lol">'
    + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
    + "]>"
)


@pytest.fixture
def analyst(engine: Engine, sign_up: Callable[..., None]) -> str:
    """Return the secretariat analyst of a fresh store (``engine`` creates it)."""
    sign_up({SECRETARIAT: ("secretariat", None)})
    return SECRETARIAT


@pytest.fixture
def stored(engine: Engine, analyst: str) -> Callable[[], tuple[int, int]]:
    """Return a function giving what the store holds: observations and submissions."""

    def held() -> tuple[int, int]:
        with transaction(engine) as connection:
            return count(connection), len(list_submissions(connection))

    return held


def _with_entity(shared_data: Path, tmp_path: Path, doctype: str, reference: str) -> Path:
    """Return the UN sample for Indonesia with ``doctype`` declared and ``reference`` used
    as its message id and as an area code."""
    text = (shared_data / SAMPLE).read_text(encoding="utf-8").replace('"826"', '"360"')
    declaration, body = text.split("?>", 1)
    body = body.replace(MESSAGE_ID, f"<message:ID>{reference}</message:ID>", 1)
    path = tmp_path / "download.xml"
    path.write_text(f"{declaration}?>{doctype}{body}", encoding="utf-8")
    return path


def test_the_untouched_sample_imports_so_the_refusals_below_are_the_attacks(
    lindung: Callable[..., Any], shared_data: Path, tmp_path: Path, analyst: str
) -> None:
    path = _with_entity(shared_data, tmp_path, "", "IREF1653746846574")

    assert lindung("import", "sdmx", str(path), "--as", analyst).exit_code == 0


def test_a_billion_laughs_is_refused_at_once_and_the_store_is_unchanged(
    lindung: Callable[..., Any],
    shared_data: Path,
    tmp_path: Path,
    analyst: str,
    stored: Callable[[], tuple[int, int]],
) -> None:
    path = _with_entity(shared_data, tmp_path, BILLION_LAUGHS, "&lol9;")
    before = stored()
    started = time.monotonic()

    refused = lindung("import", "sdmx", str(path), "--as", analyst)

    assert time.monotonic() - started < 10
    assert refused.exit_code == 5
    assert "download.xml is not an SDMX-CSV 1.0/2.0 or SDMX-ML 2.1" in refused.stderr
    assert "entities are disabled" in refused.stderr
    assert "lollol" not in refused.stdout + refused.stderr
    assert stored() == before


def test_an_external_entity_naming_a_local_file_is_not_read_and_the_store_is_unchanged(
    lindung: Callable[..., Any],
    shared_data: Path,
    tmp_path: Path,
    analyst: str,
    stored: Callable[[], tuple[int, int]],
) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-360", encoding="utf-8")
    doctype = f'<!DOCTYPE m [<!ENTITY x SYSTEM "{secret.as_uri()}">]>'
    path = _with_entity(shared_data, tmp_path, doctype, "&x;")
    before = stored()

    refused = lindung("import", "sdmx", str(path), "--as", analyst)

    assert refused.exit_code == 5
    assert "entities are disabled" in refused.stderr
    assert "TOP-SECRET" not in refused.stdout + refused.stderr
    assert stored() == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    lindung: Callable[..., Any],
    shared_data: Path,
    tmp_path: Path,
    analyst: str,
    stored: Callable[[], tuple[int, int]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = _with_entity(shared_data, tmp_path, "", "IREF1653746846574")
    monkeypatch.setenv("LINDUNG_IMPORT_MAX_FILE_BYTES", str(path.stat().st_size - 1))
    before = stored()

    refused = lindung("import", "sdmx", str(path), "--as", analyst)

    assert refused.exit_code == 5
    assert "download.xml: the file is" in refused.stderr and "the limit is" in refused.stderr
    assert stored() == before


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="FIFOs are a POSIX thing")
@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda path: os.mkfifo(path), "a pipe (FIFO)"),
        (lambda path: path.symlink_to("/dev/zero"), "a device"),
    ],
    ids=["fifo", "symlink-to-dev-zero"],
)
def test_a_pipe_or_a_device_is_refused_without_reading_it(
    lindung: Callable[..., Any],
    tmp_path: Path,
    analyst: str,
    stored: Callable[[], tuple[int, int]],
    make: Callable[[Path], None],
    kind: str,
) -> None:
    # Read through, a FIFO with no writer blocks for ever and /dev/zero never ends.
    path = tmp_path / "download.xml"
    make(path)
    before = stored()

    refused = lindung("import", "sdmx", str(path), "--as", analyst)

    assert refused.exit_code == 5
    assert f"'download.xml' is {kind}, not a regular file" in refused.stderr
    assert stored() == before


def test_a_truncated_message_is_refused_and_the_store_is_unchanged(
    lindung: Callable[..., Any],
    shared_data: Path,
    tmp_path: Path,
    analyst: str,
    stored: Callable[[], tuple[int, int]],
) -> None:
    whole = _with_entity(shared_data, tmp_path, "", "IREF1653746846574").read_bytes()
    path = tmp_path / "download.xml"
    path.write_bytes(whole[: len(whole) * 2 // 3])
    before = stored()

    refused = lindung("import", "sdmx", str(path), "--as", analyst)

    assert refused.exit_code == 5
    assert "download.xml is not an SDMX-CSV 1.0/2.0 or SDMX-ML 2.1 data message" in refused.stderr
    assert stored() == before
