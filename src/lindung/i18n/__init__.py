"""Lindung in English and Bahasa Indonesia: message catalogues and locale-aware formatting.

The catalogues are gettext ``.po`` files under ``i18n/locale/<language>/LC_MESSAGES/``, read
with Babel at run time (no compiled ``.mo`` is shipped) and cached. English is the source text;
``make i18n`` extracts the messages of ``web/`` and ``i18n/labels.py`` and updates both files.
Numbers and dates follow the reader's locale through Babel (CLDR): ``1,234.5`` in English,
``1.234,5`` in Indonesian; ``d3_format_locale`` gives Vega the same conventions.
"""

from lindung.i18n.catalogues import (
    DEFAULT_LOCALE,
    LOCALES,
    gettext,
    negotiate,
    ngettext,
    supported,
    translations,
)
from lindung.i18n.formatting import (
    d3_format_locale,
    format_date,
    format_decimal,
    format_number,
    format_percent,
)
from lindung.i18n.labels import label

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "d3_format_locale",
    "format_date",
    "format_decimal",
    "format_number",
    "format_percent",
    "gettext",
    "label",
    "negotiate",
    "ngettext",
    "supported",
    "translations",
]
