"""The published answers' fast path: an anonymous GET of a published page or of a page of
observations answered from the bytes made for the same request before, below FastAPI.

Most of what a published page costs once its values are kept (``web.published``) is the
machinery around it: routing, dependency resolution, the middleware stack, rendering or
serialising, compressing; about 3 ms of CPU an answer, where the answer itself is the same
bytes as last time. This ASGI middleware, in front of everything else, keeps the whole answer
of an anonymous GET to the addresses ``PUBLISHED`` names, as the full stack made it (its
status, headers, body; and its gzip form, compressed once), under the request's address,
host, scheme and the headers and cookie the answer depends on (Accept, Accept-Language, the
language cookie); and answers the same request again from those bytes while the store's
publication stamp (``store.observations.publication_stamp``) is unchanged. An ETag sent back
in ``If-None-Match`` gets the full stack's 304.

What it never does:

- answer a signed-in visitor or a machine client from what it keeps: any request with an
  ``Authorization`` header or a session cookie goes to the full stack, which knows who asks
  (and refuses a bad bearer token, 401); so does any method but GET, and a GET with a body;
- keep an answer that is not a 200, or that sets a cookie other than the CSRF and language
  cookies (such a request is then sent straight to the full stack till the next publication,
  instead of being made twice); or keep anything over a publication: every answer reads the
  stamp first, in one small query, so the next request after a publication (in any process)
  sees it;
- share a visitor's CSRF token: a page kept holds the token of nobody. The page is kept split
  at the token the full stack made for it; each answer puts in the visitor's own (their valid
  CSRF cookie, else a new one, set as the cookie), exactly as ``sessions.csrf_token`` would.
  Its gzip form is kept as deflate segments ending on a flush boundary, so the visitor's token
  is compressed on its own between them (a few bytes) and the stream stays one valid gzip
  member, its CRC and length computed for each answer.

Why one stamp query a request, and not a time bound or PostgreSQL's LISTEN/NOTIFY: either
would save the query, but leave a window in which a process (another worker, or this one
after a publication by the CLI) answers from before a publication; with the query, the next
request anywhere sees it. The query is made cheap instead: ``store.PublicationStamps`` keeps
a connection of its own in autocommit mode (one round trip, no pool checkout, no BEGIN and
ROLLBACK) and runs a statement built once: about 0.1 ms of CPU.

Requests that miss at once (the first ones after a publication, when every kept answer is
stale) do not each make the answer: the first makes it and the others (in that process) wait
for it, then are answered from it; if it is not one to keep, each is answered by the full stack.

The stamp is read on the event loop, not in a worker thread: it is one indexed query, and the
thread hop would cost about as much again. A store that cannot be read sends the request to
the full stack, which answers the error as usual.
"""

from __future__ import annotations

import asyncio
import re
import struct
import threading
import zlib
from collections import OrderedDict
from collections.abc import Hashable
from dataclasses import dataclass

from starlette.requests import cookie_parser
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from lindung.store.observations import PublicationStamps
from lindung.web import locale, sessions
from lindung.web.api.common import etag_matches

#: The addresses whose answer to an anonymous GET the published values and the request decide:
#: the overview, the indicators and each indicator's page, each country's profile, and the
#: observations of the API.
PUBLISHED = re.compile(r"/|/indicators(?:/[^/]+)?|/countries/[^/]+|/api/v1/observations")
#: Answers kept per application, the least recently used going first (a kept indicator page
#: is about 100 KB with its gzip form).
ANSWERS = 256
#: The request headers the answers under ``PUBLISHED`` depend on, besides the cookies: the
#: address (the language links hold it), the format and the language. A route there that reads
#: another header must add it here (it becomes part of the key).
KEYED = (b"host", b"accept", b"accept-language", b"hx-request", b"hx-target")
#: What the full stack is not sent when it makes an answer to keep: the fast path compresses
#: and answers ETags itself, and makes the answer as for a first visit (no CSRF cookie).
_UNSENT = frozenset({b"accept-encoding", b"if-none-match", b"cookie"})
#: The gzip header zlib writes (no name, no time, no extra flags, Unix): the one of Starlette's
#: GZipMiddleware, so a kept answer compresses to the same bytes.
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\x03"

Headers = list[tuple[bytes, bytes]]


@dataclass
class _Kept:
    """An answer kept: its headers and body split at the CSRF token (when it has one)."""

    stamp: Hashable
    headers: Headers
    parts: list[bytes]
    #: Where the CSRF cookie goes among the headers, and its value split at the token; None
    #: for an answer that sets no CSRF cookie (and holds no token).
    cookie_at: int | None
    cookie: tuple[bytes, bytes]
    etag: str | None
    #: Each part as deflate blocks of its own (empty for an answer too small to compress,
    #: which the full stack sends as is), and the CRC-32 of the whole for a single part.
    deflated: list[bytes]
    crc: int
    #: The full stack's 304 headers, once a visitor has asked with a matching ETag.
    not_modified: Headers | None = None


class PublishedAnswers:
    """ASGI middleware: answer anonymous GETs of published pages from the answers kept."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        stamps: PublicationStamps,
        secret: str,
        minimum_size: int,
        compresslevel: int,
    ) -> None:
        self.app = app
        self.stamps = stamps
        self.secret = secret
        self.minimum_size = minimum_size
        self.compresslevel = compresslevel
        self._kept: OrderedDict[Hashable, _Kept] = OrderedDict()
        #: The requests whose answer was not one to keep, under the stamp they were asked at.
        self._unkept: OrderedDict[Hashable, Hashable] = OrderedDict()
        #: The answers being made now, by request key and stamp: a request that misses while
        #: another is making the same answer waits for it instead of making it again.
        self._making: dict[Hashable, asyncio.Future[_Kept | None]] = {}
        self._lock = threading.Lock()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] != "GET"
            or PUBLISHED.fullmatch(scope["path"]) is None
        ):
            await self.app(scope, receive, send)
            return
        asked: dict[bytes, bytes] = {}
        for name, value in scope["headers"]:
            if name in asked:  # a header given twice: the full stack reads it as it does
                await self.app(scope, receive, send)
                return
            asked[name] = value
        cookies = cookie_parser(asked.get(b"cookie", b"").decode("latin-1"))
        if (
            b"authorization" in asked
            or sessions.SESSION_COOKIE in cookies
            or asked.get(b"content-length", b"0") != b"0"
            or b"transfer-encoding" in asked
        ):
            await self.app(scope, receive, send)
            return
        try:
            stamp: Hashable = self.stamps.read()
        except Exception:  # the full stack answers what is wrong with the store
            await self.app(scope, receive, send)
            return
        language = cookies.get(locale.COOKIE)
        key = (
            scope["path"],
            scope["query_string"],
            scope.get("scheme"),
            scope.get("root_path", ""),
            tuple(scope.get("server") or ()),
            tuple(asked.get(name) for name in KEYED),
            language,
        )
        with self._lock:
            kept = self._kept.get(key)
            if kept is not None and kept.stamp == stamp:
                self._kept.move_to_end(key)
            else:
                kept = None
            unkept = self._unkept.get(key) == stamp
        if unkept:  # asked before and not kept (a 404...): the full stack answers at once
            await self.app(scope, receive, send)
            return
        if kept is None:
            making = self._making.get((key, stamp))
            if making is not None:
                # Another request is making this answer (the first ones after a publication,
                # all at once): wait for it rather than have each make it again.
                kept = await asyncio.shield(making)
                if kept is None:  # it was not one to keep: the full stack answers this one
                    await self.app(scope, receive, send)
                    return
        if kept is None:
            kept = await self._keep_once(scope, receive, key, stamp, language)
            if kept is None:  # not an answer to keep: the full stack answers this visitor
                with self._lock:
                    self._unkept[key] = stamp
                    self._unkept.move_to_end(key)
                    while len(self._unkept) > ANSWERS:
                        self._unkept.popitem(last=False)
                await self.app(scope, receive, send)
                return
        sent_tag = asked.get(b"if-none-match")
        if (
            sent_tag is not None
            and kept.etag is not None
            and etag_matches(sent_tag.decode("latin-1"), kept.etag)
        ):
            await self._not_modified(kept, scope, receive, send)
            return
        gzip = b"gzip" in asked.get(b"accept-encoding", b"")
        await self._answer(kept, cookies.get(sessions.CSRF_COOKIE, ""), gzip, send)

    async def _keep_once(
        self, scope: Scope, receive: Receive, key: Hashable, stamp: Hashable, language: str | None
    ) -> _Kept | None:
        """Make the answer to keep (``_keep``) while the requests that ask for it meanwhile
        wait; they get it, or None (not an answer to keep, or the making failed or was
        cancelled) and are then answered by the full stack."""
        making: asyncio.Future[_Kept | None] = asyncio.get_running_loop().create_future()
        self._making[(key, stamp)] = making
        kept: _Kept | None = None
        try:
            kept = await self._keep(scope, receive, key, stamp, language)
        finally:
            del self._making[(key, stamp)]
            making.set_result(kept)
        return kept

    async def _keep(
        self, scope: Scope, receive: Receive, key: Hashable, stamp: Hashable, language: str | None
    ) -> _Kept | None:
        """Ask the full stack as a first visitor would (no CSRF cookie, nothing compressed, no
        ETag); keep its answer if it is a 200 that sets no cookie of its own."""
        headers = [(name, value) for name, value in scope["headers"] if name not in _UNSENT]
        if language is not None:
            headers.append((b"cookie", f"{locale.COOKIE}={language}".encode("latin-1")))
        start: Message = {}
        body: list[bytes] = []

        async def capture(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                body.append(message.get("body", b""))

        try:
            # A request's state of its own (the full stack notes there the token it made, and
            # who asks): none of this one's may leak into the visitor's own request after it.
            state = dict(scope.get("state", {}))
            await self.app({**scope, "headers": headers, "state": state}, receive, capture)
        except Exception:  # the full stack answers (and logs) the failure to this visitor
            return None
        if start.get("status") != 200:
            return None
        kept_headers: Headers = []
        cookie_at: int | None = None
        cookie = (b"", b"")
        token = b""
        etag: str | None = None
        for name, value in start.get("headers", []):
            name = name.lower()
            if name == b"set-cookie":
                cookie_name, _, rest = value.partition(b"=")
                if cookie_name.strip() == sessions.CSRF_COOKIE.encode():
                    token = rest.partition(b";")[0]
                    cookie_at = len(kept_headers)
                    before, _, after = value.partition(token)
                    cookie = (before, after)
                    continue
                if cookie_name.strip() != locale.COOKIE.encode():
                    return None
            elif name == b"etag":
                etag = value.decode("latin-1")
            elif name == b"content-encoding":
                return None
            kept_headers.append((name, value))
        whole = b"".join(body)
        parts = whole.split(token) if token else [whole]
        deflated = []
        if len(whole) >= self.minimum_size:
            last = len(parts) - 1
            deflated = [self._deflate(part, last=i == last) for i, part in enumerate(parts)]
        kept = _Kept(
            stamp=stamp,
            headers=kept_headers,
            parts=parts,
            cookie_at=cookie_at,
            cookie=cookie,
            etag=etag,
            deflated=deflated,
            crc=zlib.crc32(whole),
        )
        with self._lock:
            self._kept[key] = kept
            self._kept.move_to_end(key)
            while len(self._kept) > ANSWERS:
                self._kept.popitem(last=False)
        return kept

    def _deflate(self, data: bytes, *, last: bool) -> bytes:
        """Return ``data`` as raw deflate blocks of its own, ending byte-aligned (a sync
        flush) or, for the last part, with the final block."""
        compressor = zlib.compressobj(self.compresslevel, zlib.DEFLATED, -zlib.MAX_WBITS)
        return compressor.compress(data) + compressor.flush(
            zlib.Z_FINISH if last else zlib.Z_SYNC_FLUSH
        )

    async def _answer(self, kept: _Kept, visitor_token: str, gzip: bool, send: Send) -> None:
        headers = kept.headers
        token = b""
        if kept.cookie_at is not None:
            # As sessions.csrf_token: the visitor's own token if we signed it, else a new one.
            fresh = not (visitor_token and sessions.valid_csrf(visitor_token, self.secret))
            token = (sessions.new_csrf(self.secret) if fresh else visitor_token).encode("latin-1")
            if fresh:
                headers = list(headers)
                headers.insert(kept.cookie_at, (b"set-cookie", token.join(kept.cookie)))
        if gzip and kept.deflated:
            body = self._gzip(kept, token)
            encoded: Headers = []
            for name, value in headers:
                if name == b"content-length":
                    encoded += [(name, str(len(body)).encode()), (b"content-encoding", b"gzip")]
                else:
                    encoded.append((name, value))
            headers = encoded
        else:
            body = token.join(kept.parts)
            if token:
                headers = [
                    (name, str(len(body)).encode()) if name == b"content-length" else (name, value)
                    for name, value in headers
                ]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": body})

    def _gzip(self, kept: _Kept, token: bytes) -> bytes:
        """Return the gzip member of the kept answer with ``token`` between its parts."""
        if len(kept.parts) == 1:
            blocks, crc, size = kept.deflated[0], kept.crc, len(kept.parts[0])
        else:
            blocks = self._deflate(token, last=False).join(kept.deflated)
            crc = zlib.crc32(kept.parts[0])
            for part in kept.parts[1:]:
                crc = zlib.crc32(part, zlib.crc32(token, crc))
            size = sum(map(len, kept.parts)) + len(token) * (len(kept.parts) - 1)
        return _GZIP_HEADER + blocks + struct.pack("<II", crc, size & 0xFFFFFFFF)

    async def _not_modified(self, kept: _Kept, scope: Scope, receive: Receive, send: Send) -> None:
        """Answer 304 with the headers the full stack gave it the first time."""
        if kept.not_modified is not None:
            await send({"type": "http.response.start", "status": 304, "headers": kept.not_modified})
            await send({"type": "http.response.body", "body": b""})
            return

        async def capture(message: Message) -> None:
            # An answer with no CSRF cookie: its 304 is the same for every visitor.
            start = message["type"] == "http.response.start"
            if start and message["status"] == 304 and kept.cookie_at is None:
                kept.not_modified = list(message.get("headers", []))
            await send(message)

        await self.app(scope, receive, capture)
