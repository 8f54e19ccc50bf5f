"""The estimates CSV marks text a spreadsheet would run as text, whatever the column's dtype
(OWASP "CSV injection"): a domain label read from microdata is user text."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd

from lindung.survey.output import OutputFormat, write_estimates


def test_text_of_every_dtype_is_marked_and_numbers_stay_numbers(tmp_path: Path) -> None:
    estimates = pd.DataFrame(
        {
            "level": pd.Categorical(["=cmd|'/c calc'!A0", "urban"]),
            "label": pd.array(["\u3000@SUM(A1)", "rural"], dtype="string"),
            "domain": ["+1+cmd", "area"],
            "estimate": [-2.5, 3.0],
            "n_obs": [-1, 4],
        }
    )
    path = tmp_path / "estimates.csv"
    write_estimates(estimates, path, OutputFormat.csv)
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["level"] for row in rows] == ["'=cmd|'/c calc'!A0", "urban"]
    assert [row["label"] for row in rows] == ["'\u3000@SUM(A1)", "rural"]
    assert [row["domain"] for row in rows] == ["'+1+cmd", "area"]
    assert [row["estimate"] for row in rows] == ["-2.5", "3"]
    assert [row["n_obs"] for row in rows] == ["-1", "4"]
