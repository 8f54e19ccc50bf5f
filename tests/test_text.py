"""User text made safe: what a spreadsheet would run is marked as text, what a terminal would
obey is shown as escapes (OWASP "CSV injection"; ECMA-48 control functions)."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from lindung.text import for_console, formula_like, neutralise, neutralise_sheet, normalise

#: Text a spreadsheet runs: the OWASP list of first characters, with a real payload.
PAYLOADS = ("=cmd|'/c calc'!A0", "+1+cmd|'/c calc'!A0", "-1+cmd|'/c calc'!A0", "@SUM(A1)")
RAW_STARTS = ("\t=1+1", "\r=1+1")
#: Whitespace that trimming removes, so that the payload behind it is what gets stored.
LEADING = ("", " ", "\u00a0", "\u3000", "\n", "\r", " \u00a0\n")


@pytest.mark.parametrize("lead", LEADING)
@pytest.mark.parametrize("payload", PAYLOADS + RAW_STARTS)
def test_a_formula_behind_any_leading_whitespace_is_formula_like(lead: str, payload: str) -> None:
    assert formula_like(lead + payload)
    assert formula_like(normalise(lead + payload))
    assert neutralise(lead + payload) == "'" + lead + payload


@pytest.mark.parametrize("text", ["-5", "+1.5e3", " -0.25 ", "SUSENAS 2019", "", "a=b", "5-3"])
def test_numbers_and_ordinary_text_are_left_alone(text: str) -> None:
    assert not formula_like(text)
    assert neutralise(text) == text


def test_a_number_stays_a_number() -> None:
    assert neutralise(-5.0) == -5.0 and neutralise(-3) == -3 and neutralise(None) is None


def test_invisible_format_characters_do_not_hide_a_formula() -> None:
    assert formula_like("\ufeff=1+1") and formula_like("\u200b@SUM(A1)")
    assert formula_like("\uff1d1+1")  # a full-width equals sign


def test_normalise_trims_whitespace_of_every_script_and_composes() -> None:
    assert normalise("\u3000\u00a0 Cafe\u0301 \n") == "Caf\u00e9"


def test_a_sheet_keeps_its_text_but_stores_formulas_as_text(tmp_path: object) -> None:
    sheet = Workbook().active
    sheet.append(["=1+1", "@SUM(A1)", -5, "plain"])
    assert neutralise_sheet(sheet) == 2
    formula, at, number, plain = sheet[1]
    assert (formula.value, formula.data_type, formula.quotePrefix) == ("=1+1", "s", True)
    assert (at.value, at.quotePrefix) == ("@SUM(A1)", True)
    assert (number.value, number.data_type, number.quotePrefix) == (-5, "n", False)
    assert plain.quotePrefix is False


def test_the_console_sees_escape_sequences_and_carriage_returns_as_text() -> None:
    assert for_console("a\x1b[2Jb\rc\u202ed\x9be") == "a\\x1b[2Jb\\rc\\u202ed\\x9be"
    assert for_console("two\nlines\tand a tab") == "two\nlines\tand a tab"


def test_an_error_or_log_line_shows_its_line_breaks_as_escapes_too() -> None:
    assert for_console("two\nlines\r\x1b[2J\tend", one_line=True) == "two\\nlines\\r\\x1b[2J\tend"
    assert "\n" not in for_console("\u2028a\nb\u2029", one_line=True)


def test_one_function_shows_user_text_on_the_console() -> None:
    # The command line's error and log lines use lindung.text, not a copy of their own.
    from lindung.cli import main

    assert not hasattr(main, "one_line")
