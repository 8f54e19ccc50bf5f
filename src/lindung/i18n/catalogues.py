"""The message catalogues, read from ``.po`` files with Babel, and the choice of language.

A language is chosen from, in order: an explicit ``?lang=``, the cookie that remembers an
earlier choice, the browser's ``Accept-Language`` (by quality, then order), else English.
"""

from __future__ import annotations

import io
from functools import cache
from importlib.resources import files

from babel.core import negotiate_locale
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

from lindung.errors import UsageError

#: The languages Lindung speaks, English (the source text) first.
LOCALES: tuple[str, ...] = ("en", "id")
DEFAULT_LOCALE = "en"
#: More Accept-Language entries than any browser sends are ignored, not parsed.
_MOST_LANGUAGES = 20


def supported(locale: str | None) -> str | None:
    """Return ``locale`` as one of ``LOCALES`` ("id-ID" and "ID" are "id"), or None."""
    if not locale:
        return None
    language = locale.strip().replace("_", "-").split("-")[0].lower()
    return language if language in LOCALES else None


def negotiate(
    query: str | None = None, cookie: str | None = None, accept_language: str | None = None
) -> str:
    """Return the language to answer in: ``?lang=``, then the cookie, then Accept-Language."""
    for explicit in (query, cookie):
        chosen = supported(explicit)
        if chosen is not None:
            return chosen
    preferred = _accepted(accept_language or "")
    return negotiate_locale(preferred, LOCALES, sep="-") or DEFAULT_LOCALE


def _accepted(header: str) -> list[str]:
    """Return the language tags of an Accept-Language header, most wanted first (RFC 9110)."""
    weighted: list[tuple[float, int, str]] = []
    for position, part in enumerate(header.split(",")[:_MOST_LANGUAGES]):
        tag, _, parameters = part.partition(";")
        quality = 1.0
        name, _, number = parameters.strip().partition("=")
        if name.strip().lower() == "q":
            try:
                quality = float(number)
            except ValueError:
                continue
        if tag.strip() and tag.strip() != "*" and quality > 0:
            weighted.append((-quality, position, tag.strip()))
    return [tag for _, _, tag in sorted(weighted)]


@cache
def translations(locale: str) -> Translations:
    """Return the translations of ``locale``, read from its ``.po`` file once and kept."""
    if locale not in LOCALES:
        raise UsageError(f"Lindung has no {locale!r} translation; use one of {', '.join(LOCALES)}")
    po = files("lindung.i18n") / "locale" / locale / "LC_MESSAGES" / "messages.po"
    with po.open("rb") as source:
        catalogue = read_po(source, locale=locale, abort_invalid=True)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue)
    compiled.seek(0)
    return Translations(compiled, domain="messages")


def gettext(message: str, locale: str) -> str:
    """Return ``message`` in ``locale`` (the English text where it has no translation).

    The message comes first, as in gettext, so Babel's extractor finds it without options.
    """
    return translations(locale).gettext(message)


def ngettext(singular: str, plural: str, number: int, locale: str) -> str:
    """Return the form of ``singular``/``plural`` that ``number`` takes in ``locale``."""
    return translations(locale).ngettext(singular, plural, number)
