"""The key's fields taken from a frame's row once (``keys.key_fields``, ``keys.breakdown_fields``),
as aggregates, consistency and progress rows start with them."""

import numpy as np
import pandas as pd

from lindung.keys import DIMENSIONS, KEY, breakdown_fields, key_fields


def _record() -> dict[str, object]:
    frame = pd.DataFrame(
        [
            {
                "value": 1.5,
                "poverty_line": "_T",
                "program": "ALL_SP",
                "group": "_T",
                "disability_status": "PD",
                "income_wealth_quantile": "Q1",
                "urbanisation": "R",
                "age": "Y_GE65",
                "sex": "F",
                "time_period": 2021,
                "ref_area": "PHL",
                "series": "SI_COV_BENFTS",
            }
        ]
    )
    record: dict[str, object] = frame.to_dict("records")[0]  # type: ignore[assignment]
    return record


def test_key_fields_are_the_key_in_key_order_codes_as_text_the_period_a_year() -> None:
    record = _record()
    assert isinstance(record["time_period"], np.integer | int)
    key = key_fields(record)
    assert list(key) == list(KEY)
    assert key == {
        "series": "SI_COV_BENFTS",
        "ref_area": "PHL",
        "time_period": 2021,
        "sex": "F",
        "age": "Y_GE65",
        "urbanisation": "R",
        "income_wealth_quantile": "Q1",
        "disability_status": "PD",
        "group": "_T",
        "program": "ALL_SP",
        "poverty_line": "_T",
    }
    assert type(key["time_period"]) is int
    assert "value" not in key


def test_breakdown_fields_leave_the_period_out() -> None:
    breakdown = breakdown_fields(_record())
    assert list(breakdown) == ["series", "ref_area", *DIMENSIONS]
    assert breakdown["sex"] == "F" and breakdown["program"] == "ALL_SP"
