"""The ASEAN Social Protection Monitoring Report of one year, as data for its template: an
executive summary whose every figure is computed, the progress dashboard, the vulnerable-groups
matrix, availability and tiers, one section per pillar, regional aggregates, consistency,
country annexes, methodology and sources."""

from __future__ import annotations

from typing import Any

from lindung.assess.headline import OVERVIEW_SERIES
from lindung.assess.matrix import FAVOURABLE, UNFAVOURABLE
from lindung.i18n.formatting import format_rounded as number
from lindung.report import maps, sections
from lindung.report.assessment import REGION, Assessment
from lindung.report.figures import Figures
from lindung.report.words import share, status_word, translator, unit_word

#: Statuses that judge progress (the others say why there is no judgment).
JUDGED = (
    "target_achieved",
    "substantial_progress",
    "moderate_progress",
    "limited_progress",
    "deterioration",
)


def regional_report(assessment: Assessment, language: str) -> dict[str, Any]:
    """Return everything the regional report's template shows, in ``language``."""
    _ = translator(language)
    data = assessment.data
    figures = Figures(language, data.catalogue.version)
    title = _("ASEAN Social Protection Monitoring Report %(year)s", year=data.year)
    # Made first: the map is the executive summary's figure, figure 1.
    summary_map = maps.latest_value_map(assessment, language, figures)
    availability = sections.availability_section(assessment, language, figures)
    pillars = sections.pillar_sections(assessment, language, figures)
    found = annexes(assessment, language)
    toc, contents = sections.table_of_contents(
        [
            ("summary", _("Executive summary"), ()),
            ("dashboard", _("Progress dashboard"), ()),
            ("matrix", _("Vulnerable groups and life dimensions"), ()),
            ("availability", _("Data availability and ASEAN tiers"), ()),
            *((f"pillar-{p['code']}", _("Pillar: %(name)s", name=p["name"]), ()) for p in pillars),
            ("aggregates", _("Regional aggregates"), ()),
            ("consistency", _("National and international figures"), ()),
            ("annexes", _("Country annexes"), [(f"annex-{a['iso3']}", a["name"]) for a in found]),
            ("methodology", _("Methodology notes and sources"), ()),
        ]
    )
    return {
        "title": title,
        "year": data.year,
        "framework_version": data.catalogue.version,
        "toc": toc,
        "contents": contents,
        "summary": regional_summary(assessment, language),
        "summary_map": summary_map,
        "dashboard": sections.dashboard(assessment, language),
        "matrix": sections.matrix(assessment, REGION, language),
        "availability": availability,
        "pillars": pillars,
        "aggregates": sections.aggregates(assessment, language),
        "consistency": sections.consistency(assessment, language),
        "annexes": found,
        "sources": sections.sources(assessment),
        "figures": figures.made,
    }


def regional_summary(assessment: Assessment, language: str) -> list[str]:
    """Return the executive summary's sentences, each figure computed from the assessment."""
    _ = translator(language)
    data = assessment.data
    members = assessment.members
    reporting = sorted(
        {str(a) for a in data.values["ref_area"]} & set(members) if not data.values.empty else ()
    )
    lines = [
        _(
            "%(count)s of the %(total)s member states have published values of the "
            "framework's indicators up to %(year)s.",
            count=len(reporting),
            total=len(members),
            year=data.year,
        ),
        _(
            "%(count)s of the framework's %(total)s assessed indicators have a value for at "
            "least one member state.",
            count=len(assessment.with_data()),
            total=len(data.codes),
        ),
    ]
    for code in OVERVIEW_SERIES:
        found = assessment.latest_aggregate(code)
        if found is None:
            continue
        lines.append(
            _(
                "%(name)s, ASEAN population-weighted mean: %(value)s (%(unit)s) in %(year)s; "
                "the %(countries)s member states with data hold %(share)s of the population.",
                name=data.catalogue.indicator(code).name.get(language),
                value=number(found["value"], language),
                unit=unit_word(str(found["unit"]), language),
                year=found["time_period"],
                countries=len(found["countries"]),
                share=share(found["population_share"], language),
            )
        )
    lines.append(progress_sentence(assessment, language))
    lines.append(consistency_sentence(assessment, language))
    if assessment.tiers:
        tiers = [row["asean_tier"] for row in assessment.tiers]
        lines.append(
            _(
                "ASEAN tiers: %(one)s indicators in Tier I, %(two)s in Tier II and %(three)s "
                "in Tier III.",
                one=tiers.count("I"),
                two=tiers.count("II"),
                three=tiers.count("III"),
            )
        )
    return lines


def progress_sentence(assessment: Assessment, language: str, area: str | None = None) -> str:
    """Return how many headline values are judged, and how many of them go well or badly."""
    _ = translator(language)
    counts = assessment.statuses(area)
    return _(
        "Of %(judged)s indicator values with a progress judgment, %(good)s achieved the target "
        "or made substantial progress and %(bad)s show limited progress or deterioration.",
        judged=sum(counts[s] for s in JUDGED),
        good=sum(counts[s] for s in JUDGED if s in FAVOURABLE),
        bad=sum(counts[s] for s in JUDGED if s in UNFAVOURABLE),
    )


def consistency_sentence(assessment: Assessment, language: str, area: str | None = None) -> str:
    """Return how many national values differ from their international equivalent."""
    _ = translator(language)
    rows = [r for r in assessment.consistency if area is None or r["ref_area"] == area]
    if not rows:
        return _("No national value has an international equivalent of the same year yet.")
    return _(
        "%(flagged)s of %(pairs)s national values compared with an international equivalent "
        "differ by more than the tolerance.",
        flagged=sum(1 for r in rows if r["flag"]),
        pairs=len(rows),
    )


def annexes(assessment: Assessment, language: str) -> list[dict[str, Any]]:
    """Return one annex per member state: the latest value, year and status of each of its
    indicators with data."""
    latest = sections.latest_values(assessment)
    catalogue = assessment.data.catalogue
    found = []
    for state in catalogue.member_states:
        rows = []
        for code in assessment.with_data(state.iso3):
            value = latest.get((code, state.iso3))
            if value is None:
                continue
            progress = assessment.progress.get((code, state.iso3))
            rows.append(
                {
                    "code": code,
                    "name": catalogue.indicator(code).name.get(language),
                    "unit": unit_word(catalogue.indicator(code).unit, language),
                    "value": number(value[0], language),
                    "year": value[1],
                    "status": status_word(progress["status"], language) if progress else "",
                }
            )
        found.append({"iso3": state.iso3, "name": state.name.get(language), "rows": rows})
    return found
