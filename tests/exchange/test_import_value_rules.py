"""Every import runs the template's value and text rules (``ingest.value_rules``): an SDMX-CSV
or SDMX-ML message and an Open SDG folder holding text a spreadsheet would run, invisible
characters, a value implausible for its unit or a percentage outside 0 to 100 are refused with
the finding of the shared catalogue at the observation's key and row, and the store is
unchanged; a year that has not ended is a warning. And whatever the store holds, the regional
aggregate and the progress assessment never show a percentage outside 0 to 100.

The payloads are the ones an independent tester stored through ``lindung import sdmx``.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pandas as pd
import pytest
from sqlalchemy import Engine
from tests.exchange.conftest import observation

from lindung.assess.aggregates import regional_aggregates
from lindung.assess.population import BASES
from lindung.assess.progress import Goal, assess_series
from lindung.errors import AssessmentError
from lindung.keys import DIMENSIONS
from lindung.store import count, list_submissions, submission_observations, transaction

SECRETARIAT = "analyst@asean.org"
FOCAL = "focal@example.org"
NEXT_YEAR = datetime.now(UTC).year + 1

#: (field, what is sent, the finding codes expected): each one refuses the whole file.
PAYLOADS = [
    ("source", "\u00a0=1+1", {"formula-injection"}),
    ("source", "\r=1+1", {"formula-injection", "control-characters"}),
    ("source", " =cmd|'/c calc'!A0", {"formula-injection"}),
    # A right-to-left override (an error) and a zero-width space (a warning).
    ("source", "BPS\u200bSusenas\u202e", {"control-characters", "invisible-characters"}),
    ("value", "1e300", {"implausible-value"}),
    ("value", "-50", {"percent-out-of-range"}),
    ("value", "100.5", {"percent-out-of-range"}),
]
COLUMNS = {"source": "SOURCE_DETAIL", "value": "OBS_VALUE", "year": "TIME_PERIOD"}


@pytest.fixture
def analyst(sign_up: Callable[..., None]) -> str:
    sign_up({FOCAL: ("focal_point", "IDN"), SECRETARIAT: ("secretariat", None)})
    return SECRETARIAT


def _held(engine: Engine) -> tuple[int, int]:
    with transaction(engine) as connection:
        return count(connection), len(list_submissions(connection))


def _message(
    lindung: Callable[..., Any], tmp_path: Path, fmt: str, changes: list[dict[str, str]]
) -> Path:
    """Return an SDMX message Lindung wrote for the one published observation (SI_POV_DAY1,
    IDN, 2019, 12.5 percent), as one observation per entry of ``changes`` (field -> text)."""
    exported = tmp_path / ("lindung.csv" if fmt == "csv1" else "lindung.xml")
    done = lindung("export", "sdmx", "--out", str(exported), "--format", fmt)
    assert done.exit_code == 0, done.stderr
    text = exported.read_text(encoding="utf-8")
    path = tmp_path / ("sent.csv" if fmt == "csv1" else "sent.xml")
    if fmt == "csv1":
        header, row = list(csv.reader(io.StringIO(text)))
        rows = [header]
        for change in changes:
            sent = list(row)
            for name, value in change.items():
                sent[header.index(COLUMNS[name])] = value
            rows.append(sent)
        out = io.StringIO()
        csv.writer(out).writerows(rows)
        path.write_text(out.getvalue(), encoding="utf-8", newline="")
        return path
    start = text.index("<Obs ")
    end = text.index("/>", start) + 2
    obs = text[start:end]
    sent_obs = []
    for change in changes:
        one = obs
        for name, value in change.items():
            column = COLUMNS[name]
            old = one.split(f' {column}="', 1)[1].split('"', 1)[0]
            # quoteattr keeps a carriage return as &#13;, which XML reads back as itself.
            new = quoteattr(value, {"\r": "&#13;", "\n": "&#10;"})
            one = one.replace(f' {column}="{old}"', f" {column}={new}")
        sent_obs.append(one)
    path.write_text(text[:start] + "".join(sent_obs) + text[end:], encoding="utf-8")
    return path


@pytest.fixture
def published(publish: Callable[..., int]) -> None:
    publish(
        [observation(series="SI_POV_DAY1", value=12.5, source="BPS", ci_low=None, ci_high=None)]
    )


@pytest.mark.parametrize("fmt", ["csv1", "ml"])
@pytest.mark.parametrize(("field", "sent", "codes"), PAYLOADS)
def test_an_sdmx_message_with_a_value_or_text_the_template_refuses_is_refused_unchanged(
    lindung: Callable[..., Any],
    engine: Engine,
    analyst: str,
    published: None,
    tmp_path: Path,
    fmt: str,
    field: str,
    sent: str,
    codes: set[str],
) -> None:
    path = _message(lindung, tmp_path, fmt, [{"year": "2020"}, {"year": "2021", field: sent}])
    before = _held(engine)

    done = lindung("import", "sdmx", str(path), "--as", analyst)

    assert done.exit_code == 5, done.stdout
    assert "nothing was stored" in done.stderr
    found = set(re.findall(r"\(([a-z-]+)\); fix:", done.stdout))
    assert codes <= found, done.stdout
    # The finding names the file and the observation's key (and, in SDMX-CSV, its line).
    assert f"{path.name} SI_POV_DAY1 IDN 2021" in done.stdout
    if fmt == "csv1":
        assert "SI_POV_DAY1 IDN 2021, row 3" in done.stdout
    assert _held(engine) == before


@pytest.mark.parametrize("fmt", ["csv1", "ml"])
def test_an_sdmx_message_for_years_not_ended_is_stored_with_a_warning_and_says_its_years(
    lindung: Callable[..., Any],
    engine: Engine,
    analyst: str,
    published: None,
    tmp_path: Path,
    fmt: str,
) -> None:
    years = [str(NEXT_YEAR), str(NEXT_YEAR + 1), str(NEXT_YEAR + 2)]
    path = _message(lindung, tmp_path, fmt, [{"year": year} for year in years])

    done = lindung("import", "sdmx", str(path), "--as", analyst)

    assert done.exit_code == 0, done.stderr
    assert done.stdout.count("(year-in-future)") == 3
    with transaction(engine) as connection:
        (submission,) = list_submissions(connection, kind="reference")
    submitted = lindung("submission", "submit", str(submission["id"]), "--as", analyst)
    assert f"(IDN {NEXT_YEAR}-{NEXT_YEAR + 2}, version 1) is now submitted" in submitted.stdout
    assert "None" not in submitted.stdout


def test_an_sdmx_source_is_stored_as_the_template_stores_it(
    lindung: Callable[..., Any], engine: Engine, analyst: str, published: None, tmp_path: Path
) -> None:
    path = _message(lindung, tmp_path, "csv1", [{"year": "2020", "source": "\u00a0BPS\u3000"}])

    assert lindung("import", "sdmx", str(path), "--as", analyst).exit_code == 0

    with transaction(engine) as connection:
        (submission,) = list_submissions(connection, kind="reference")
        (row,) = submission_observations(connection, submission["id"])
    assert row["source"] == "BPS"


OPEN_SDG = [
    ("1e300", "implausible-value"),
    ("-50", "percent-out-of-range"),
    ("1e400", "not-finite"),
]


@pytest.mark.parametrize(("sent", "code"), OPEN_SDG)
def test_an_open_sdg_folder_with_a_value_the_template_refuses_is_refused_unchanged(
    lindung: Callable[..., Any], engine: Engine, analyst: str, tmp_path: Path, sent: str, code: str
) -> None:
    folder = tmp_path / "sdg-data"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "indicator_1-1-1.csv").write_text(
        f"Year,Series,GeoCode,Value\n2019,SI_POV_DAY1,IDN,2.7\n2020,SI_POV_DAY1,IDN,{sent}\n",
        encoding="utf-8",
    )
    before = _held(engine)

    done = lindung("import", "open-sdg", str(folder), "--area", "IDN", "--as", FOCAL)

    assert done.exit_code == 5, done.stdout
    assert "indicator_1-1-1.csv row 3" in done.stdout
    assert f"({code})" in done.stdout
    assert _held(engine) == before


def test_an_open_sdg_folder_for_a_year_not_ended_is_imported_with_a_warning(
    lindung: Callable[..., Any], engine: Engine, analyst: str, tmp_path: Path
) -> None:
    folder = tmp_path / "sdg-data"
    (folder / "data").mkdir(parents=True)
    (folder / "data" / "indicator_1-1-1.csv").write_text(
        f"Year,Series,GeoCode,Value\n2019,SI_POV_DAY1,IDN,2.7\n{NEXT_YEAR},SI_POV_DAY1,IDN,2.5\n",
        encoding="utf-8",
    )

    done = lindung("import", "open-sdg", str(folder), "--area", "IDN", "--as", FOCAL)

    assert done.exit_code == 0, done.stderr
    assert "indicator_1-1-1.csv row 3, Year" in done.stdout and "(year-in-future)" in done.stdout


def test_progress_is_not_assessed_from_a_percentage_outside_0_to_100_even_if_stored(
    lindung: Callable[..., Any], publish: Callable[..., int], analyst: str
) -> None:
    # Stored straight into the store, as no import would store it.
    publish(
        [
            observation(series="SI_POV_DAY1", time_period=2016, value=10.0),
            observation(series="SI_POV_DAY1", time_period=2020, value=-50.0),
        ]
    )

    done = lindung(
        "assess", "progress", "--series", "SI_POV_DAY1", "--area", "IDN", "--method", "escap",
        "--format", "json",
    )  # fmt: skip

    assert done.exit_code == 0, done.stderr
    (row,) = [r for r in json.loads(done.stdout) if r["sex"] == "_T"]
    assert row["status"] == "not_assessed" and row["reason_code"] == "value_out_of_bounds"
    assert "-50 in 2020 is outside the range" in row["reason"]
    assert "meets the target" not in done.stdout


@pytest.mark.parametrize("method", ["escap", "opensdg"])
@pytest.mark.parametrize("value", [-50.0, 100.5, 1e300])
def test_no_method_assesses_progress_from_a_value_outside_the_indicators_bounds(
    method: Any, value: float
) -> None:
    goal = Goal(direction=-1, target=0.0, bounds=(0.0, 100.0))

    result = assess_series([2016, 2020], [10.0, value], goal, method)

    assert result.status == "not_assessed"
    assert result.reason_args == {"value": value, "year": 2020, "low": 0.0, "high": 100.0}


@pytest.mark.parametrize("value", [-50.0, 100.5, 1e300])
def test_a_regional_aggregate_of_a_percentage_outside_0_to_100_is_refused_naming_it(
    value: float,
) -> None:
    rows = [("IDN", 10.0), ("PHL", value)]
    values = pd.DataFrame(
        [
            {"series": "SI_POV_DAY1", "ref_area": area, "time_period": 2036, "value": v,
             "unit": "percent", **dict.fromkeys(DIMENSIONS, "_T")}
            for area, v in rows
        ]
    )  # fmt: skip
    population = pd.DataFrame(
        [("IDN", 2036, "_T", "_T", 270.0), ("PHL", 2036, "_T", "_T", 110.0)],
        columns=["ref_area", "time_period", "sex", "age", "value"],
    )

    with pytest.raises(AssessmentError, match=r"SI_POV_DAY1 of PHL in 2036 is .* outside the "
                       r"range 0 to 100"):  # fmt: skip
        regional_aggregates(
            values, population, BASES["TOTAL"], region="ASEAN", members=["IDN", "PHL"]
        )
