"""A refused page says in the reader's language what went wrong and what to do; the error's own
message (built from the data, in English) follows it, marked as English for screen readers."""

from __future__ import annotations

import re

from fastapi import FastAPI
from starlette.testclient import TestClient

from lindung import errors
from lindung.i18n.labels import ERRORS
from lindung.web.failures import INTERNAL


def _codes(cls: type[errors.LindungError]) -> set[str]:
    found = {cls.code}
    for sub in cls.__subclasses__():
        found |= _codes(sub)
    return found


def test_every_error_code_has_an_explanation_and_nothing_else_does() -> None:
    assert set(ERRORS) == _codes(errors.LindungError) | {"http", INTERNAL}


def test_a_missing_page_in_indonesian_explains_itself_in_indonesian(app: FastAPI) -> None:
    client = TestClient(app)
    page = client.get("/no-such-page?lang=id")
    assert page.status_code == 404
    # The catalogue's Indonesian, typed here from the translation, not read from the code.
    assert "Yang Anda minta tidak ada: periksa alamatnya atau mulai dari ikhtisar." in page.text
    # The label is Indonesian; only the detail, in English, is marked so.
    detail = re.search(r'<p><small>Rincian: <span lang="en">([^<]*)</span></small></p>', page.text)
    assert detail is not None and "/no-such-page" in detail.group(1)


def test_in_english_the_detail_is_not_marked_as_another_language(app: FastAPI) -> None:
    page = TestClient(app).get("/no-such-page?lang=en")
    assert page.status_code == 404
    assert "What you asked for does not exist" in page.text
    assert 'lang="en">there' not in page.text
    assert "Details: <span>there is no page" in page.text


def test_the_requested_path_in_the_detail_is_shown_as_text(app: FastAPI) -> None:
    page = TestClient(app).get("/<script>alert(1)</script>?lang=id")
    assert page.status_code == 404
    assert "<script>alert(1)" not in page.text and "&lt;script&gt;alert(1)" in page.text
