"""`lindung assess index --weight SERIES=W` and `--goalpost SERIES=LOW:HIGH`: an item that would
silently do nothing (a typo, a series not in the index, a series given twice, a weight without
custom weighting) or make no sense (a negative or non-finite weight, goalposts not LOW < HIGH)
is refused with one line saying how to fix it, before the store is read."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

Run = Callable[..., Any]


def _refused(lindung: Run, *args: str) -> str:
    result = lindung("assess", "index", *args)
    # a bad option value is a usage error: exit status 2, the help pointed to
    assert result.exit_code == 2
    assert "Traceback" not in result.stderr
    first, hint = result.stderr.strip().splitlines()
    assert hint == "Try 'lindung assess index --help' for help."
    return str(first)


@pytest.mark.parametrize("option", ["--weight FOO=1", "--goalpost FOO=0:100"])
def test_an_unknown_series_names_the_item_and_points_to_the_catalogue(
    lindung: Run, option: str
) -> None:
    name, item = option.split()
    assert _refused(lindung, "--weighting", "custom", name, item) == (
        f"Error: {name} {item}: unknown series 'FOO'; "
        "see `lindung framework list` (on the site: /indicators) for the valid codes"
    )


def test_a_misspelt_series_suggests_the_closest_codes(lindung: Run) -> None:
    assert _refused(lindung, "--weighting", "custom", "--weight", "SI_COV_BENFT=1").startswith(
        "Error: --weight SI_COV_BENFT=1: unknown series 'SI_COV_BENFT'; did you mean SI_COV_BENFTS"
    )


def test_a_series_left_out_by_series_says_to_add_it(lindung: Run) -> None:
    assert _refused(lindung, "--series", "SI_COV_PENSN", "--goalpost", "SI_COV_BENFTS=0:100") == (
        "Error: --goalpost SI_COV_BENFTS=0:100: SI_COV_BENFTS is not among the indicators of "
        "the index; add --series SI_COV_BENFTS, or drop the goalposts"
    )


def test_a_series_outside_the_default_index_says_to_name_the_indicators(lindung: Run) -> None:
    assert _refused(lindung, "--weighting", "custom", "--weight", "ASP_POP=1") == (
        "Error: --weight ASP_POP=1: ASP_POP is not among the indicators of the index (by "
        "default the SI_COV_ coverage series); name every indicator wanted with --series, "
        "ASP_POP among them, or drop the weight"
    )


@pytest.mark.parametrize(
    ("option", "first", "second"),
    [
        ("--weight", "SI_COV_BENFTS=1", "SI_COV_BENFTS=2"),
        ("--goalpost", "SI_COV_BENFTS=0:100", "SI_COV_BENFTS=0:100"),
    ],
)
def test_the_same_series_given_twice_is_refused_rather_than_the_last_winning(
    lindung: Run, option: str, first: str, second: str
) -> None:
    assert _refused(lindung, "--weighting", "custom", option, first, option, second) == (
        f"Error: {option} {second}: SI_COV_BENFTS is given twice (also {option} {first}); keep one"
    )


def test_a_negative_weight_is_refused(lindung: Run) -> None:
    assert _refused(lindung, "--weighting", "custom", "--weight", "SI_COV_BENFTS=-1") == (
        "Error: --weight SI_COV_BENFTS=-1: a weight is a number of 0 or more (the weights are "
        "scaled to add up to 1), e.g. SI_COV_BENFTS=1"
    )


@pytest.mark.parametrize("value", ["nan", "inf", "-inf", "Infinity"])
def test_a_weight_that_is_not_a_finite_number_is_refused(lindung: Run, value: str) -> None:
    assert _refused(lindung, "--weighting", "custom", "--weight", f"SI_COV_BENFTS={value}") == (
        f"Error: --weight SI_COV_BENFTS={value}: a weight is a number of 0 or more (the weights "
        "are scaled to add up to 1), e.g. SI_COV_BENFTS=1"
    )


def test_a_weight_without_a_number_shows_the_form(lindung: Run) -> None:
    assert _refused(lindung, "--weighting", "custom", "--weight", "SI_COV_BENFTS") == (
        "Error: --weight 'SI_COV_BENFTS' is not SERIES=NUMBER, e.g. SI_COV_BENFTS=1"
    )


def test_weights_that_are_all_zero_are_refused(lindung: Run) -> None:
    assert (
        _refused(
            lindung,
            "--series",
            "SI_COV_BENFTS",
            "--weighting",
            "custom",
            "--weight",
            "SI_COV_BENFTS=0",
        )
        == "Error: --weight: every weight is 0, so nothing would count; give one a weight above 0"
    )


def test_a_weight_without_custom_weighting_is_refused(lindung: Run) -> None:
    # Equal and pillar weighting ignore --weight altogether.
    assert _refused(lindung, "--weight", "SI_COV_BENFTS=2") == (
        "Error: --weight is used only with --weighting custom; add --weighting custom, "
        "or drop --weight"
    )


@pytest.mark.parametrize("posts", ["100:0", "50:50", "0:inf", "nan:100"])
def test_goalposts_must_be_finite_with_low_below_high(lindung: Run, posts: str) -> None:
    assert _refused(lindung, "--goalpost", f"SI_COV_BENFTS={posts}") == (
        f"Error: --goalpost SI_COV_BENFTS={posts}: goalposts are two numbers in the series' "
        "unit, LOW below HIGH (a value at LOW scores 0 and at HIGH 1, the other way round for a "
        "lower-is-better series), e.g. SI_COV_BENFTS=0:100"
    )


@pytest.mark.parametrize("posts", ["", "0", "0:50:100", "low:high"])
def test_goalposts_not_written_low_colon_high_show_the_form(lindung: Run, posts: str) -> None:
    assert _refused(lindung, "--goalpost", f"SI_COV_BENFTS={posts}") == (
        f"Error: --goalpost 'SI_COV_BENFTS={posts}' is not SERIES=LOW:HIGH, "
        "e.g. SI_COV_BENFTS=0:100"
    )


@pytest.mark.parametrize(
    ("option", "allowed"),
    [
        ("--normalisation", "minmax, zscore, goalposts, rank"),
        ("--weighting", "equal, pillar, custom"),
        ("--aggregation", "arithmetic, geometric"),
        ("--missing", "available, mean, exclude"),
    ],
)
def test_an_unknown_choice_is_a_usage_error_naming_the_option_and_the_choices(
    lindung: Run, option: str, allowed: str
) -> None:
    assert _refused(lindung, option, "bogus") == (
        f"Error: {option} 'bogus' is not known; use one of {allowed}"
    )


def test_choices_that_cannot_go_together_are_a_usage_error(lindung: Run) -> None:
    assert _refused(lindung, "--normalisation", "zscore", "--aggregation", "geometric") == (
        "Error: --aggregation geometric with --normalisation zscore: z-scores are negative for "
        "half the countries and cannot be aggregated geometrically; use --normalisation "
        "minmax, goalposts or rank"
    )


def test_goalposts_or_custom_weights_for_only_some_indicators_are_a_usage_error(
    lindung: Run,
) -> None:
    two = ("--series", "SI_COV_BENFTS", "--series", "SI_COV_PENSN")
    assert _refused(
        lindung, *two, "--normalisation", "goalposts", "--goalpost", "SI_COV_BENFTS=0:100"
    ) == (
        "Error: --normalisation goalposts needs a --goalpost SERIES=LOW:HIGH for every "
        "indicator; missing for SI_COV_PENSN"
    )
    assert _refused(lindung, *two, "--weighting", "custom", "--weight", "SI_COV_PENSN=2") == (
        "Error: --weighting custom needs a --weight SERIES=W for every indicator; missing for "
        "SI_COV_BENFTS"
    )


def test_an_unknown_population_for_aggregates_is_a_usage_error(lindung: Run) -> None:
    result = lindung("assess", "aggregate", "--series", "SI_COV_BENFTS", "--population", "ALL")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --population 'ALL' is not known; use one of ")
    assert "Traceback" not in result.stderr
