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

#: Who acted, for visitors who may not see the person (``web.submissions.People``).
ROLE_NAMES: dict[str, str] = {
    "admin": N_("an administrator"),
    "secretariat": N_("the ASEAN Secretariat"),
    "focal_point": N_("a focal point"),
    "partner": N_("a partner"),
    "account": N_("a Lindung user"),
}

#: What a visitor can do on every data page.
ACTIONS: dict[str, str] = {
    "download_csv": N_("Download CSV"),
    "download_all": N_("Download all data (CSV)"),
    "language": N_("Language"),
    "sign_in": N_("Sign in"),
    "sign_out": N_("Sign out"),
}

#: What each refusal means and what to do, by the error's stable code (``lindung.errors``, plus
#: ``http`` and ``internal`` from the web): the error's own message names the particulars, in
#: English, since it is built from the data; this sentence says it in the reader's language.
ERRORS: dict[str, str] = {
    "error": N_("The request could not be carried out: the message below says why."),
    "usage": N_("The request is not valid: check what you typed or chose, then try again."),
    "template-request": N_(
        "A template cannot be made as asked: choose the country and year again."
    ),
    "too-large": N_("The file or request is larger than this site accepts: send a smaller one."),
    "setting-invalid": N_("A setting of this site is wrong: tell its administrator."),
    "framework": N_("The indicator framework could not be read: tell the site's administrator."),
    "catalogue-invalid": N_("The indicator framework is not valid: tell the site's administrator."),
    "rule-expression": N_(
        "A validation rule of the framework is not valid: tell its administrator."
    ),
    "unknown-code": N_("A code is not one the framework defines: use one of the codes it lists."),
    "store-unavailable": N_("The data store cannot be reached now: try again in a moment."),
    "not-found": N_(
        "What you asked for does not exist: check the address or start from the overview."
    ),
    "validation-failed": N_("The file has errors: correct each one listed, then upload it again."),
    "submission-state": N_("This step cannot be taken at the submission's present stage."),
    "conflict": N_("Someone else changed this just now: reload the page and try again."),
    "permission-denied": N_("Your account may not do or see this."),
    "unauthenticated": N_("Sign in first."),
    "too-many-attempts": N_("Too many failed sign-ins: wait a few minutes, then try again."),
    "survey-spec": N_("The survey description is not valid: correct it as the message says."),
    "assessment": N_("The assessment cannot be made from these data."),
    "registry-input": N_(
        "A registry or beneficiary file cannot be used: correct it as the message says."
    ),
    "http": N_("The request could not be answered."),
    "internal": N_("The server failed to answer; the failure is logged: try again later."),
}

_LABELS = {
    **SECTIONS,
    **SUBMISSION_STATUSES,
    **PROGRESS_STATUSES,
    **COLUMNS,
    **ACTIONS,
    **{f"role:{code}": words for code, words in ROLE_NAMES.items()},
}


def explanation(code: str, locale: str) -> str:
    """Return what the refusal ``code`` means, in ``locale`` (a general sentence for a code
    this table does not list)."""
    return gettext(ERRORS.get(code, ERRORS["http"]), locale)


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
