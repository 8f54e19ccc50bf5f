"""Re-vendor the web's offline assets from the npm registry, at the pinned versions below.

    python scripts/vendor_assets.py          # fetch; write the files and each PROVENANCE.json
    python scripts/vendor_assets.py --check  # fetch; fail unless the committed files are identical

Each package is fetched with ``npm pack NAME@VERSION`` into a temporary folder (no CDN, no
``node_modules``); the tarball's sha512 must equal the integrity the registry reports, and with
``--check`` also the one recorded in PROVENANCE.json. Only the minified browser builds and each
licence text are kept. The ASEAN map is world-atlas's ``countries-50m.json`` reduced to the
eleven member states, whose M49 codes come from the framework's catalogue.
Run it with Lindung importable (``make`` puts it in ``.venv``; from a checkout, ``PYTHONPATH=src``).
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import io
import json
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lindung.framework import load_catalogue

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "src" / "lindung" / "web" / "static"
VENDOR = STATIC / "vendor"
MAP = STATIC / "map"
TEST_VENDOR = ROOT / "tests" / "web" / "vendor"
MANIFEST = "PROVENANCE.json"
#: Files a vendored folder may hold besides what its PROVENANCE.json lists.
UNLISTED = frozenset({MANIFEST, "README.md"})

Transform = Callable[[bytes], bytes]


@dataclass(frozen=True)
class Package:
    """One npm package to vendor: which files of its tarball go where, under which licence."""

    name: str
    version: str
    folder: Path
    licence: str  # the SPDX name the package.json must declare
    files: dict[str, str]  # path inside the tarball's package/ -> file name in the folder
    licence_text: str = "LICENSE"  # path inside package/ of the licence to ship beside the files
    why: str = ""
    transform: Transform | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def licence_file(self) -> str:
        return f"{self.name}.LICENSE.txt"


def asean_countries(raw: bytes) -> bytes:
    """Keep the member states of world-atlas's TopoJSON, quantised as it is, with only their arcs.

    Geometries are picked by M49 id (three digits, leading zeros: "096" is Brunei); the arcs they
    use are kept whole (each quantised arc starts from an absolute position, so dropping others
    leaves them valid) and renumbered, ``~i`` marking a reversed arc as in the TopoJSON spec.
    Each geometry gets the member's ISO3 code as ``properties.iso3``, which is what the store uses.
    """
    topology = json.loads(raw)
    by_m49 = {f"{state.m49:03d}": state.iso3 for state in load_catalogue().member_states}
    countries = topology["objects"]["countries"]["geometries"]
    geometries = [g for g in countries if g.get("id") in by_m49]
    found = {g["id"] for g in geometries}
    if found != set(by_m49):
        missing = ", ".join(sorted(set(by_m49) - found))
        raise SystemExit(f"countries-50m.json has no geometry for M49 {missing}")
    renumbered: dict[int, int] = {}

    def keep(index: int) -> int:
        arc = index if index >= 0 else ~index
        new = renumbered.setdefault(arc, len(renumbered))
        return new if index >= 0 else ~new

    def rings(nested: Any) -> Any:
        return keep(nested) if isinstance(nested, int) else [rings(item) for item in nested]

    kept = []
    for geometry in sorted(geometries, key=lambda g: by_m49[g["id"]]):
        properties = {"name": geometry["properties"]["name"], "iso3": by_m49[geometry["id"]]}
        kept.append(
            {
                "type": geometry["type"],
                "id": geometry["id"],
                "properties": properties,
                "arcs": rings(geometry["arcs"]),
            }
        )
    arcs = [topology["arcs"][old] for old in sorted(renumbered, key=renumbered.__getitem__)]
    reduced = {
        "type": "Topology",
        "bbox": _bbox(arcs, topology["transform"]),
        "transform": topology["transform"],
        "objects": {"countries": {"type": "GeometryCollection", "geometries": kept}},
        "arcs": arcs,
    }
    return json.dumps(reduced, separators=(",", ":")).encode() + b"\n"


def _bbox(arcs: list[list[list[int]]], transform: dict[str, list[float]]) -> list[float]:
    """Return [west, south, east, north] of delta-encoded quantised arcs, in degrees."""
    xs: list[int] = []
    ys: list[int] = []
    for arc in arcs:
        x = y = 0
        for dx, dy in arc:
            x, y = x + dx, y + dy
            xs.append(x)
            ys.append(y)
    (kx, ky), (tx, ty) = transform["scale"], transform["translate"]
    return [min(xs) * kx + tx, min(ys) * ky + ty, max(xs) * kx + tx, max(ys) * ky + ty]


PACKAGES = [
    Package(
        "vega",
        "6.2.0",
        VENDOR,
        "BSD-3-Clause",
        {"build/vega.min.js": "vega.min.js"},
        why="the version vl-convert bundles, so browser charts and PDF reports draw alike",
    ),
    Package(
        "vega-lite",
        "6.4.1",
        VENDOR,
        "BSD-3-Clause",
        {"build/vega-lite.min.js": "vega-lite.min.js"},
        why="the version vl-convert bundles",
    ),
    Package(
        "vega-embed",
        "7.0.2",
        VENDOR,
        "BSD-3-Clause",
        {"build/vega-embed.min.js": "vega-embed.min.js"},
        why="the version vl-convert bundles",
    ),
    Package(
        "vega-interpreter",
        "2.3.0",
        VENDOR,
        "BSD-3-Clause",
        {"build/vega-interpreter.min.js": "vega-interpreter.min.js"},
        why=(
            "the newest release whose vega-util range (^2.1.0) holds the vega-util 2.1.0 built "
            "into vega 6.2.0, and the last with a browser build: it sets "
            "vega.expressionInterpreter, which vega-embed uses with ast: true. It refuses "
            "Function, eval and timers as values (2.2.1 and later); 2.3.1+ needs vega-util "
            "^2.1.3 and ships ES modules only"
        ),
    ),
    Package(
        "htmx.org",
        "2.0.8",
        VENDOR,
        "0BSD",
        {"dist/htmx.min.js": "htmx.min.js"},
        why=(
            "the latest 2.0.x: 2.0 is the stable line the extensions, documentation and examples "
            "are written for; 4.x is a new major (fetch-based, renamed events, error responses "
            "swapped by default) that the pages would have to be written against from the start. "
            "One major only, never both"
        ),
    ),
    Package(
        "world-atlas",
        "2.0.2",
        MAP,
        "ISC",
        {"countries-50m.json": "asean-countries-50m.json"},
        why=(
            "Natural Earth 1:50m admin-0 countries as TopoJSON; the 1:110m file lacks Singapore "
            "(702)"
        ),
        transform=asean_countries,
        notes=[
            "objects.countries reduced to the eleven member states by M49 id (from "
            "src/lindung/framework/catalogue/member_states.yaml), properties.iso3 added, "
            "unused arcs dropped, bbox recomputed; the quantisation (transform) is kept",
            "Natural Earth data is in the public domain; world-atlas is ISC",
        ],
    ),
    Package(
        "axe-core",
        "4.14.1",
        TEST_VENDOR,
        "MPL-2.0",
        {"axe.min.js": "axe.min.js"},
        why="accessibility checks in the browser tests only; never served by the web app",
    ),
]


def integrity(tarball: bytes) -> str:
    """Return the npm/Subresource Integrity string ``sha512-<base64>`` of ``tarball``."""
    return "sha512-" + base64.b64encode(hashlib.sha512(tarball).digest()).decode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fetch(package: Package, workdir: Path) -> tuple[dict[str, Any], dict[str, bytes]]:
    """Fetch ``package`` with ``npm pack``; return its PROVENANCE entry and the files to write."""
    spec = f"{package.name}@{package.version}"
    out = subprocess.run(
        ["npm", "pack", spec, "--json", "--pack-destination", str(workdir)],
        capture_output=True,
        check=True,
        text=True,
        cwd=workdir,
    )
    packed = json.loads(out.stdout)[0]
    tarball = (workdir / packed["filename"]).read_bytes()
    if integrity(tarball) != packed["integrity"]:
        raise SystemExit(f"{spec}: the tarball's sha512 is not the integrity npm reported")
    with tarfile.open(fileobj=io.BytesIO(tarball)) as archive:

        def member(path: str) -> bytes:
            extracted = archive.extractfile(f"package/{path}")
            if extracted is None:
                raise SystemExit(f"{spec}: package/{path} is not a file")
            return extracted.read()

        declared = json.loads(member("package.json"))["license"]
        if declared != package.licence:
            raise SystemExit(f"{spec} declares licence {declared}, not {package.licence}")
        files = {name: member(path) for path, name in package.files.items()}
        licence_text = member(package.licence_text)
    if package.transform is not None:
        files = {name: package.transform(data) for name, data in files.items()}
    files[package.licence_file] = licence_text
    sources = {name: f"package/{path}" for path, name in package.files.items()}
    sources[package.licence_file] = f"package/{package.licence_text}"
    hashed = {name: sha256(data) for name, data in files.items()}
    entry = {
        "name": package.name,
        "version": package.version,
        "tarball": f"https://registry.npmjs.org/{package.name}/-/{packed['filename']}",
        "integrity": packed["integrity"],
        "licence": package.licence,
        "licence_file": package.licence_file,
        "why": package.why,
        "files": {name: {"from": path, "sha256": hashed[name]} for name, path in sources.items()},
    }
    if package.notes:
        entry["notes"] = package.notes
    return entry, files


def manifest_text(entries: list[dict[str, Any]]) -> str:
    document = {"generated_by": "scripts/vendor_assets.py", "packages": entries}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="verify instead of writing")
    check = parser.parse_args(argv).check
    folders: dict[Path, list[dict[str, Any]]] = {}
    outputs: dict[Path, bytes] = {}
    with tempfile.TemporaryDirectory() as workdir:
        for package in PACKAGES:
            entry, files = fetch(package, Path(workdir))
            folders.setdefault(package.folder, []).append(entry)
            outputs |= {package.folder / name: data for name, data in files.items()}
    for folder, entries in folders.items():
        outputs[folder / MANIFEST] = manifest_text(entries).encode()
    if check:
        differ = [p for p, data in outputs.items() if not p.exists() or p.read_bytes() != data]
        for path in differ:
            print(f"differs from npm: {path.relative_to(ROOT)}", file=sys.stderr)
        return 1 if differ else 0
    for path, data in outputs.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        print(f"wrote {path.relative_to(ROOT)} ({len(data):,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
