"""Numbers and dates as the reader writes them, from Babel's CLDR data.

The same conventions reach Vega through ``d3_format_locale``: the charts in the browser and in
the PDF reports (vl-convert) take that dict as ``config.locale.number``.
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from babel.core import Locale, get_global
from babel.dates import format_date as _babel_date
from babel.numbers import (
    format_decimal as _babel_decimal,
)
from babel.numbers import (
    format_percent as _babel_percent,
)
from babel.numbers import (
    get_currency_symbol,
    get_decimal_symbol,
    get_group_symbol,
    get_territory_currencies,
)

Number = float | int | Decimal


def _digits(decimals: int) -> str:
    """Return the CLDR pattern of a grouped number with exactly ``decimals`` places."""
    return "#,##0" + ("." + "0" * decimals if decimals else "")


def format_decimal(value: Number, locale: str, decimals: int | None = None) -> str:
    """Return ``value`` with the locale's marks ("1.234,5" in id), to ``decimals`` if given."""
    return _babel_decimal(
        value, format=None if decimals is None else _digits(decimals), locale=locale
    )


def format_rounded(value: Any, locale: str, digits: int = 1) -> str:
    """Return ``value`` with ``digits`` decimals as the locale writes it; "" for no value (None,
    NaN, infinite). Rounded half away from zero, as the charts' d3-format rounds (61.25 is 61.3
    in a table and in its chart): the one formatter of the site's and the reports' figures."""
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return ""
    rounded = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-digits), ROUND_HALF_UP)
    return format_decimal(rounded, locale, digits)


def format_number(value: Number, locale: str) -> str:
    """Return ``value`` as a sentence writes it: the locale's marks, every significant digit
    of the number kept ("20.000", "56,3", "0,0001234" in id); magnitudes Babel cannot group
    (from 1e15, and below 1e-6) and non-finite values in scientific notation with the
    locale's decimal mark ("1,7e+308")."""
    number = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
    magnitude = abs(number)
    if not number.is_finite() or (magnitude and not Decimal("1e-6") <= magnitude < Decimal("1e15")):
        return f"{value:g}".replace(".", get_decimal_symbol(locale))
    return _babel_decimal(number, locale=locale, decimal_quantization=False)


def format_percent(ratio: Number, locale: str, decimals: int = 0) -> str:
    """Return ``ratio`` (0.453 for 45.3 %) as the locale writes a percentage ("45,3%" in id)."""
    return _babel_percent(ratio, format=_digits(decimals) + "%", locale=locale)


def format_date(day: dt.date, locale: str, style: str = "medium") -> str:
    """Return ``day`` in the locale's ``style`` ("short", "medium", "long" or "full")."""
    return _babel_date(day, format=style, locale=locale)


def d3_format_locale(locale: str) -> dict[str, Any]:
    """Return the d3-format locale definition of ``locale`` (d3-format's ``formatLocale`` keys).

    Decimal mark and group separator from CLDR; grouping as d3 wants it (group sizes from the
    right, the last one repeating); the currency of the locale's likely territory (USD for
    ``en``, IDR for ``id``) placed where the locale's currency pattern puts it.
    """
    data = Locale.parse(locale)
    pattern = data.currency_formats["standard"]
    primary, secondary = pattern.grouping
    grouping = [primary] if primary == secondary else [primary, secondary]
    territory = Locale.parse(get_global("likely_subtags").get(locale, locale)).territory
    currency = get_territory_currencies(territory)[0] if territory else "USD"
    symbol = get_currency_symbol(currency, locale=locale)
    prefix, suffix = (part[0].replace("¤", symbol) for part in (pattern.prefix, pattern.suffix))
    return {
        "decimal": get_decimal_symbol(locale),
        "thousands": get_group_symbol(locale),
        "grouping": grouping,
        "currency": [prefix, suffix],
    }
