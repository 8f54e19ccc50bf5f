"""Reading a catalogue from YAML: every file, every entry, every problem reported at once.

A catalogue is one YAML file or a directory of them. Each file is a mapping whose keys are
sections: ``version``, ``pillars``, ``codelists``, ``member_states``, ``aggregates``,
``agency_codes`` and ``indicators``. A custom catalogue that leaves out the reference sections
(pillars, codelists, member states, aggregates, agency codes) takes them from the shipped
catalogue.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml
from pydantic import BaseModel, ValidationError

from lindung.errors import CatalogueInvalid
from lindung.framework.catalogue import Catalogue
from lindung.framework.checks import Located, cross_check
from lindung.framework.crosswalk_checks import agency_checks, crosswalk_keys
from lindung.framework.models import (
    AgencyCodes,
    Aggregate,
    Codelist,
    Indicator,
    MemberState,
    Pillar,
)
from lindung.yaml_text import load_yaml

DEFAULT_CATALOGUE = Path(__file__).parent / "catalogue"

ENTRY_MODELS: dict[str, type[BaseModel]] = {
    "pillars": Pillar,
    "codelists": Codelist,
    "member_states": MemberState,
    "aggregates": Aggregate,
    "agency_codes": AgencyCodes,
    "indicators": Indicator,
}
REFERENCE_SECTIONS = ("pillars", "codelists", "member_states", "aggregates", "agency_codes")
SECTIONS = ("version", *ENTRY_MODELS)
VERSION_PATTERN = re.compile(r"^\d+\.\d+\.\d+$")


@dataclass
class RawCatalogue:
    """The sections read from YAML before validation, each entry with the file it came from."""

    versions: list[tuple[str, Any]] = field(default_factory=list)
    entries: dict[str, list[tuple[str, int, Any]]] = field(
        default_factory=lambda: {name: [] for name in ENTRY_MODELS}
    )
    present: set[str] = field(default_factory=set)
    problems: list[str] = field(default_factory=list)


def _catalogue_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml") and p.is_file())
    if path.is_file():
        return [path]
    raise CatalogueInvalid([f"{path}: (path): -: no such file or directory"])


def _read_file(file: Path, label: str, raw: RawCatalogue) -> None:
    try:
        document = load_yaml(file.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "line 0"
        raw.problems.append(f"{label}: {where}: yaml: {error.problem or error}")
        return
    except (yaml.YAMLError, UnicodeDecodeError) as error:
        raw.problems.append(f"{label}: (file): yaml: {error}")
        return
    if document is None:
        return
    if not isinstance(document, dict):
        kind = type(document).__name__
        raw.problems.append(f"{label}: (file): -: expected a mapping of sections, got {kind}")
        return
    for key, value in document.items():
        if key not in SECTIONS:
            expected = ", ".join(SECTIONS)
            message = f"unknown section; expected one of {expected}"
            raw.problems.append(f"{label}: (file): {key}: {message}")
        elif key == "version":
            raw.versions.append((label, value))
        elif not isinstance(value, list):
            raw.problems.append(f"{label}: (file): {key}: expected a list of entries")
        else:
            raw.present.add(key)
            raw.entries[key].extend((label, index, entry) for index, entry in enumerate(value))


def read_catalogue(path: Path) -> RawCatalogue:
    """Read every YAML file under ``path`` into sections, noting syntax and layout problems."""
    raw = RawCatalogue()
    root = path if path.is_dir() else path.parent
    for file in _catalogue_files(path):
        _read_file(file, file.relative_to(root).as_posix(), raw)
    return raw


def _key(section: str, entry: Any) -> str | None:
    """Return the code that identifies an entry (code, iso3 or name), if it has one."""
    field = {"member_states": "iso3", "codelists": "name", "agency_codes": "agency"}.get(
        section, "code"
    )
    value = entry.get(field) if isinstance(entry, dict) else None
    return value if isinstance(value, str) else None


def _entry_label(section: str, index: int, entry: Any) -> str:
    return _key(section, entry) or f"{section} item {index + 1}"


def _declared(raw: RawCatalogue) -> dict[str, set[str]]:
    """Return the codes every section declares, whether or not its entries validate."""
    declared: dict[str, set[str]] = {}
    for section, entries in raw.entries.items():
        keys = (_key(section, entry) for _, _, entry in entries)
        declared[section] = {key for key in keys if key is not None}
    return declared


def _message(error: Any) -> str:
    message = str(error["msg"])
    return message.removeprefix("Value error, ")


def _validate_entries(raw: RawCatalogue) -> tuple[dict[str, list[Located[Any]]], list[str]]:
    problems: list[str] = []
    validated: dict[str, list[Located[Any]]] = {name: [] for name in ENTRY_MODELS}
    for section, model in ENTRY_MODELS.items():
        for file, index, entry in raw.entries[section]:
            label = _entry_label(section, index, entry)
            try:
                validated[section].append(Located(file, label, model.model_validate(entry)))
            except ValidationError as error:
                for detail in error.errors():
                    where = ".".join(str(part) for part in detail["loc"]) or "-"
                    problems.append(f"{file}: {label}: {where}: {_message(detail)}")
    return validated, problems


def _version(raw: RawCatalogue) -> tuple[str, list[str]]:
    if not raw.versions:
        return "", ["(catalogue): (file): version: missing; add `version: 1.0.0` to one file"]
    problems = [
        f"{file}: (file): version: defined again (first in {raw.versions[0][0]})"
        for file, _ in raw.versions[1:]
    ]
    file, value = raw.versions[0]
    if not isinstance(value, str) or not VERSION_PATTERN.match(value):
        problems.append(f"{file}: (file): version: {value!r} is not a version like '1.0.0'")
        return "", problems
    return value, problems


def build_catalogue(raw: RawCatalogue) -> Catalogue:
    """Validate the sections read and assemble a catalogue; CatalogueInvalid lists every problem."""
    version, problems = _version(raw)
    validated, entry_problems = _validate_entries(raw)
    problems = raw.problems + problems + entry_problems
    problems += cross_check(
        validated["indicators"],
        validated["pillars"],
        validated["codelists"],
        validated["member_states"],
        validated["aggregates"],
        _declared(raw),
    )
    problems += agency_checks(validated["agency_codes"], validated["codelists"])
    problems += crosswalk_keys(validated["indicators"], validated["agency_codes"])
    if problems:
        raise CatalogueInvalid(problems)
    return Catalogue(
        version=version,
        pillars=[item.value for item in validated["pillars"]],
        indicators=[item.value for item in validated["indicators"]],
        codelists={item.value.name: item.value for item in validated["codelists"]},
        member_states=[item.value for item in validated["member_states"]],
        aggregates=[item.value for item in validated["aggregates"]],
        agency_codes=[item.value for item in validated["agency_codes"]],
    )


@functools.cache
def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Return the catalogue at ``path`` (a YAML file or directory), or the shipped default.

    Sections a custom catalogue leaves out (pillars, codelists, member states, aggregates,
    agency codes) come from the shipped catalogue. Nothing is returned unless everything validates.
    """
    raw = read_catalogue(DEFAULT_CATALOGUE if path is None else Path(path))
    missing = [section for section in REFERENCE_SECTIONS if section not in raw.present]
    if path is not None and missing:
        shipped = read_catalogue(DEFAULT_CATALOGUE)
        for section in missing:
            raw.entries[section] = shipped.entries[section]
    return build_catalogue(raw)


def _shipped(section: str) -> list[Any]:
    """Return the validated entries of one reference section of the shipped catalogue, read
    from its own file only (``<section>.yaml``)."""
    raw = read_catalogue(DEFAULT_CATALOGUE / f"{section}.yaml")
    if raw.problems:
        raise CatalogueInvalid(raw.problems)
    model = ENTRY_MODELS[section]
    return [model.model_validate(entry) for _, _, entry in raw.entries[section]]


@functools.cache
def shipped_member_states() -> list[MemberState]:
    """Return the shipped catalogue's member states, read from their own file only: checking a
    country code (a survey spec's) need not read and validate every indicator (a thirtieth
    of a second, a good part of a small survey's whole run)."""
    states: list[MemberState] = _shipped("member_states")
    return states


@functools.cache
def shipped_codelists() -> dict[str, Codelist]:
    """Return the shipped catalogue's codelists by name, read from their own file only (as
    :func:`shipped_member_states`)."""
    return {codelist.name: codelist for codelist in _shipped("codelists")}
