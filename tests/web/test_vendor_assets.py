"""The web's offline assets are exactly what PROVENANCE.json says npm gave us, with their licences.

`scripts/vendor_assets.py` writes them; `scripts/vendor_assets.py --check` re-fetches from npm and
compares (it needs the network, so it is not run here). These tests check what is committed.
"""

from __future__ import annotations

import gzip
import hashlib
import json
from pathlib import Path
from typing import Any

import pytest

from lindung.framework import load_catalogue

ROOT = Path(__file__).resolve().parents[2]
STATIC = ROOT / "src" / "lindung" / "web" / "static"
FOLDERS = [STATIC / "vendor", STATIC / "map", ROOT / "tests" / "web" / "vendor"]
UNLISTED = {"PROVENANCE.json", "README.md"}
MAP = STATIC / "map" / "asean-countries-50m.json"
# The pins issue 11 names: vega, vega-lite and vega-embed as vl-convert bundles them.
PINNED = {
    "vega": "6.2.0",
    "vega-lite": "6.4.1",
    "vega-embed": "7.0.2",
    "vega-interpreter": "2.3.0",
    "htmx.org": "2.0.8",
    "world-atlas": "2.0.2",
    "axe-core": "4.14.1",
}
# A phrase each licence's own text holds, so a licence file cannot be a different licence.
LICENCE_WORDS = {
    "BSD-3-Clause": "Neither the name of the copyright holder nor the names of its contributors",
    "0BSD": "Permission to use, copy, modify, and/or distribute this software for any purpose",
    "ISC": "Permission to use, copy, modify, and/or distribute this software for any purpose",
    "MPL-2.0": "Mozilla Public License, version 2.0",
}


def provenance(folder: Path) -> list[dict[str, Any]]:
    packages: list[dict[str, Any]] = json.loads((folder / "PROVENANCE.json").read_text())[
        "packages"
    ]
    return packages


def listed_files(folder: Path) -> dict[str, str]:
    return {
        name: file["sha256"]
        for package in provenance(folder)
        for name, file in package["files"].items()
    }


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_every_vendored_file_has_the_sha256_its_provenance_records(folder: Path) -> None:
    for name, expected in listed_files(folder).items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == expected, name


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_no_vendored_folder_holds_a_file_its_provenance_does_not_list(folder: Path) -> None:
    present = {path.name for path in folder.iterdir()} - UNLISTED
    assert present == set(listed_files(folder))


@pytest.mark.parametrize("folder", FOLDERS, ids=lambda folder: folder.name)
def test_each_package_ships_its_licence_text_and_names_its_npm_tarball(folder: Path) -> None:
    for package in provenance(folder):
        licence = folder / package["licence_file"]
        assert licence.name in package["files"]
        assert LICENCE_WORDS[package["licence"]] in " ".join(licence.read_text().split())
        assert package["tarball"] == (
            f"https://registry.npmjs.org/{package['name']}/-/"
            f"{package['name'].split('/')[-1]}-{package['version']}.tgz"
        )
        assert package["integrity"].startswith("sha512-")
        assert package["why"]


def test_the_versions_are_the_pinned_ones_and_only_one_htmx() -> None:
    versions = {p["name"]: p["version"] for folder in FOLDERS for p in provenance(folder)}
    assert versions == PINNED
    assert [name for name in versions if "htmx" in name] == ["htmx.org"]


def test_axe_core_is_vendored_for_the_tests_only_not_served() -> None:
    served = {path.name for path in STATIC.rglob("*")}
    assert not any(name.startswith("axe") for name in served)


def member_m49() -> dict[str, str]:
    return {f"{state.m49:03d}": state.iso3 for state in load_catalogue().member_states}


def test_the_map_holds_exactly_the_eleven_member_states_by_m49_with_their_iso3() -> None:
    topology = json.loads(MAP.read_text())
    geometries = topology["objects"]["countries"]["geometries"]
    assert {g["id"]: g["properties"]["iso3"] for g in geometries} == member_m49()
    assert len(geometries) == 11
    # Leading zeros kept: Brunei is "096", not "96".
    assert "096" in {g["id"] for g in geometries}


def test_every_member_state_on_the_map_has_polygons_made_of_arcs_the_file_holds() -> None:
    topology = json.loads(MAP.read_text())
    arc_count = len(topology["arcs"])
    used: set[int] = set()

    def walk(nested: Any) -> None:
        if isinstance(nested, int):
            used.add(nested if nested >= 0 else ~nested)
        else:
            assert nested, "an empty ring or polygon"
            for item in nested:
                walk(item)

    for geometry in topology["objects"]["countries"]["geometries"]:
        assert geometry["type"] in {"Polygon", "MultiPolygon"}, geometry["id"]
        walk(geometry["arcs"])
    assert used == set(range(arc_count)), "every arc used, none missing"
    assert set(topology["transform"]) == {"scale", "translate"}, "still quantised"
    west, south, east, north = topology["bbox"]
    # Southeast Asia: Myanmar's west coast to Timor-Leste and the Philippines, Indonesia to Myanmar.
    assert 90 < west < 95 and 125 < east < 142 and -12 < south < -8 and 27 < north < 30


def test_the_map_stays_small_enough_for_a_slow_link() -> None:
    raw = MAP.read_bytes()
    assert len(raw) < 80_000  # 68,402 bytes when vendored
    assert len(gzip.compress(raw, 9)) < 25_000  # 22,092 bytes on the wire
