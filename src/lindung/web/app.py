"""The ASGI application: pages, the API under ``/api/v1``, static files, and their guards."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib.resources import files

from fastapi import Depends, FastAPI
from sqlalchemy import Engine
from starlette.middleware.gzip import GZipMiddleware

from lindung.settings import IMPORT_MAX_FILE_BYTES, SESSION_LIFETIME_HOURS
from lindung.store import make_engine
from lindung.store.observations import PublicationStamps
from lindung.web import api, failures, pages
from lindung.web.api import schema
from lindung.web.assets import PREFIX, VersionedStaticFiles
from lindung.web.config import secret_key
from lindung.web.deps import Site, csrf_protected, plain_parameters, visitor
from lindung.web.fastpath import PublishedAnswers
from lindung.web.guards import BodyLimit, SecurityHeaders
from lindung.web.locale import ChooseLanguage

#: Room for a multipart envelope around the largest file an import accepts.
ENVELOPE_BYTES = 64 * 1024
#: Store connections a server process keeps: as many as the requests it usually serves at once
#: (the same fifteen at most that the pool allowed before, without closing any under load).
CONNECTIONS = 15
#: Answers under this many bytes go uncompressed; the rest at zlib's default level.
GZIP_MINIMUM = 1024
GZIP_LEVEL = 6


def create_app(database_url: str | None = None, *, engine: Engine | None = None) -> FastAPI:
    """Return the web application on the store at ``database_url`` (default: the setting)."""
    store = engine if engine is not None else make_engine(database_url, connections=CONNECTIONS)
    stamps = PublicationStamps(store)

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        yield
        stamps.close()
        if engine is None:
            store.dispose()

    app = FastAPI(
        title="Lindung API",
        summary="The ASEAN Social Protection Monitoring Framework: indicators, data, assessment.",
        version="1",
        openapi_url="/api/v1/openapi.json",
        docs_url=None,
        redoc_url=None,
        lifespan=lifespan,
        # Every route knows who asks (a bad bearer token is refused everywhere), and every
        # state-changing browser request carries its CSRF token.
        dependencies=[Depends(plain_parameters), Depends(visitor), Depends(csrf_protected)],
    )
    app.state.site = Site(
        engine=store, secret=secret_key(), session_hours=SESSION_LIFETIME_HOURS.value()
    )
    failures.install(app)
    schema.install(app)
    app.include_router(api.router)
    # The schema documents the API only: the HTML pages are not part of its contract.
    app.include_router(pages.router, include_in_schema=False)
    static = files("lindung.web") / "static"
    app.mount(PREFIX, VersionedStaticFiles(directory=str(static)), name="static")
    # Compressed answers: the vendored charting scripts are a quarter of their size on the wire
    # (tests/web/browser/test_page_weight.py). Level 6, zlib's default, not Starlette's 9: as
    # small within half a per cent, in less CPU (vega.min.js: 177 KB either way, 14 ms, not 17).
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM, compresslevel=GZIP_LEVEL)
    app.add_middleware(BodyLimit, limit=IMPORT_MAX_FILE_BYTES.value() + ENVELOPE_BYTES)
    # Outside the body limit, so that a page refused as too large is in the visitor's language.
    app.add_middleware(ChooseLanguage)
    app.add_middleware(SecurityHeaders)
    # In front of all: an anonymous GET of a published page answered from the bytes the stack
    # above made for the same request, while nothing is published (``web.fastpath``).
    app.add_middleware(
        PublishedAnswers,
        stamps=stamps,
        secret=app.state.site.secret,
        minimum_size=GZIP_MINIMUM,
        compresslevel=GZIP_LEVEL,
    )
    return app
