"""`lindung assess consistency --tolerance SERIES=VALUE`: a tolerance that would silently do
nothing (a typo, a series not compared) or make no sense (negative, not finite) is refused
with one line saying how to fix it, before the store is read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Run = Callable[..., Any]


def _refused(lindung: Run, *args: str) -> str:
    result = lindung("assess", "consistency", *args)
    # a bad option value is a usage error: exit status 2, the help pointed to
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    first, hint = result.stderr.strip().splitlines()
    assert hint == "Try 'lindung assess consistency --help' for help."
    return str(first)


def test_a_tolerance_for_an_unknown_series_names_it_and_points_to_the_catalogue(
    lindung: Run,
) -> None:
    assert _refused(lindung, "--tolerance", "FOO=1") == (
        "Error: --tolerance FOO=1: unknown series 'FOO'; "
        "see `lindung framework list` (on the site: /indicators) for the valid codes"
    )


def test_a_tolerance_for_a_misspelt_series_suggests_the_closest_codes(lindung: Run) -> None:
    assert _refused(lindung, "--tolerance", "SI_COV_BENFT=3").startswith(
        "Error: --tolerance SI_COV_BENFT=3: unknown series 'SI_COV_BENFT'; "
        "did you mean SI_COV_BENFTS"
    )


def test_a_tolerance_for_a_series_without_an_international_equivalent_is_refused(
    lindung: Run,
) -> None:
    assert _refused(lindung, "--tolerance", "ASP_POP=1") == (
        "Error: --tolerance ASP_POP=1: ASP_POP has no international equivalent in the "
        "framework, so it is never compared; drop the tolerance"
    )


def test_a_tolerance_for_a_series_left_out_by_series_says_to_add_it(lindung: Run) -> None:
    assert _refused(lindung, "--series", "SI_COV_PENSN", "--tolerance", "SI_COV_BENFTS=3") == (
        "Error: --tolerance SI_COV_BENFTS=3: SI_COV_BENFTS is not among the series compared; "
        "add --series SI_COV_BENFTS, or drop the tolerance"
    )


def test_a_negative_tolerance_is_refused(lindung: Run) -> None:
    assert _refused(lindung, "--tolerance", "SI_COV_BENFTS=-1") == (
        "Error: --tolerance SI_COV_BENFTS=-1: the tolerance is the difference allowed, "
        "a number of 0 or more (in the series' unit), e.g. SI_COV_BENFTS=3"
    )


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "Infinity"])
def test_a_tolerance_that_is_not_a_finite_number_is_refused(lindung: Run, value: str) -> None:
    assert _refused(lindung, "--tolerance", f"SI_COV_BENFTS={value}").startswith(
        f"Error: --tolerance SI_COV_BENFTS={value}: the tolerance is the difference allowed"
    )


def test_a_tolerance_without_a_number_shows_the_form(lindung: Run) -> None:
    assert _refused(lindung, "--tolerance", "SI_COV_BENFTS") == (
        "Error: --tolerance 'SI_COV_BENFTS' is not SERIES=NUMBER, e.g. SI_COV_BENFTS=3"
    )


def test_a_zero_tolerance_for_a_compared_series_is_accepted(lindung: Run) -> None:
    assert lindung("db", "init").exit_code == 0
    result = lindung("assess", "consistency", "--tolerance", "SI_COV_BENFTS=0")
    assert result.exit_code == 0, result.stderr
    assert "0 pairs" in result.stdout


def test_a_tolerance_given_twice_for_one_series_is_refused_rather_than_the_last_winning(
    lindung: Run,
) -> None:
    assert _refused(
        lindung, "--tolerance", "SI_COV_BENFTS=3", "--tolerance", "SI_COV_BENFTS=5"
    ) == (
        "Error: --tolerance SI_COV_BENFTS=5: SI_COV_BENFTS is given twice "
        "(also --tolerance SI_COV_BENFTS=3); keep one"
    )
