"""The indicator pages: every indicator of the framework by pillar, and one indicator's
metadata, its values across the member states by breakdown (chart, table and CSV), and each
member state's progress. Published values only, for everyone."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Path, Query, Request
from sqlalchemy import Connection
from starlette.responses import HTMLResponse, Response

from lindung.assess.aggregates import Aggregate, describe
from lindung.charts import time_series
from lindung.framework import Catalogue, load_catalogue
from lindung.framework.models import Indicator
from lindung.i18n.formatting import d3_format_locale as d3_locale
from lindung.store.frames import current_frame
from lindung.text import csv_text
from lindung.web import locale
from lindung.web.api.common import CSV_TYPE, answer
from lindung.web.api.observations import COLUMNS
from lindung.web.deps import Reading, Visitor
from lindung.web.figures import number
from lindung.web.pages.assessment import PROGRESS_METHOD
from lindung.web.pages.breakdowns import (
    REGION,
    asean_tier,
    breakdown_values,
    choices,
    chosen_codes,
    progress_of,
    published_values,
    records,
    regional_values,
)
from lindung.web.rendering import render_published
from lindung.web.rendering import translate as _

router = APIRouter(tags=["indicator pages"])

Code = Annotated[str, Path(max_length=40)]
Breakdown = Annotated[str | None, Query(max_length=40)]


def asked_breakdown(
    sex: Breakdown = None,
    age: Breakdown = None,
    urbanisation: Breakdown = None,
    income_wealth_quantile: Breakdown = None,
    disability_status: Breakdown = None,
    group: Breakdown = None,
    program: Breakdown = None,
    poverty_line: Breakdown = None,
) -> dict[str, str | None]:
    """The breakdown asked for: one code per dimension given (``sex=F``), the total elsewhere."""
    return {
        "sex": sex,
        "age": age,
        "urbanisation": urbanisation,
        "income_wealth_quantile": income_wealth_quantile,
        "disability_status": disability_status,
        "group": group,
        "program": program,
        "poverty_line": poverty_line,
    }


Asked = Annotated[dict[str, str | None], Depends(asked_breakdown)]


def query_of(chosen: dict[str, str]) -> str:
    """Return the query string of a breakdown: its codes other than the total."""
    return urlencode({name: code for name, code in chosen.items() if code != "_T"})


@router.get("/indicators", response_class=HTMLResponse, name="indicators")
def indicator_index(request: Request, connection: Reading, _user: Visitor) -> HTMLResponse:
    """Every indicator of the framework, grouped by pillar, each linked to its page, with the
    number of member states that have a published value of it (any year or breakdown)."""
    catalogue = load_catalogue()
    return render_published(
        request,
        connection,
        "indicators.html",
        (locale.current.get(),),
        lambda: _index_context(connection, catalogue),
    )


def _index_context(connection: Connection, catalogue: Catalogue) -> Mapping[str, Any]:
    members = [state.iso3 for state in catalogue.member_states]
    frame = current_frame(connection, None, members)
    reporting = (
        {str(k): int(v) for k, v in frame.groupby("series")["ref_area"].nunique().items()}
        if not frame.empty
        else {}
    )
    pillars = [
        (pillar, [i for i in catalogue.indicators if i.pillar == pillar.code])
        for pillar in catalogue.pillars
    ]
    return {
        "pillars": [(p, found) for p, found in pillars if found],
        "version": catalogue.version,
        "reporting": reporting,
        "members": len(members),
    }


def _chart(
    indicator: Indicator,
    rows: list[dict[str, Any]],
    regional: list[Aggregate],
    names: dict[str, str],
) -> Any:
    language = locale.current.get()
    name = indicator.name.get(language)
    target = indicator.target.value if indicator.target else None
    points = [
        {
            "area": names[row["ref_area"]],
            "year": row["time_period"],
            "value": row["value"],
            "se": row.get("se"),
            "ci_low": row.get("ci_low"),
            "ci_high": row.get("ci_high"),
        }
        for row in rows
    ]
    points += [
        {
            "area": names[row["ref_area"]],
            "year": row["time_period"],
            "value": row["value"],
            "aggregate": True,
        }
        for row in regional
    ]
    description = _(
        "Line chart of %(name)s in each member state over the years, with the 95 %% "
        "confidence interval as a band where the value has one"
    ) % {"name": name}
    if regional:
        description += _(", and the ASEAN population-weighted mean as a dashed line")
    return time_series(
        points,
        title=name,
        description=description,
        year_title=_("Year"),
        value_title=_("Value"),
        area_title=_("Member state") if not regional else _("Member state or region"),
        number_locale=d3_locale(language),
        target=target,
        target_title=_("Target"),
        line_titles=(
            _("Line"),
            _("Member state"),
            _("ASEAN, population-weighted mean"),
        ),
    )


def _aggregate_records(regional: list[Aggregate], version: str) -> list[dict[str, Any]]:
    """The regional aggregates as rows of the CSV: the aggregate's key and value, Lindung as
    the source and the comment saying how it was computed (``assess.aggregates.describe``)."""
    return [
        {
            **row,
            "source": "Lindung regional aggregate (population-weighted mean)",
            "comment": describe(row),
            "framework_version": version,
        }
        for row in regional
    ]


@router.get("/indicators/{code}", response_class=HTMLResponse, name="indicator")
def indicator_page(
    request: Request, connection: Reading, _user: Visitor, code: Code, asked: Asked
) -> HTMLResponse:
    """One indicator: definition, formula, SDG link and tiers, custodian and crosswalk; its
    values in the breakdown asked for (chart, table, CSV) and each member state's progress."""
    catalogue = load_catalogue()
    language = locale.current.get()
    indicator = catalogue.indicator(code)
    chosen = chosen_codes(catalogue, indicator, asked)
    # Everything but the visitor's part (who signed in, the CSRF token) is decided by the
    # published values, the breakdown and the language.
    return render_published(
        request,
        connection,
        "indicator.html",
        (indicator.code, tuple(chosen.items()), language),
        lambda: _page_context(connection, catalogue, indicator, chosen, language),
    )


def _page_context(
    connection: Connection,
    catalogue: Catalogue,
    indicator: Indicator,
    chosen: dict[str, str],
    language: str,
) -> dict[str, Any]:
    values = published_values(connection, indicator)
    members = [state.iso3 for state in catalogue.member_states]
    names = {state.iso3: state.name.get(language) for state in catalogue.member_states}
    rows = breakdown_values(values, chosen, members)
    regional = regional_values(connection, catalogue, rows)
    names[REGION] = next(
        (area.name.get(language) for area in catalogue.aggregates if area.code == REGION), REGION
    )
    progress = progress_of(catalogue, indicator, rows)
    query = query_of(chosen)
    return {
        "indicator": indicator,
        "catalogue": catalogue,
        "known_codes": {item.code for item in catalogue.indicators},
        "choices": choices(catalogue, indicator, values, chosen),
        "chosen": chosen,
        "rows": rows,
        "regional": regional,
        "names": names,
        "chart": _chart(indicator, rows, regional, names) if rows else None,
        "progress": [(state, progress.get(state.iso3)) for state in catalogue.member_states],
        "method": PROGRESS_METHOD,
        "asean_tier": asean_tier(connection, catalogue, indicator, values),
        "table_csv": f"/indicators/{indicator.code}/table.csv" + (f"?{query}" if query else ""),
        "data_csv": f"/indicators/{indicator.code}/data.csv",
        "number": number,
    }


def _csv(request: Request, rows: list[dict[str, Any]], filename: str) -> Response:
    return answer(
        request,
        csv_text(rows, COLUMNS).encode("utf-8"),
        media_type=CSV_TYPE,
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@router.get("/indicators/{code}/table.csv", name="indicator_table_csv")
def indicator_table_csv(
    request: Request, connection: Reading, _user: Visitor, code: Code, asked: Asked
) -> Response:
    """The values of the page's table as CSV: the breakdown asked for, in the member states,
    each row with its unit, SE and CI, source, comment and framework version; then the ASEAN
    aggregate of each year that has one (its comment says how it was computed)."""
    catalogue = load_catalogue()
    indicator = catalogue.indicator(code)
    chosen = chosen_codes(catalogue, indicator, asked)
    members = [state.iso3 for state in catalogue.member_states]
    rows = breakdown_values(published_values(connection, indicator), chosen, members)
    rows += _aggregate_records(regional_values(connection, catalogue, rows), catalogue.version)
    label = "_".join(f"{name}-{value}" for name, value in chosen.items() if value != "_T")
    return _csv(request, rows, f"{indicator.code}_{label or 'total'}.csv")


@router.get("/indicators/{code}/data.csv", name="indicator_data_csv")
def indicator_data_csv(
    request: Request, connection: Reading, _user: Visitor, code: Code
) -> Response:
    """Every published value of the indicator as CSV: every area and breakdown, in key order."""
    indicator = load_catalogue().indicator(code)
    rows = records(published_values(connection, indicator))
    return _csv(request, rows, f"{indicator.code}_all.csv")
