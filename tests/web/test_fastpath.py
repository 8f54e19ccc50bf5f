"""The fast path (``web.fastpath``): an anonymous GET of a published page or of a page of
observations answered from the bytes the full stack made for the same request, the same to
the byte, until the next publication; never to a signed-in visitor or a token client."""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager

import httpx
from fastapi import FastAPI
from sqlalchemy import Engine, event
from starlette.testclient import TestClient

from lindung.store.users import User
from lindung.web import create_app
from lindung.web.guards import SECURITY_HEADERS
from lindung.web.sessions import CSRF_COOKIE, SESSION_COOKIE

from .test_api_tokens import make_token
from .test_published_cache import _add

OBSERVATIONS = "/api/v1/observations?series=SI_COV_BENFTS&area=IDN"
PAGE = "/indicators/SI_COV_BENFTS?lang=en"
#: A session cookie no one signed: the full stack serves it, to an anonymous visitor.
STALE = {"Cookie": f"{SESSION_COOKIE}=stale"}
#: Headers that differ between two answers of the same bytes for a reason of their own.
_OWN = {"date", "set-cookie", "content-length"}


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    """Collect the SQL statements run on ``engine`` meanwhile."""
    run: list[str] = []

    def collect(*arguments: object) -> None:
        run.append(str(arguments[2]))

    event.listen(engine, "before_cursor_execute", collect)
    try:
        yield run
    finally:
        event.remove(engine, "before_cursor_execute", collect)


def _raw(client: TestClient, address: str, headers: dict[str, str]) -> httpx.Response:
    """GET ``address`` and return the answer with its body as sent (not decompressed)."""
    with client.stream("GET", address, headers=headers) as response:
        response.read_raw = b"".join(response.iter_raw())  # type: ignore[attr-defined]
    return response


def _body(response: httpx.Response) -> bytes:
    sent: bytes = response.read_raw  # type: ignore[attr-defined]
    return gzip.decompress(sent) if response.headers.get("content-encoding") == "gzip" else sent


def _headers(response: httpx.Response) -> list[tuple[str, str]]:
    return sorted((k, v) for k, v in response.headers.multi_items() if k not in _OWN)


def test_a_kept_answer_is_the_full_stacks_to_the_byte_and_costs_one_query(
    app: FastAPI, engine: Engine
) -> None:
    for year in range(2010, 2020):  # an answer over 1 KB, which goes compressed
        _add(engine, 40.0 + year - 2019, year=year, publish=True)
    with TestClient(app) as client:
        token = client.get("/countries").cookies[CSRF_COOKIE]
        for address in (OBSERVATIONS, PAGE):
            for encoding in ("gzip", "identity"):
                asked = {"Accept-Encoding": encoding, "Cookie": f"{CSRF_COOKIE}={token}"}
                first = _raw(client, address, asked)  # made by the full stack, then kept
                with statements(engine) as run:
                    kept = _raw(client, address, asked)
                assert len(run) == 1 and "max(observations.id)" in run[0]
                stale = f"{asked['Cookie']}; {STALE['Cookie']}"
                full = _raw(client, address, {**asked, "Cookie": stale})
                assert kept.status_code == first.status_code == full.status_code == 200
                assert _headers(kept) == _headers(full)
                # The visitor's token is theirs: none set (only ?lang='s language cookie).
                assert CSRF_COOKIE not in kept.headers.get("set-cookie", "")
                assert kept.headers.get_list("set-cookie") == full.headers.get_list("set-cookie")
                assert kept.headers.get("content-encoding") == (
                    "gzip" if encoding == "gzip" else None
                )
                body = _body(kept)
                assert body == _body(first) == _body(full)
                sent: bytes = kept.read_raw  # type: ignore[attr-defined]
                assert int(kept.headers["content-length"]) == len(sent)
                if address == OBSERVATIONS:  # no token inside: compressed to the same bytes
                    assert sent == full.read_raw  # type: ignore[attr-defined]
                for name, value in SECURITY_HEADERS:
                    assert kept.headers[name.decode()] == value.decode()
                assert "accept-encoding" in kept.headers["vary"].lower()
                if address == PAGE:
                    assert f'<meta name="csrf-token" content="{token}">'.encode() in body
                else:
                    assert b'"value":40.0' in body


def test_each_first_visitor_gets_a_token_of_their_own_that_the_forms_accept(
    app: FastAPI, engine: Engine
) -> None:
    _add(engine, 40.0, year=2019, publish=True)
    seen = set()
    for encoding in ("gzip", "identity", "gzip"):
        with TestClient(app) as visitor:
            page = visitor.get(PAGE, headers={"Accept-Encoding": encoding})
            token = re.findall(r'name="csrf[-_]token" (?:content|value)="([^"]+)"', page.text)
            assert token and set(token) == {visitor.cookies[CSRF_COOKIE]}
            seen.add(token[0])
            # The token is good for a form: a wrong password, not a CSRF refusal.
            signing_in = visitor.post(
                "/login", data={"email": "x@example.org", "password": "p", "csrf_token": token[0]}
            )
            assert signing_in.status_code != 403
            forged = visitor.post(
                "/login", data={"email": "x@example.org", "password": "p", "csrf_token": "forged"}
            )
            assert forged.status_code == 403
    assert len(seen) == 3


def test_an_etag_sent_back_gets_the_full_stacks_304(app: FastAPI, engine: Engine) -> None:
    _add(engine, 40.0, year=2019, publish=True)
    with TestClient(app) as client:
        etag = client.get(OBSERVATIONS).headers["etag"]
        for _ in range(2):  # the first from the full stack, the second as kept
            again = client.get(OBSERVATIONS, headers={"If-None-Match": etag})
            full = client.get(OBSERVATIONS, headers={"If-None-Match": etag, **STALE})
            assert again.status_code == full.status_code == 304 and again.content == b""
            assert _headers(again) == _headers(full)
            assert again.headers["etag"] == etag
            assert again.headers["x-frame-options"] == "DENY"
        other = client.get(OBSERVATIONS, headers={"If-None-Match": '"another"'})
        assert other.status_code == 200 and other.headers["etag"] == etag


def test_a_publication_is_seen_on_the_next_request_by_every_process(
    app: FastAPI, engine: Engine
) -> None:
    other_process = create_app(engine=engine)
    _add(engine, 40.0, year=2019, publish=True)
    with TestClient(app) as one, TestClient(other_process) as other:
        for client in (one, other, one, other):
            assert [row["value"] for row in client.get(OBSERVATIONS).json()["data"]] == [40.0]
            assert "40.0" in client.get(PAGE).text
            assert "61.5" not in client.get("/countries/IDN?lang=en").text
        _add(engine, 55.0, year=2020, publish=False)  # a draft: nothing published
        assert [row["value"] for row in other.get(OBSERVATIONS).json()["data"]] == [40.0]
        _add(engine, 61.5, year=2021, publish=True)
        for client in (one, other):
            values = [row["value"] for row in client.get(OBSERVATIONS).json()["data"]]
            assert values == [40.0, 61.5]
            assert "61.5" in client.get(PAGE).text
            assert "61.5" in client.get("/countries/IDN?lang=en").text


def test_signed_in_visitors_and_token_clients_are_answered_by_the_full_stack(
    app: FastAPI, engine: Engine, browser_as: Callable[[str], TestClient], accounts: dict[str, User]
) -> None:
    _add(engine, 40.0, year=2019, publish=True)
    anonymous = browser_as("anonymous")
    for _ in range(2):
        assert "focal-point@example.org" not in anonymous.get(PAGE).text
        assert anonymous.get(OBSERVATIONS).status_code == 200
    signed_in = browser_as("focal_point")
    assert "focal-point@example.org (focal point)" in signed_in.get(PAGE).text
    machine = TestClient(app)
    bad = {"Authorization": "Bearer lnd_not-a-token"}
    for address in (OBSERVATIONS, PAGE, "/", "/indicators", "/countries/IDN"):
        assert anonymous.get(address).status_code == 200
        assert machine.get(address, headers=bad).status_code == 401
    good = {"Authorization": f"Bearer {make_token(signed_in)['token']}"}
    assert machine.get(OBSERVATIONS, headers=good).json() == anonymous.get(OBSERVATIONS).json()


def test_an_answer_not_kept_is_the_full_stacks_for_this_visitor(
    app: FastAPI, engine: Engine
) -> None:
    with TestClient(app) as visitor:
        token = visitor.get("/countries").cookies[CSRF_COOKIE]
        for _ in range(2):  # made, found not to keep; then sent to the full stack at once
            missing = visitor.get(
                "/indicators/NOT_AN_INDICATOR", headers={"Accept-Encoding": "gzip"}
            )
            assert missing.status_code == 404 and "NOT_AN_INDICATOR" in missing.text
            assert CSRF_COOKIE not in missing.headers.get("set-cookie", "")  # theirs is kept
            assert f'content="{token}"' in missing.text


def _counting_stack(status: int) -> tuple[Callable[..., object], list[str]]:
    """A full stack that takes a while over each answer and notes each request it answers."""
    import asyncio

    answered: list[str] = []

    async def stack(scope: dict[str, object], receive: object, send: Callable[..., object]) -> None:
        answered.append(str(scope["path"]))
        body = f"answer {len(answered)}".encode()
        await asyncio.sleep(0.05)  # the first answer after a publication takes time to make
        headers = [(b"content-type", b"text/html"), (b"content-length", str(len(body)).encode())]
        await send({"type": "http.response.start", "status": status, "headers": headers})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": body})  # type: ignore[operator]

    return stack, answered


def _at_once(engine: Engine, status: int, visitors: int) -> tuple[list[httpx.Response], list[str]]:
    """Send ``visitors`` anonymous GETs of one page at once through the fast path."""
    import asyncio

    from lindung.store.observations import PublicationStamps
    from lindung.web.fastpath import PublishedAnswers

    stack, answered = _counting_stack(status)
    stamps = PublicationStamps(engine)
    fast = PublishedAnswers(
        stack,  # type: ignore[arg-type]
        stamps=stamps,
        secret="s" * 40,
        minimum_size=500,
        compresslevel=6,
    )

    async def visit() -> list[httpx.Response]:
        transport = httpx.ASGITransport(app=fast)  # type: ignore[arg-type]
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            return list(await asyncio.gather(*(client.get("/") for _ in range(visitors))))

    try:
        return asyncio.run(visit()), answered
    finally:
        stamps.close()


def test_visitors_asking_at_once_for_an_answer_not_yet_made_wait_for_one_making(
    engine: Engine,
) -> None:
    """After a publication every kept answer is stale; the first fifty visitors at once must
    not each make the same page again (the thundering herd): one is made, all get it."""
    responses, answered = _at_once(engine, 200, 50)
    assert answered == ["/"]
    assert [response.status_code for response in responses] == [200] * 50
    assert {response.text for response in responses} == {"answer 1"}


def test_visitors_waiting_for_an_answer_not_to_keep_are_each_answered_by_the_full_stack(
    engine: Engine,
) -> None:
    """A 404 is not kept: the one made to keep is thrown away, and every visitor, the one who
    made it and the four who waited, is answered by the full stack itself (answers 2 to 6)."""
    responses, answered = _at_once(engine, 404, 5)
    assert len(answered) == 6
    assert [response.status_code for response in responses] == [404] * 5
    assert {response.text for response in responses} == {f"answer {n}" for n in range(2, 7)}
