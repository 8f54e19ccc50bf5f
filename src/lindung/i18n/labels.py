"""The site's words that name data rather than sit in one template: statuses, columns, sections.

A submission's status and a progress status are codes in the store and in ``assess``; a page
shows ``label(code, locale)``. The English words are marked with ``N_`` so that ``make i18n``
extracts them; the catalogues hold their Indonesian.
"""

from __future__ import annotations

from lindung.errors import UsageError
from lindung.i18n.catalogues import gettext, ngettext


def N_(message: str) -> str:
    """Return ``message`` unchanged: marks it for extraction, to be translated when shown."""
    return message


#: The parts of the site, in the order the navigation lists them.
SECTIONS: dict[str, str] = {
    "overview": N_("Overview"),
    "countries": N_("Countries"),
    "indicators": N_("Indicators"),
    "reporting": N_("Reporting status"),
    "surveys": N_("Survey runs"),
    "submissions": N_("Submissions"),
}

#: A submission's place in the workflow (``lindung.store.STATUSES``).
SUBMISSION_STATUSES: dict[str, str] = {
    "draft": N_("Draft"),
    "submitted": N_("Submitted"),
    "validated": N_("Validated"),
    "returned": N_("Returned"),
    "published": N_("Published"),
}

#: Progress towards a target or along a trend (``lindung.assess.progress``: Open SDG and ESCAP).
PROGRESS_STATUSES: dict[str, str] = {
    "target_achieved": N_("Target achieved"),
    "substantial_progress": N_("Substantial progress"),
    "moderate_progress": N_("Moderate progress"),
    "limited_progress": N_("Limited progress"),
    "deterioration": N_("Deterioration"),
    "maintain_progress": N_("Maintain progress to achieve the target"),
    "accelerate_progress": N_("Accelerate progress to achieve the target"),
    "reverse_trend": N_("Reverse the trend to achieve the target"),
    "insufficient_data": N_("Insufficient data"),
    "not_available": N_("Not available"),
    "not_assessed": N_("Not assessed"),
    "no_target": N_("No target"),
}

#: Headings of the columns of tables and downloads, and the titles of chart axes.
COLUMNS: dict[str, str] = {
    "ref_area": N_("Country"),
    "series": N_("Indicator"),
    "time_period": N_("Year"),
    "value": N_("Value"),
    "unit": N_("Unit"),
    "se": N_("Standard error"),
    "ci": N_("Confidence interval"),
    "source": N_("Source"),
    "status": N_("Status"),
}

#: What a visitor can do on every data page.
ACTIONS: dict[str, str] = {
    "download_csv": N_("Download CSV"),
    "download_all": N_("Download all data (CSV)"),
    "language": N_("Language"),
    "sign_in": N_("Sign in"),
    "sign_out": N_("Sign out"),
}

_LABELS = {**SECTIONS, **SUBMISSION_STATUSES, **PROGRESS_STATUSES, **COLUMNS, **ACTIONS}


def label(code: str, locale: str) -> str:
    """Return the words for ``code`` (a section, status, column or action above) in ``locale``."""
    try:
        return gettext(_LABELS[code], locale)
    except KeyError:
        raise UsageError(f"no label for {code!r}; known: {', '.join(sorted(_LABELS))}") from None


def member_states(number: int, locale: str) -> str:
    """Return "1 member state", "11 member states" in ``locale`` (Indonesian has one form)."""
    return ngettext("%(num)d member state", "%(num)d member states", number, locale) % {
        "num": number
    }
