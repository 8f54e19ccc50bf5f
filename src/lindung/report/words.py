"""The words and numbers of a report in its language: messages from the project's catalogues
(``lindung.i18n``), shares as the reader writes them, and the names of codes. Figures are
written by ``lindung.i18n.formatting.format_rounded``, the site's formatter too.

The English messages here are marked with ``_`` or ``N_`` so that ``make i18n`` extracts them
(``babel.cfg`` lists ``report/``); the catalogues hold their Indonesian.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from lindung.errors import UsageError
from lindung.i18n.catalogues import LOCALES, gettext, ngettext, supported
from lindung.i18n.formatting import format_percent
from lindung.i18n.labels import N_, PROGRESS_STATUSES

#: The life dimensions of the vulnerable-groups matrix (``framework.models.LifeDimension``).
LIFE_DIMENSIONS: dict[str, str] = {
    "income_security": N_("Income security"),
    "health": N_("Health"),
    "education": N_("Education"),
    "care": N_("Care"),
    "employment": N_("Employment"),
}
#: The units of the framework (``framework.models.Unit``) as a reader names them.
UNITS: dict[str, str] = {
    "percent": N_("percent"),
    "ratio": N_("ratio"),
    "index": N_("index"),
    "LCU": N_("local currency units"),
    "PPP$": N_("PPP dollars"),
    "int$_2011": N_("international dollars of 2011"),
    "persons": N_("persons"),
    "count": N_("count"),
}
#: The row of the matrix for indicators that concern everyone (``assess.matrix``).
WHOLE_POPULATION = N_("Whole population")
#: A matrix entry without any value for the area.
NO_DATA = N_("No data")
#: The aggregation methods of ``assess.aggregates``.
METHODS: dict[str, str] = {
    "population_weighted": N_("Population-weighted mean"),
    "simple_mean": N_("Simple mean"),
}


def language_of(requested: str | None) -> str:
    """Return the report language for ``--lang`` ("id-ID" is "id"); refuse any other."""
    chosen = supported(requested or "en")
    if chosen is None:
        raise UsageError(f"--lang {requested!r}: Lindung reports in {', '.join(LOCALES)}")
    return chosen


def translator(language: str) -> Callable[..., str]:
    """Return ``_`` for ``language``: ``_("text %(n)s", n=...)`` translates, then fills in."""

    def _(message: str, **values: Any) -> str:
        text = gettext(message, language)
        return text % values if values else text

    return _


def plural(language: str, singular: str, many: str, count: int) -> str:
    """Return the form of ``singular``/``many`` that ``count`` takes, ``%(num)s`` filled in."""
    return ngettext(singular, many, count, language) % {"num": count}


def share(ratio: Any, language: str) -> str:
    """Return a ratio (0.453) as ``language`` writes a whole percentage ("45%"); "" for none."""
    if ratio is None or (isinstance(ratio, float) and not math.isfinite(ratio)):
        return ""
    return format_percent(float(ratio), language)


def unit_word(unit: str, language: str) -> str:
    """Return the words of a unit of the framework in ``language`` (the code if unknown)."""
    return gettext(UNITS[unit], language) if unit in UNITS else unit


def status_word(status: str, language: str) -> str:
    """Return the words of a progress status (``i18n.labels``) or of "no data"."""
    if status in PROGRESS_STATUSES:
        return gettext(PROGRESS_STATUSES[status], language)
    return gettext(NO_DATA, language)
