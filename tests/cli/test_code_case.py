"""Every option or argument that takes a series, area or member-state code takes it in any
case and works with the catalogue's (upper-case) code: one parser, lindung.cli.codes.canonical."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import typer.main

from lindung.cli.codes import canonical
from lindung.cli.help_text import plain_help
from lindung.cli.main import app

Run = Callable[..., Any]
CODE_WORDS = {"SERIES", "SERIES,...", "AREA", "ISO3", "REGION", "CODE"}


def _code_params(command: Any, path: tuple[str, ...]) -> Iterator[tuple[str, Any]]:
    for param in command.params:
        if param.metavar in CODE_WORDS:
            yield " ".join((*path, param.opts[0])), param
    for name, child in getattr(command, "commands", {}).items():
        yield from _code_params(child, (*path, name))


def test_every_code_option_goes_through_the_one_parser() -> None:
    command = typer.main.get_command(app)
    plain_help(command)
    params = list(_code_params(command, ("lindung",)))
    assert len(params) >= 25
    assert "lindung template make --indicators" in dict(params)
    assert "lindung registry coverage --country" in dict(params)
    assert [
        name
        for name, param in params
        if getattr(param.callback, "__wrapped__", None) is not canonical
    ] == []


def test_template_make_takes_lower_case_indicators(lindung: Run, tmp_path: Path) -> None:
    out = tmp_path / "idn.csv"
    done = lindung(
        "template", "make", "--country", "idn", "--year", "2024", "--out", str(out),
        "--indicators", " si_pov_day1,Sl_Tlf_Uem",
    )  # fmt: skip
    assert done.exit_code == 0, done.stderr
    text = out.read_text(encoding="utf-8")
    assert "SI_POV_DAY1" in text and "SL_TLF_UEM" in text and "si_pov_day1" not in text


def test_series_value_options_take_lower_case_series(lindung: Run) -> None:
    assert lindung("db", "init").exit_code == 0
    done = lindung("assess", "consistency", "--tolerance", "si_pov_day1=3")
    assert done.exit_code == 0, done.stderr
    index = lindung(
        "assess", "index", "--series", "si_cov_benfts", "--series", "SI_COV_POOR",
        "--weighting", "custom", "--weight", "si_cov_benfts=2", "--weight", "si_cov_poor=1",
        "--goalpost", "Si_Cov_Poor=0:100",
    )  # fmt: skip
    # Past the options: an empty store has nothing to index.
    assert index.stderr.startswith("Error: no values for the chosen indicators"), index.stderr
