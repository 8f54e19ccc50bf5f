"""The static files (stylesheet, scripts, map) under ``/static``, with addresses that change
when a file does, so that a browser keeps each one as long as it likes.

Pages name a file through ``asset_url`` (the template global ``static``):
``/static/css/site.css?v=<first 12 hex of the file's SHA-256>``. An answer to that exact
address may be kept for a year without asking again (``immutable``): a changed file has a new
address. Any other request of a static file (no ``v``, or an old one) must be revalidated each
time (``no-cache``, answered 304 while its ETag holds), so nothing stale is ever used.
"""

from __future__ import annotations

import hashlib
from functools import cache
from importlib.resources import files

from fastapi.staticfiles import StaticFiles
from starlette.datastructures import QueryParams
from starlette.responses import Response
from starlette.types import Scope

PREFIX = "/static"
#: The query parameter that carries a file's version.
VERSION_PARAMETER = "v"
#: What the answer to a versioned address may be kept for: a year, never revalidated.
IMMUTABLE = "public, max-age=31536000, immutable"
#: Any other static answer: kept, but revalidated before each use.
REVALIDATE = "no-cache"


@cache
def version_of(path: str) -> str:
    """Return the version of the static file at ``path`` (relative to ``static/``): the
    first 12 hex digits of its SHA-256 (read once per process), or "" when there is no
    such file."""
    parts = path.split("/")
    if ".." in parts:
        return ""
    found = files("lindung.web").joinpath("static", *parts)
    if not found.is_file():
        return ""
    return hashlib.sha256(found.read_bytes()).hexdigest()[:12]


def asset_url(path: str) -> str:
    """Return the address of the static file ``path`` with its version: ``/static/<path>?v=``."""
    return f"{PREFIX}/{path}?{VERSION_PARAMETER}={version_of(path)}"


class VersionedStaticFiles(StaticFiles):
    """Static files answered with the Cache-Control their address allows (module docstring)."""

    async def get_response(self, path: str, scope: Scope) -> Response:
        """Return the file at ``path``, long-lived when asked for by its current version."""
        response = await super().get_response(path, scope)
        if response.status_code in (200, 304):
            asked = QueryParams(scope.get("query_string", b"")).get(VERSION_PARAMETER)
            current = version_of(path.replace("\\", "/"))
            fresh = bool(current) and asked == current
            response.headers["Cache-Control"] = IMMUTABLE if fresh else REVALIDATE
        return response
