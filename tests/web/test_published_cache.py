"""The pages' published frames are read once per process and again as soon as anything is
published: a visitor never sees a value older than the store's current one."""

from __future__ import annotations

import re

import pandas as pd
from fastapi import FastAPI
from sqlalchemy import Connection, Engine
from starlette.testclient import TestClient

from lindung.store import create_submission, insert_observations, transaction
from lindung.web.published import published_frame
from lindung.web.sessions import CSRF_COOKIE

from ..conftest import publish_through_review


def _add(engine: Engine, value: float, *, year: int, publish: bool) -> None:
    with transaction(engine) as connection:
        submission = create_submission(
            connection,
            kind="template",
            ref_area="IDN",
            time_period=year,
            source="test",
            framework_version="1.0.0",
            actor="tester@example.org",
        )
        row = {"series": "SI_COV_BENFTS", "ref_area": "IDN", "time_period": year}
        insert_observations(
            connection,
            submission,
            [{**row, "value": value, "unit": "PERCENT"}],
            framework_version="1.0.0",
        )
        if publish:
            publish_through_review(connection, submission)


class Reader:
    """Reads the published values of IDN through the store, counting its reads."""

    def __init__(self) -> None:
        self.reads = 0

    def __call__(self, connection: Connection) -> pd.DataFrame:
        from lindung.store.frames import current_frame

        self.reads += 1
        return current_frame(connection, ["SI_COV_BENFTS"], ["IDN"])


def _values(engine: Engine, reader: Reader) -> list[float]:
    with engine.connect() as connection:
        frame = published_frame(connection, ("test", "IDN"), reader)
    return sorted(frame["value"]) if not frame.empty else []


def test_a_publication_is_seen_on_the_next_read_and_nothing_else_reads_again(
    engine: Engine,
) -> None:
    reader = Reader()
    _add(engine, 40.0, year=2019, publish=True)
    assert _values(engine, reader) == [40.0]
    assert _values(engine, reader) == [40.0]
    assert reader.reads == 1
    _add(engine, 55.0, year=2020, publish=False)  # a draft: not a published value
    assert _values(engine, reader) == [40.0]
    _add(engine, 61.0, year=2021, publish=True)
    assert _values(engine, reader) == [40.0, 61.0]


def test_a_page_changing_its_frame_does_not_change_the_next_pages(engine: Engine) -> None:
    reader = Reader()
    _add(engine, 40.0, year=2019, publish=True)
    with engine.connect() as connection:
        first = published_frame(connection, ("test", "IDN"), reader)
        first.loc[:, "value"] = 0.0
        again = published_frame(connection, ("test", "IDN"), reader)
    assert list(again["value"]) == [40.0]
    assert reader.reads == 1


def test_a_kept_indicator_page_carries_each_visitors_own_csrf_token_and_the_latest_values(
    app: FastAPI, engine: Engine
) -> None:
    _add(engine, 40.0, year=2019, publish=True)
    tokens = []
    for _ in range(2):  # two anonymous visitors: the second gets the kept page
        with TestClient(app) as visitor:
            page = visitor.get("/indicators/SI_COV_BENFTS?lang=en")
            assert page.status_code == 200 and "40.0" in page.text
            token = re.search(r'<meta name="csrf-token" content="([^"]+)">', page.text)
            assert token and token.group(1) == visitor.cookies[CSRF_COOKIE]
            tokens.append(token.group(1))
    assert tokens[0] != tokens[1]
    _add(engine, 61.5, year=2021, publish=True)
    with TestClient(app) as visitor:
        assert "61.5" in visitor.get("/indicators/SI_COV_BENFTS?lang=en").text
