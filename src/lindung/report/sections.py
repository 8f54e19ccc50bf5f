"""The sections both reports are made of, as plain data for the templates: the progress
dashboard, the vulnerable-groups matrix, availability and tiers, a pillar's tables and charts,
regional aggregates, consistency and the sources. Every number is an ``Assessment``'s; here it
is only chosen, translated and formatted."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from lindung.assess.consistency import Comparison
from lindung.assess.headline import headline
from lindung.charts import availability_heatmap, time_series
from lindung.framework.models import Indicator
from lindung.i18n.formatting import d3_format_locale
from lindung.i18n.formatting import format_rounded as number
from lindung.report.assessment import (
    HEADLINE_METHOD,
    MIN_POINTS,
    REGION,
    SINCE,
    STATUS_ORDER,
    Assessment,
)
from lindung.report.figures import Figures
from lindung.report.words import (
    LIFE_DIMENSIONS,
    METHODS,
    WHOLE_POPULATION,
    share,
    status_word,
    translator,
    unit_word,
)

#: The first year the charts draw (older values stay in the tables' "latest" only if newest).
CHART_FROM = 2000


def table_of_contents(
    entries: Sequence[tuple[str, str, Sequence[tuple[str, str]]]],
) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """Return the numbered contents of ``entries`` (id, words, children as (id, words)) and
    each entry, child entries too, by its id (the anchor of its heading)."""
    toc: list[dict[str, Any]] = []
    by_id: dict[str, dict[str, Any]] = {}
    for place, (anchor, words, children) in enumerate(entries, start=1):
        entry: dict[str, Any] = {
            "id": anchor,
            "number": str(place),
            "words": words,
            "children": [
                {"id": child, "number": f"{place}.{position}", "words": child_words}
                for position, (child, child_words) in enumerate(children, start=1)
            ],
        }
        toc.append(entry)
        by_id[anchor] = entry
        by_id.update({child["id"]: child for child in entry["children"]})
    return toc, by_id


def area_name(assessment: Assessment, code: str, language: str) -> str:
    """Return the name of a member state or aggregate in ``language``."""
    catalogue = assessment.data.catalogue
    for state in catalogue.member_states:
        if state.iso3 == code:
            return state.name.get(language)
    for aggregate in catalogue.aggregates:
        if aggregate.code == code:
            return aggregate.name.get(language)
    return code


def indicator_rows(assessment: Assessment, codes: Sequence[str], language: str) -> list[Any]:
    """Return the framework's indicators of ``codes`` with their name in ``language``."""
    catalogue = assessment.data.catalogue
    return [
        {
            "code": code,
            "name": catalogue.indicator(code).name.get(language),
            "unit": unit_word(catalogue.indicator(code).unit, language),
        }
        for code in codes
    ]


def status_counts(assessment: Assessment, language: str, area: str | None = None) -> list[Any]:
    """Return (status, words, count) of each status held by a headline value, best first."""
    counts = assessment.statuses(area)
    known = [s for s in STATUS_ORDER if counts[s]]
    others = sorted(s for s in counts if s not in STATUS_ORDER)
    return [(s, status_word(s, language), counts[s]) for s in (*known, *others)]


def dashboard(assessment: Assessment, language: str) -> dict[str, Any]:
    """Return the progress dashboard: the status of each indicator with data (rows) in each
    member state (columns), and how many values hold each status."""
    codes = assessment.with_data()
    cells = {
        code: {
            iso3: assessment.progress[(code, iso3)]["status"]
            for iso3 in assessment.members
            if (code, iso3) in assessment.progress
        }
        for code in codes
    }
    return {
        "indicators": indicator_rows(assessment, codes, language),
        "areas": [(iso3, area_name(assessment, iso3, language)) for iso3 in assessment.members],
        "cells": cells,
        "counts": status_counts(assessment, language),
        "words": {s: status_word(s, language) for row in cells.values() for s in row.values()},
    }


def matrix(assessment: Assessment, area: str, language: str) -> dict[str, Any]:
    """Return the vulnerable-groups matrix of ``area`` as a grid: for each group and life
    dimension, its indicators with data (value, year, status) and how many it has."""
    _ = translator(language)
    catalogue = assessment.data.catalogue
    names = {entry.code: entry.name.get(language) for entry in catalogue.codelist("group").codes}
    rows = assessment.matrix(area)
    groups = list(dict.fromkeys(str(row["group"]) for row in rows))
    dimensions = list(dict.fromkeys(str(row["life_dimension"]) for row in rows))
    grid: dict[tuple[str, str], dict[str, Any]] = {}
    for row in rows:
        entries = row["indicators"]
        shown = [
            {
                "series": e["series"],
                "women": e["sex"] == "F",
                "value": number(e["value"], language),
                "year": e["year"],
                "status": e["status"],
                "words": status_word(e["status"], language),
            }
            for e in entries
            if e["value"] is not None
        ]
        grid[(str(row["group"]), str(row["life_dimension"]))] = {
            "entries": shown,
            "count": len(entries),
        }
    return {
        "groups": [(g, names.get(g) or _(WHOLE_POPULATION)) for g in groups],
        "dimensions": [(d, _(LIFE_DIMENSIONS.get(d, d))) for d in dimensions],
        "grid": grid,
    }


def availability_section(
    assessment: Assessment, language: str, figures: Figures, area: str | None = None
) -> dict[str, Any]:
    """Return the availability of data (a heat map of every member state, or one member
    state's rows) and the ASEAN tiers."""
    _ = translator(language)
    catalogue = assessment.data.catalogue
    rows = [row for row in assessment.available if area is None or row["ref_area"] == area]
    figure = None
    if area is None:
        spec = availability_heatmap(
            [
                {
                    "series": row["series"],
                    "area": area_name(assessment, row["ref_area"], language),
                    "points": row["points"],
                    "latest": row["latest_year"],
                }
                for row in rows
                if row["series"] in assessment.with_data()
            ],
            title="",
            description=_(
                "Heat map: for each indicator and member state, the years with data since %(year)s",
                year=SINCE,
            ),
            series_title=_("Indicator"),
            area_title=_("Member state"),
            points_title=_("Years with data"),
            latest_title=_("Latest year"),
            number_locale=d3_format_locale(language),
            width=400,
        )
        figure = figures.add(
            spec,
            title=_("Years with data since %(year)s, by indicator and member state", year=SINCE),
            sources=assessment.data.values["source"] if not assessment.data.values.empty else (),
        )
    tiers = [
        {
            "code": row["series"],
            "name": catalogue.indicator(str(row["series"])).name.get(language),
            "global_tier": row["global_tier"] or "",
            "asean_tier": row["asean_tier"],
            "countries": len(row["countries"]),
            "population_share": share(row["population_share"], language),
        }
        for row in assessment.tiers
    ]
    return {
        "figure": figure,
        "rows": [
            {
                **row,
                "name": catalogue.indicator(str(row["series"])).name.get(language),
                "area_name": area_name(assessment, str(row["ref_area"]), language),
                "breakdowns": [
                    catalogue.codelist(name).title.get(language) for name in row["disaggregations"]
                ],
            }
            for row in rows
            if row["latest_year"] is not None
        ],
        "tiers": tiers,
        "since": SINCE,
        "min_points": MIN_POINTS,
    }


def _chart_points(assessment: Assessment, code: str, areas: Sequence[str], language: str) -> Any:
    values = assessment.data.values
    part = headline(values[(values["series"] == code) & values["ref_area"].isin(list(areas))])
    part = part[part["time_period"].astype(int) >= CHART_FROM]
    points = [
        {
            "area": area_name(assessment, str(r["ref_area"]), language),
            "year": int(r["time_period"]),
            "value": float(r["value"]),
        }
        for r in part.to_dict("records")
    ]
    return points, [str(s) for s in part["source"]]


def pillar_sections(
    assessment: Assessment, language: str, figures: Figures, area: str | None = None
) -> list[dict[str, Any]]:
    """Return one section per pillar: its indicators with data, the latest value of each
    member state (or of ``area``) and of ASEAN, and a time-series chart per indicator."""
    _ = translator(language)
    catalogue = assessment.data.catalogue
    with_data = assessment.with_data(area)
    areas = assessment.members if area is None else [area]
    latest = latest_values(assessment)
    sections = []
    for pillar in catalogue.pillars:
        codes = [
            i.code
            for i in catalogue.indicators
            if i.pillar == pillar.code and i.code in assessment.data.codes
        ]
        if not codes:
            continue
        shown = [code for code in codes if code in with_data]
        rows = []
        charts = []
        for code in shown:
            indicator = catalogue.indicator(code)
            regional = assessment.latest_aggregate(code)
            rows.append(
                {
                    "code": code,
                    "name": indicator.name.get(language),
                    "unit": unit_word(indicator.unit, language),
                    "sdg": indicator.sdg.indicator if indicator.sdg else "",
                    "latest": {
                        iso3: {"value": number(found[0], language), "year": found[1]}
                        for iso3 in areas
                        if (found := latest.get((code, iso3))) is not None
                    },
                    "asean": {
                        "value": number(regional["value"], language),
                        "year": regional["time_period"],
                    }
                    if regional
                    else None,
                }
            )
            charts.append(_chart(assessment, indicator, areas, language, figures))
        sections.append(
            {
                "code": pillar.code,
                "name": pillar.name.get(language),
                "rows": rows,
                "figures": [chart for chart in charts if chart is not None],
                "without_data": [
                    {"code": code, "name": catalogue.indicator(code).name.get(language)}
                    for code in codes
                    if code not in with_data
                ],
            }
        )
    return sections


def _chart(
    assessment: Assessment,
    indicator: Indicator,
    areas: Sequence[str],
    language: str,
    figures: Figures,
) -> Any:
    _ = translator(language)
    points, sources = _chart_points(assessment, indicator.code, areas, language)
    if not points:
        return None
    regional = [
        row
        for row in assessment.aggregate_series(indicator.code)
        if int(row["time_period"]) >= CHART_FROM
    ]
    region = area_name(assessment, REGION, language)
    points += [
        {"area": region, "year": int(row["time_period"]), "value": float(row["value"])}
        for row in regional
    ]
    if regional:
        sources.append(_("Lindung regional aggregate (population-weighted mean)"))
    target = indicator.target.value if indicator.target else None
    name = indicator.name.get(language)
    spec = time_series(
        points,
        title="",
        description=_("Line chart of %(name)s by year", name=name),
        year_title=_("Year"),
        value_title=f"{_('Value')} ({unit_word(indicator.unit, language)})",
        area_title=_("Area"),
        number_locale=d3_format_locale(language),
        target=target,
        target_title=_("Target"),
        height=200,
    )
    return figures.add(spec, title=f"{name} ({indicator.code})", sources=sources)


def latest_values(assessment: Assessment) -> dict[tuple[str, str], tuple[float, int]]:
    """Return the latest headline (value, year) of each (series, member state)."""
    values = assessment.data.values
    if values.empty:
        return {}
    newest = headline(values).sort_values("time_period").groupby(["series", "ref_area"]).tail(1)
    return {
        (str(r["series"]), str(r["ref_area"])): (float(r["value"]), int(r["time_period"]))
        for r in newest.to_dict("records")
    }


def aggregates(assessment: Assessment, language: str) -> list[dict[str, Any]]:
    """Return, per series and region, the latest aggregates of both methods, the population
    share of the countries with data and how many countries they are."""
    rows = []
    for code in assessment.with_data():
        name = assessment.data.catalogue.indicator(code).name.get(language)
        for region in (REGION, "ASEAN10"):
            weighted = assessment.latest_aggregate(code, region, HEADLINE_METHOD)
            simple = assessment.latest_aggregate(code, region, "simple_mean")
            if weighted is None and simple is None:
                continue
            chosen = weighted or simple
            assert chosen is not None
            rows.append(
                {
                    "code": code,
                    "name": name,
                    "region": area_name(assessment, region, language),
                    "year": chosen["time_period"],
                    "weighted": number(weighted["value"], language) if weighted else "",
                    "simple": number(simple["value"], language) if simple else "",
                    "population_share": share(chosen["population_share"], language),
                    "countries": len(chosen["countries"]),
                }
            )
    return rows


def methods(language: str) -> dict[str, str]:
    """Return the words of the aggregation methods."""
    _ = translator(language)
    return {code: _(words) for code, words in METHODS.items()}


def consistency(assessment: Assessment, language: str, area: str | None = None) -> dict[str, Any]:
    """Return the national-vs-international comparison: per country, the pairs compared and
    flagged; and each flagged pair."""
    rows = [r for r in assessment.consistency if area is None or r["ref_area"] == area]
    by_area: dict[str, list[Comparison]] = {}
    for row in rows:
        by_area.setdefault(row["ref_area"], []).append(row)
    return {
        "pairs": len(rows),
        "flagged_count": sum(1 for r in rows if r["flag"]),
        "summary": [
            {
                "area": area_name(assessment, iso3, language),
                "compared": len(items),
                "flagged": sum(1 for r in items if r["flag"]),
                "mean_abs_difference": number(
                    sum(abs(float(r["difference"])) for r in items) / len(items), language, 2
                ),
            }
            for iso3, items in sorted(by_area.items())
        ],
        "flagged": [
            {
                "area": area_name(assessment, str(r["ref_area"]), language),
                "code": r["series"],
                "year": r["time_period"],
                "national": number(r["national"], language),
                "international": number(r["international"], language),
                "agency": r["agency"],
                "difference": number(r["difference"], language),
                "tolerance": number(r["tolerance"], language),
            }
            for r in rows
            if r["flag"]
        ],
    }


def sources(assessment: Assessment, area: str | None = None) -> list[tuple[str, int]]:
    """Return each source of the values shown (of ``area``, or of every member state) with
    the number of values it gave, most first."""
    values = assessment.data.values
    if values.empty:
        return []
    if area is not None:
        values = values[values["ref_area"] == area]
    counts = values["source"].fillna("").astype(str).value_counts()
    return sorted(((str(s), int(n)) for s, n in counts.items() if s), key=lambda x: (-x[1], x[0]))
