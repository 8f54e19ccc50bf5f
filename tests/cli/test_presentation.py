"""What the commands print reads well: numbers without float noise, times with their zone,
counts in the right number, option help without Python types, codes in any case, and a
clear refusal for a filter or an id that cannot match."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from typing import Any

import pytest
import typer
import typer.main
from sqlalchemy import create_engine

from lindung.framework import load_catalogue
from lindung.store import create_submission, insert_observations, transaction, upgrade
from lindung.text import shown_number

from ..conftest import publish_through_review

Run = Callable[..., Any]


@pytest.mark.parametrize(
    ("number", "shown"),
    [
        (0.1 + 0.2, "0.3"),
        (45.123456789, "45.1235"),
        (-5.0, "-5"),
        (273_523_615.0, "273,523,615"),
        (12_345_678.9, "12,345,679"),
        (5_712_470.123, "5,712,470"),
        (1920, "1,920"),
        (1234.56789, "1,234.57"),
        (0.00001234, "0.00001234"),
        (5e-05, "0.00005"),
        (1.7e308, "1.7 × 10^308"),
        (1e300, "1 × 10^300"),
        (-2.5e-9, "-2.5 × 10^-9"),
    ],
)
def test_a_number_shows_grouped_six_significant_digits_without_scientific_notation(
    number: float, shown: str
) -> None:
    assert shown_number(number) == shown


def _store_values(database_url: str, *values: float) -> int:
    engine = create_engine(database_url)
    upgrade(engine)
    version = load_catalogue().version
    with transaction(engine) as connection:
        submission = create_submission(
            connection,
            kind="template",
            ref_area="IDN",
            time_period=None,
            source="test",
            framework_version=version,
            actor="test",
        )
        rows = [
            {"series": "ASP_POP", "ref_area": "IDN", "time_period": 2000 + i, "value": value}
            for i, value in enumerate(values)
        ]
        insert_observations(
            connection,
            submission,
            [{**r, "unit": "number"} for r in rows],
            framework_version=version,
        )
        publish_through_review(connection, submission)
    engine.dispose()
    return submission


def test_numbers_are_rounded_in_tables_and_exact_in_csv(lindung: Run, database_url: str) -> None:
    _store_values(database_url, 0.1 + 0.2, 123_456_789.123)
    table = lindung("data", "query", "--series", "ASP_POP", "--history")
    assert table.exit_code == 0, table.stderr
    assert "0.30000000000000004" not in table.stdout and " 0.3 " in table.stdout
    assert " 123,456,789 " in table.stdout and "e+" not in table.stdout
    done = lindung("data", "query", "--series", "ASP_POP", "--format", "csv")
    assert [row["value"] for row in csv.DictReader(io.StringIO(done.stdout))] == [
        "0.30000000000000004",
        "123456789.123",
    ]


def test_the_history_table_says_which_submission_and_status_each_version_has(
    lindung: Run, database_url: str
) -> None:
    submission = _store_values(database_url, 1.0)
    done = lindung("data", "query", "--series", "ASP_POP", "--history")
    header = next(line for line in done.stdout.splitlines() if "series" in line)
    assert "submission_id" in header and "submission_status" in header
    assert f" {submission} " in done.stdout and " published " in done.stdout


def test_times_are_printed_in_utc_with_their_offset(lindung: Run, database_url: str) -> None:
    _store_values(database_url, 1.0)
    assert lindung("user", "add", "a@example.org", "--role", "admin", stdin="x" * 12).exit_code == 0
    assert lindung("login", "a@example.org", stdin="x" * 12 + "\n").exit_code == 0
    (user,) = json.loads(lindung("user", "list", "--format", "json").stdout)
    assert user["created_at"].endswith("+00:00") and "T" in user["created_at"]
    table = lindung("user", "list").stdout
    assert "+00:00" in table


def test_counts_are_singular_for_one(cli: Run, tmp_path: Any) -> None:
    path = tmp_path / "IDN.csv"
    assert cli("template", "make", "--country", "IDN", "--year", "2019", "--indicators",
               "SI_COV_BENFTS", "--out", str(path)).exit_code == 0  # fmt: skip
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("percent,,", "percent,abc,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = cli("submission", "check", str(path))
    assert "1 error," in done.stdout and "1 errors" not in done.stdout


def _commands(group: typer.Typer, prefix: tuple[str, ...]) -> Iterator[tuple[str, ...]]:
    for command in group.registered_commands:
        name = command.name or (command.callback.__name__ if command.callback else "")
        yield (*prefix, name.replace("_", "-"))
    for subgroup in group.registered_groups:
        assert subgroup.typer_instance is not None and subgroup.name is not None
        yield from _commands(subgroup.typer_instance, (*prefix, subgroup.name))


def test_an_unknown_status_or_country_filter_is_refused_with_the_valid_ones(lindung: Run) -> None:
    assert lindung("db", "init").exit_code == 0
    status = lindung("submission", "list", "--status", "publishd")
    assert status.exit_code == 2 and "published" in status.stderr and "draft" in status.stderr
    country = lindung("submission", "list", "--country", "xyz")
    assert country.exit_code == 4 and "'XYZ'" in country.stderr
    assert lindung("submission", "list", "--status", "Published").exit_code == 0


@pytest.mark.parametrize("submission_id", ["99999999999999999999", str(2**63), str(2**31), "0"])
def test_an_id_no_store_can_hold_is_not_found_on_each_engine(
    lindung: Run, submission_id: str
) -> None:
    assert lindung("db", "init").exit_code == 0
    for args in (("show", submission_id), ("submit", submission_id, "--as", "a@example.org")):
        done = lindung("submission", *args)
        assert done.exit_code == 4, (args, done.stderr)
        assert done.stderr.startswith(f"Error: no submission with id {submission_id}")


def test_the_largest_id_a_store_holds_is_looked_up(lindung: Run) -> None:
    assert lindung("db", "init").exit_code == 0
    done = lindung("submission", "show", str(2**31 - 1))
    assert done.exit_code == 4 and "no submission with id" in done.stderr


def test_codes_are_taken_in_any_case_and_named_in_the_canonical_one(
    lindung: Run, database_url: str
) -> None:
    _store_values(database_url, 1.0)
    upper = lindung("data", "query", "--series", "ASP_POP", "--area", "IDN", "--format", "json")
    lower = lindung("data", "query", "--series", "asp_pop", "--area", " idn", "--format", "json")
    assert lower.exit_code == 0, lower.stderr
    assert json.loads(lower.stdout) == json.loads(upper.stdout) != []
    unknown = lindung("data", "query", "--series", "ASP_POP", "--area", "xyz")
    assert "'XYZ'" in unknown.stderr
    assess = lindung(
        "assess", "availability", "--series", "asp_pop", "--area", "idn", "--format", "json"
    )
    assert assess.exit_code == 0, assess.stderr
    assert {row["ref_area"] for row in json.loads(assess.stdout)} == {"IDN"}


def test_the_progress_title_counts_series_and_rows_apart(lindung: Run) -> None:
    assert lindung("db", "init").exit_code == 0
    assert lindung("data", "load-reference").exit_code == 0
    done = lindung("assess", "progress", "--series", "SI_COV_PENSN", "--target", "100")
    assert done.exit_code == 0, done.stderr
    rows = len(json.loads(lindung(
        "assess", "progress", "--series", "SI_COV_PENSN", "--target", "100", "--format", "json"
    ).stdout))  # fmt: skip
    assert rows > 1
    title = " ".join(done.stdout.split()[:6])
    assert title == f"Progress (opensdg): 1 series, {rows} rows"
