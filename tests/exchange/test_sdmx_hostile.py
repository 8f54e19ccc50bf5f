"""``lindung import sdmx`` given a hostile or broken file: each is refused with one clear error
naming the file, nothing is stored, and nothing hangs or expands without end.

The oracle for the XML attacks is the attack itself: the entity, if expanded, would put
a billion "lol"s or the secret file's text into the message, and the import would store or
print it; the file checks are the same ``read_bytes`` the template import uses.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine

from lindung.errors import ValidationFailed
from lindung.exchange.sdmx_in import read_message
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
    # The sample's 120 percent for 2021 is refused as the template would refuse it.
    text = (shared_data / SAMPLE).read_text(encoding="utf-8").replace('"826"', '"360"')
    text = text.replace('="120"', '="90"')
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


def _sample(shared_data: Path) -> str:
    return (shared_data / SAMPLE).read_text(encoding="utf-8")


_FLOW = (
    "SDMX-CSV 1.0 starts with a DATAFLOW column (e.g. IAEG-SDGs:SDG(1.8) in each row), "
    "SDMX-CSV 2.0 with STRUCTURE (datastructure) and STRUCTURE_ID (IAEG-SDGs:SDG(1.8)); "
    "download the data again as SDMX-CSV from the SDG Global Database or the registry"
)
_REF = (
    "the header's structure must be IAEG-SDGs:SDG (message:Structure holding "
    '<Ref agencyID="IAEG-SDGs" id="SDG" version="1.8"/>); export it as SDMX-ML 2.1 or SDMX-CSV'
)
_HEADER = re.compile(r"<message:Header>.*?</message:Header>", re.S)
_STRUCTURE = re.compile(r"<message:Structure .*?</message:Structure>", re.S)
_ROW = "360,SI_POV_DAY1,2019,2.7\n"


@pytest.mark.parametrize(
    ("make", "fix"),
    [
        (lambda ml: ml.replace("/schemas/v2_1/", "/schemas/v2_0/"),
         "the file is SDMX-ML 2.0, not 2.1: export it as SDMX-ML 2.1 or SDMX-CSV"),
        (lambda ml: _STRUCTURE.sub("", ml, count=1), "no Dataflow/Structure reference: " + _REF),
        (lambda ml: _HEADER.sub("", ml, count=1), "the message has no Header: " + _REF),
        # Cut after its 20th line: the parser runs out at the start of line 21.
        (lambda ml: "".join(ml.splitlines(keepends=True)[:20]),
         "the XML is not well-formed at line 21, column 0 (the file may be cut short): "
         "download the data again as SDMX-CSV or SDMX-ML"),
        (lambda ml: ml.replace("?>", '?><!DOCTYPE m [<!ENTITY x "y">]>', 1),
         "the file declares XML entities (a DOCTYPE), which Lindung never expands: export it "
         "again without a DOCTYPE, export it as SDMX-ML 2.1 or SDMX-CSV"),
        (lambda ml: "REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE\n" + _ROW,
         "SDMX-CSV header lacks a DATAFLOW/STRUCTURE_ID column: " + _FLOW),
        (lambda ml: "STRUCTURE,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE\ndatastructure," + _ROW,
         "SDMX-CSV header lacks a STRUCTURE_ID column: " + _FLOW),
        (lambda ml: "DATAFLOW;REF_AREA;SERIES;TIME_PERIOD;OBS_VALUE\n"
                    "IAEG-SDGs:SDG(1.8);" + _ROW.replace(",", ";"),
         "the file is separated by ';' but SDMX-CSV by ',': save it as CSV with commas (in "
         "Excel, 'CSV UTF-8 (Comma delimited)'), or download it again as SDMX-CSV"),
        (lambda ml: '{"data": {"dataSets": []}}',
         "the file is SDMX-JSON, which Lindung does not read: export it as SDMX-ML 2.1 or "
         "SDMX-CSV"),
    ],
    ids=["sdmx-ml-2.0", "no-structure-ref", "no-header", "cut-short", "doctype",
         "csv-no-dataflow", "csv2-no-structure-id", "csv-semicolons", "sdmx-json"],
)  # fmt: skip
def test_each_malformed_message_is_refused_with_an_sdmx_specific_fix(
    make: Callable[[str], str], fix: str, shared_data: Path
) -> None:
    text = make(_sample(shared_data))

    with pytest.raises(ValidationFailed) as refused:
        read_message(text, "download.xml")

    said = str(refused.value)
    assert said.startswith("download.xml is not an SDMX-CSV 1.0/2.0 or SDMX-ML 2.1 data message")
    assert said.endswith("; " + fix)


def test_a_structure_message_or_a_dataflow_without_version_says_what_to_download() -> None:
    structures = resources.files("lindung.data.sdmx").joinpath("SDG_dataflow.xml").read_text()
    with pytest.raises(ValidationFailed) as structure:
        read_message(structures, "dsd.xml")
    assert str(structure.value) == (
        "dsd.xml holds no data; the file is an SDMX structure message (codelists, data "
        "structures), not data: download the data as an SDMX-ML 2.1 data message or SDMX-CSV"
    )
    with pytest.raises(ValidationFailed) as flow:
        read_message("DATAFLOW,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE\nSDG," + _ROW, "f.csv")
    assert str(flow.value) == (
        "f.csv: the data's structure reference 'Dataflow=SDG' names no agency, id and "
        "version; " + _FLOW
    )
    # The same file with an agency, id and version is read: the refusals above are the faults.
    read = read_message("DATAFLOW,REF_AREA,SERIES,TIME_PERIOD,OBS_VALUE\nIAEG-SDGs:SDG(1.8),"
                        + _ROW, "f.csv")  # fmt: skip
    assert [(structure, len(rows)) for structure, rows in read] == [("IAEG-SDGs:SDG", 1)]


def test_an_sdmx_ml_2_0_file_is_refused_by_the_cli_with_its_fix_and_nothing_is_stored(
    lindung: Callable[..., Any],
    shared_data: Path,
    tmp_path: Path,
    analyst: str,
    stored: Callable[[], tuple[int, int]],
) -> None:
    path = tmp_path / "download.xml"
    path.write_text(_sample(shared_data).replace("/v2_1/", "/v2_0/"), encoding="utf-8")
    before = stored()

    refused = lindung("import", "sdmx", str(path), "--as", analyst)

    assert refused.exit_code == 5
    said = " ".join(refused.stderr.split())
    assert "the file is SDMX-ML 2.0, not 2.1: export it as SDMX-ML 2.1 or SDMX-CSV" in said
    assert stored() == before
