"""Published values in a fresh store, as the exchange tests export them."""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable, Mapping, Sequence
from importlib import resources
from typing import Any

import pytest
import sdmx
from sqlalchemy import Engine

from lindung.framework import load_catalogue
from lindung.store import create_submission, insert_observations, transaction

from ..conftest import publish_through_review

#: Free text that breaks naive writers: quotes, an apostrophe, a tab, a formula, markup.
AWKWARD = 'BPS\'s "Susenas"\tround <2> & =HYPERLINK("http://x")'


def observation(**fields: Any) -> dict[str, Any]:
    """Return an observation of SI_COV_BENFTS for Indonesia in 2019 with ``fields`` changed."""
    row: dict[str, Any] = {
        "series": "SI_COV_BENFTS",
        "ref_area": "IDN",
        "time_period": 2019,
        "value": 27.8,
        "unit": "percent",
        "ci_low": 26.1,
        "ci_high": 29.5,
        "nature": "C",
        "obs_status": "A",
        "source": "Susenas 2019",
        "comment": None,
    }
    row.update(fields)
    return row


@pytest.fixture
def publish(engine: Engine) -> Callable[..., int]:
    """Return a function storing rows as one published submission of ``kind`` for an area."""

    def store(rows: Sequence[Mapping[str, Any]], kind: str = "template", area: str = "IDN") -> int:
        version = load_catalogue().version
        with transaction(engine) as connection:
            submission_id = create_submission(
                connection,
                kind=kind,
                ref_area=area,
                time_period=None,
                source="test",
                framework_version=version,
                actor="system",
                # Shipped reference data is born published; anything else goes through review.
                status="published" if kind == "reference" else "draft",
            )
            insert_observations(connection, submission_id, rows, framework_version=version)
            if kind != "reference":
                publish_through_review(connection, submission_id)
        return submission_id

    return store


@pytest.fixture(scope="session")
def sdg_dsd_for_sdmx1() -> Any:
    """The shipped SDG DSD as the independent reader (PyPI ``sdmx1``) reads it."""
    raw = resources.files("lindung.data.sdmx").joinpath("SDG_DSD_1.5.xml.gz").read_bytes()
    return sdmx.read_sdmx(io.BytesIO(gzip.decompress(raw))).structure["SDG"]
