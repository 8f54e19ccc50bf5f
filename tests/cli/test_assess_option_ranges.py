"""Numbers given to `lindung assess` options outside their range are usage errors: one Error:
line saying what the option takes and the pointer to the help (exit status 2), before the
store is read (here there is none)."""

from __future__ import annotations

from typing import Any

import pytest


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("aggregate", "--min-share", "2"),
            "--min-share 2: the least population share of an aggregate is a share from 0 to 1, "
            "e.g. 0.5 for half (0.02 for 2 %)",
        ),
        (
            ("aggregate", "--min-share", "50"),
            "--min-share 50: the least population share of an aggregate is a share from 0 to 1, "
            "e.g. 0.5 for half (0.5 for 50 %)",
        ),
        (
            ("aggregate", "--min-share", "-0.1"),
            "--min-share -0.1: the least population share of an aggregate is a share from 0 to "
            "1, e.g. 0.5 for half",
        ),
        (
            ("aggregate", "--min-share", "nan"),
            "--min-share nan: the least population share of an aggregate is a share from 0 to "
            "1, e.g. 0.5 for half",
        ),
        (
            ("index", "--min-coverage", "1.5"),
            "--min-coverage 1.5: the least weight a country's values hold is a share from 0 to "
            "1, e.g. 0.5 for half (0.015 for 1.5 %)",
        ),
        (
            ("index", "--window", "0"),
            "--window 0: the years a latest value may go back is a whole number of 1 or more",
        ),
        (
            ("tiers", "--min-points", "0"),
            "--min-points 0: the points that make data regular is a whole number of 1 or more",
        ),
    ],
)
def test_an_option_out_of_its_range_is_one_error_line(
    lindung: Any, args: tuple[str, ...], message: str
) -> None:
    result = lindung("assess", *args)
    assert result.exit_code == 2  # a usage error
    assert result.stderr == f"Error: {message}\nTry 'lindung assess {args[0]} --help' for help.\n"
    assert result.stdout == ""


@pytest.mark.parametrize("value", ["0", "1", "0.25"])
def test_a_share_from_0_to_1_is_taken(lindung: Any, value: str) -> None:
    assert lindung("db", "init").exit_code == 0
    result = lindung("assess", "aggregate", "--min-share", value, "--no-store", "--format", "json")
    assert result.exit_code == 1
    # the store is read: it holds no population yet, and says how to load it
    assert "no UN population (ASP_POP)" in result.stderr
