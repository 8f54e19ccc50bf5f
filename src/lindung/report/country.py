"""A member state's social protection profile of one year, as data for its template: a
summary of computed figures, progress of each indicator, the vulnerable-groups matrix, data
availability, one section per pillar (the country beside the ASEAN aggregate), consistency
with international figures, methodology and sources."""

from __future__ import annotations

from typing import Any

from lindung.i18n.formatting import format_rounded as number
from lindung.report import sections
from lindung.report.assessment import Assessment
from lindung.report.figures import Figures
from lindung.report.regional import consistency_sentence, progress_sentence
from lindung.report.words import status_word, translator, unit_word


def country_profile(assessment: Assessment, iso3: str, language: str) -> dict[str, Any]:
    """Return everything the country profile of ``iso3`` shows, in ``language``."""
    _ = translator(language)
    data = assessment.data
    state = data.catalogue.member_state(iso3)
    figures = Figures(language, data.catalogue.version)
    name = state.name.get(language)
    availability = sections.availability_section(assessment, language, figures, iso3)
    pillars = sections.pillar_sections(assessment, language, figures, iso3)
    toc, contents = sections.table_of_contents(
        [
            ("summary", _("Summary"), ()),
            ("progress", _("Progress by indicator"), ()),
            ("matrix", _("Vulnerable groups and life dimensions"), ()),
            ("availability", _("Data availability"), ()),
            *((f"pillar-{p['code']}", _("Pillar: %(name)s", name=p["name"]), ()) for p in pillars),
            ("consistency", _("National and international figures"), ()),
            ("methodology", _("Methodology notes and sources"), ()),
        ]
    )
    return {
        "iso3": iso3,
        "country": name,
        "title": _("%(country)s: social protection profile %(year)s", country=name, year=data.year),
        "year": data.year,
        "framework_version": data.catalogue.version,
        "toc": toc,
        "contents": contents,
        "summary": country_summary(assessment, iso3, language),
        "progress": progress_table(assessment, iso3, language),
        "status_counts": sections.status_counts(assessment, language, iso3),
        "matrix": sections.matrix(assessment, iso3, language),
        "availability": availability,
        "pillars": pillars,
        "consistency": sections.consistency(assessment, language, iso3),
        "sources": sections.sources(assessment, iso3),
        "figures": figures.made,
    }


def country_summary(assessment: Assessment, iso3: str, language: str) -> list[str]:
    """Return the profile's summary sentences, each figure computed from the assessment."""
    _ = translator(language)
    data = assessment.data
    name = data.catalogue.member_state(iso3).name.get(language)
    with_data = assessment.with_data(iso3)
    lines = [
        _(
            "%(country)s has published values of %(count)s of the framework's %(total)s "
            "assessed indicators up to %(year)s.",
            country=name,
            count=len(with_data),
            total=len(data.codes),
            year=data.year,
        )
    ]
    latest = sections.latest_values(assessment)
    for code in [code for code in with_data if (code, iso3) in latest][:4]:
        value = latest[(code, iso3)]
        regional = assessment.latest_aggregate(code)
        text = _(
            "%(name)s: %(value)s (%(unit)s) in %(year)s.",
            name=data.catalogue.indicator(code).name.get(language),
            value=number(value[0], language),
            unit=unit_word(data.catalogue.indicator(code).unit, language),
            year=value[1],
        )
        if regional is not None:
            text += " " + _(
                "ASEAN population-weighted mean: %(value)s in %(year)s.",
                value=number(regional["value"], language),
                year=regional["time_period"],
            )
        lines.append(text)
    lines.append(progress_sentence(assessment, language, iso3))
    lines.append(consistency_sentence(assessment, language, iso3))
    return lines


def progress_table(assessment: Assessment, iso3: str, language: str) -> list[dict[str, Any]]:
    """Return the progress of each indicator of ``iso3`` with data: baseline and current value
    and year, and the status."""
    catalogue = assessment.data.catalogue
    rows = []
    for code in assessment.with_data(iso3):
        found = assessment.progress.get((code, iso3))
        if found is None:
            continue
        rows.append(
            {
                "code": code,
                "name": catalogue.indicator(code).name.get(language),
                "base_year": found.get("base_year") or "",
                "base_value": number(found.get("base_value"), language),
                "current_year": found.get("current_year") or "",
                "current_value": number(found.get("current_value"), language),
                "status": found["status"],
                "words": status_word(str(found["status"]), language),
            }
        )
    return rows
