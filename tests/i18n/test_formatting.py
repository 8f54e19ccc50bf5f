"""Numbers and dates as each language writes them, and the same conventions for Vega."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from lindung import i18n


def test_indonesian_writes_a_comma_for_decimals_and_dots_between_thousands() -> None:
    assert i18n.format_decimal(1234.5, "id") == "1.234,5"
    assert i18n.format_decimal(1234.5, "en") == "1,234.5"
    assert i18n.format_decimal(1234567.891, "id", decimals=1) == "1.234.567,9"
    assert i18n.format_decimal(Decimal("0.5"), "id", decimals=2) == "0,50"
    assert i18n.format_decimal(45, "en", decimals=0) == "45"


def test_percentages_follow_the_locale() -> None:
    assert i18n.format_percent(0.453, "id", decimals=1) == "45,3%"
    assert i18n.format_percent(0.453, "en", decimals=1) == "45.3%"
    assert i18n.format_percent(1, "en") == "100%"


def test_dates_are_written_in_the_reader_s_language() -> None:
    day = dt.date(2025, 10, 26)  # Timor-Leste joined ASEAN
    assert i18n.format_date(day, "id", "long") == "26 Oktober 2025"
    assert i18n.format_date(day, "en", "long") == "October 26, 2025"


def test_the_d3_format_locales_match_d3_and_cldr() -> None:
    # English: d3-format 3.1.0's own locale/en-US.json.
    assert i18n.d3_format_locale("en") == {
        "decimal": ".",
        "thousands": ",",
        "grouping": [3],
        "currency": ["$", ""],
    }
    # Indonesian (d3-format ships none): CLDR's id numbers, rupiah before the amount; the
    # browser test checks the same marks against Chromium's ICU (Intl.NumberFormat("id")).
    assert i18n.d3_format_locale("id") == {
        "decimal": ",",
        "thousands": ".",
        "grouping": [3],
        "currency": ["Rp", ""],
    }
