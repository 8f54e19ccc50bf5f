"""What a report reads from the store: the published values of the member states up to the
report's year, with the UN population that weights aggregates (``assess.published``, which the
site's country pages read through too). Nothing unpublished reaches a report."""

from __future__ import annotations

from dataclasses import dataclass, fields

from sqlalchemy import Connection

from lindung.assess.published import Published, read_published
from lindung.framework import Catalogue


@dataclass(frozen=True)
class ReportData(Published):
    """The published values one report year is made of (``Published``, of the member states,
    up to the report year ``year``)."""

    year: int


def read_report_data(connection: Connection, catalogue: Catalogue, year: int) -> ReportData:
    """Return the published values of ``year`` and before that a report shows."""
    members = [state.iso3 for state in catalogue.member_states]
    published = read_published(connection, catalogue, members, year)
    return ReportData(**{item.name: getattr(published, item.name) for item in fields(published)})
