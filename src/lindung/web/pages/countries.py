"""The member states' pages: the list of the eleven, and each one's profile.

A profile shows every indicator of the framework with the country's latest published value,
its year, a sparkline of every year's value and its progress status with the method named;
the vulnerable-groups matrix; national beside international figures; and the country's
submissions the visitor may see (published ones for everyone, the others per
``ingest.accounts``). Every number is ``web.pages.profile``'s; every chart has its table.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import HTMLResponse

from lindung.charts import sparkline
from lindung.framework import load_catalogue
from lindung.i18n.formatting import d3_format_locale as d3_locale
from lindung.web import locale
from lindung.web.deps import Iso3, Reading, Visitor
from lindung.web.figures import number
from lindung.web.pages.assessment import PROGRESS_METHOD
from lindung.web.pages.profile import IndicatorLine, country_profile
from lindung.web.rendering import render
from lindung.web.rendering import translate as _
from lindung.web.submissions import visible_submissions

router = APIRouter(tags=["country pages"])


@router.get("/countries", response_class=HTMLResponse, name="countries")
def country_list(request: Request, _user: Visitor) -> HTMLResponse:
    """The eleven member states, each linking to its profile."""
    return render(request, "countries.html", {"states": load_catalogue().member_states})


def sparkline_of(line: IndicatorLine, country: str, language: str) -> dict[str, Any] | None:
    """Return the sparkline spec of an indicator's values, None without any value; its
    description (read by screen readers) lists every year's value in ``language``."""
    if not line.points:
        return None
    values = "; ".join(f"{year}: {number(value, language)}" for year, value in line.points)
    return sparkline(
        [{"year": year, "value": value} for year, value in line.points],
        description=_("%(name)s in %(country)s, published values by year: %(values)s")
        % {"name": line.indicator.name.get(language), "country": country, "values": values},
        number_locale=d3_locale(language),
    )


@router.get("/countries/{iso3}", response_class=HTMLResponse, name="country")
def country_page(request: Request, connection: Reading, user: Visitor, iso3: Iso3) -> HTMLResponse:
    """A member state's profile (404 for a code that is not a member state's)."""
    catalogue = load_catalogue()
    language = locale.current.get()
    profile = country_profile(connection, catalogue, iso3.strip().upper())
    country = profile.state.name.get(language)
    groups = {entry.code: entry.name.get(language) for entry in catalogue.codelist("group").codes}
    return render(
        request,
        "country.html",
        {
            "profile": profile,
            "state": profile.state,
            "sparklines": [sparkline_of(line, country, language) for line in profile.lines],
            "names": {i.code: i.name.get(language) for i in catalogue.indicators},
            "pillars": {p.code: p.name.get(language) for p in catalogue.pillars},
            "group_names": groups,
            "cells": {(row["group"], row["life_dimension"]): row for row in profile.matrix},
            "method": PROGRESS_METHOD,
            "submissions": visible_submissions(connection, user, country=profile.state.iso3),
            "number": number,
        },
    )
