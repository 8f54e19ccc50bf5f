"""User text stored in the store or found in a file reaches the console and the spreadsheets
as text: markup is printed as typed, control characters as escapes, formulas as text."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import create_engine

from lindung.framework import load_catalogue
from lindung.ingest import make_template
from lindung.store import (
    add_user,
    create_submission,
    insert_observations,
    set_status,
    transaction,
    upgrade,
)
from lindung.text import for_console

Run = Callable[..., Any]
MARKUP = ("[/]", "[/red]", "[bold]loud", "[link=file:///etc/passwd]x[/link]", ":thumbs_up:")
FORMULAS = ("=cmd|'/c calc'!A0", "+1+cmd", "-1+cmd", "@SUM(A1)", "\t=1+1", "\r=1+1")


def _store_with(database_url: str, text: str) -> int:
    """A store holding ``text`` wherever a user can put text: a user's e-mail, a submission's
    file name, note and history, and an observation's source; return the submission's id."""
    engine = create_engine(database_url)
    upgrade(engine)
    version = load_catalogue().version
    with transaction(engine) as connection:
        add_user(connection, email=f"{text}@example.org", role="partner", password="x" * 12)
        add_user(connection, email="admin@example.org", role="admin", password="x" * 12)
        submission = create_submission(
            connection,
            kind="template",
            ref_area="IDN",
            time_period=2019,
            source=text,
            framework_version=version,
            actor=text,
            file_name=f"{text}.xlsx",
            note=text,
        )
        insert_observations(
            connection,
            submission,
            [
                {
                    "series": "SI_COV_BENFTS",
                    "ref_area": "IDN",
                    "time_period": 2019,
                    "value": -5.0,
                    "unit": "percent",
                    "source": text,
                    "comment": text,
                }
            ],
            framework_version=version,
        )
        for before, after in (
            ("draft", "submitted"),
            ("submitted", "validated"),
            ("validated", "published"),
        ):
            set_status(connection, submission, after, expected=before, actor=text, note=text)
    engine.dispose()
    return submission


@pytest.mark.parametrize("text", MARKUP)
def test_markup_in_stored_text_is_printed_as_typed(
    lindung: Run, database_url: str, text: str
) -> None:
    submission = _store_with(database_url, text)
    assert lindung("login", "admin@example.org", stdin="x" * 12 + "\n").exit_code == 0
    for args in (
        ("submission", "list"),
        ("submission", "show", str(submission)),
        ("user", "list"),
    ):
        done = lindung(*args)
        assert done.exit_code == 0, (args, done.stderr)
        assert text in done.stdout, args


def test_escape_sequences_in_stored_text_reach_the_terminal_as_escapes(
    lindung: Run, database_url: str
) -> None:
    submission = _store_with(database_url, "note\x1b[2J\rmore")
    done = lindung("submission", "show", str(submission))
    assert done.exit_code == 0, done.stderr
    assert "\x1b[2J" not in done.stdout and "\r" not in done.stdout
    assert "note\\x1b[2J\\rmore" in done.stdout


@pytest.mark.parametrize("text", FORMULAS)
def test_query_as_csv_marks_stored_formulas_as_text_and_keeps_numbers(
    lindung: Run, database_url: str, text: str
) -> None:
    _store_with(database_url, text)
    done = lindung("data", "query", "--series", "SI_COV_BENFTS", "--format", "csv")
    assert done.exit_code == 0, done.stderr
    (row,) = csv.DictReader(io.StringIO(done.stdout))
    assert row["source"] == "'" + text
    assert row["value"] == "-5.0"
    listed = lindung("submission", "list", "--format", "csv")
    (submission,) = csv.DictReader(io.StringIO(listed.stdout))
    assert submission["note"] == "'" + text and submission["file_name"] == f"'{text}.xlsx"
    assert submission["id"] == str(int(submission["id"]))
    as_json = json.loads(
        lindung("data", "query", "--series", "SI_COV_BENFTS", "--format", "json").stdout
    )
    assert as_json[0]["source"] == text  # JSON is not a spreadsheet: the text as stored


def test_markup_in_a_checked_file_is_printed_as_typed(cli: Run, tmp_path: Path) -> None:
    path = tmp_path / "[red]IDN.csv"
    make_template(path, country="IDN", year=2019, indicators=["SI_COV_BENFTS"], file_format="csv")
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1].replace("SI_COV_BENFTS", "[/red]").replace("percent,,", "percent,5,")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    done = cli("submission", "check", str(path))
    assert done.exit_code == 5, done.stderr  # the file has an error: validation failed
    assert "[/red]" in done.stdout and "[red]IDN.csv" in done.stdout


def test_the_findings_sheet_of_an_annotated_workbook_holds_no_formula(
    cli: Run, tmp_path: Path
) -> None:
    template = tmp_path / "=HYPERLINK(1).xlsx"
    make_template(template, country="IDN", year=2019, indicators=["SI_COV_BENFTS"])
    annotated = tmp_path / "annotated.xlsx"
    done = cli("submission", "check", str(template), "--annotate", str(annotated))
    assert annotated.exists(), done.stderr
    findings = load_workbook(annotated)["Findings"]
    cells = [cell for row in findings.iter_rows() for cell in row]
    assert "=HYPERLINK(1).xlsx" in [cell.value for cell in cells]
    assert [cell.coordinate for cell in cells if cell.data_type == "f"] == []
    assert all(cell.quotePrefix for cell in cells if str(cell.value).startswith("="))


#: Each payload behind whitespace that a spreadsheet skips or that trimming removes.
LEADS = ("", " ", "\u00a0", "\u3000", "\n", "\u2003", "\u200b")


def _formula_cells_left(rows: list[list[str]]) -> list[str]:
    """Return the cells of a CSV that a spreadsheet would still run."""
    from lindung.text import formula_like

    return [cell for row in rows for cell in row if formula_like(cell)]


@pytest.mark.parametrize("lead", LEADS)
def test_every_export_marks_stored_formulas_as_text(
    lindung: Run, database_url: str, tmp_path: Path, lead: str
) -> None:
    _store_with(database_url, lead + FORMULAS[0])
    assert lindung("login", "admin@example.org", stdin="x" * 12 + "\n").exit_code == 0
    book = tmp_path / "out.xlsx"
    done = lindung("export", "xlsx", "--out", str(book))
    assert done.exit_code == 0, done.stderr
    from lindung.text import formula_like

    workbook = load_workbook(book)
    texts = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and formula_like(cell.value)
    ]
    assert texts, "the stored source should be exported"
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in texts)
    for fmt in ("csv1", "csv2"):
        out = tmp_path / f"out-{fmt}.csv"
        done = lindung("export", "sdmx", "--out", str(out), "--format", fmt)
        assert done.exit_code == 0, done.stderr
        rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
        assert any(FORMULAS[0] in cell for row in rows for cell in row)
        assert _formula_cells_left(rows) == []
    listed = lindung("data", "query", "--series", "SI_COV_BENFTS", "--format", "csv")
    assert _formula_cells_left(list(csv.reader(io.StringIO(listed.stdout)))) == []


@pytest.mark.parametrize("lead", LEADS)
def test_an_annotated_workbook_marks_formula_text_as_text_on_every_sheet(
    cli: Run, tmp_path: Path, lead: str
) -> None:
    from lindung.text import formula_like

    from ..ingest.corruptions import with_cell

    template = tmp_path / "template.xlsx"
    make_template(template, country="IDN", year=2019, indicators=["SI_COV_BENFTS"])
    filled = with_cell(template, tmp_path / "filled.xlsx", "M2", 56)
    hostile = with_cell(filled, tmp_path / "hostile.xlsx", "P2", lead + FORMULAS[0])
    annotated = tmp_path / "annotated.xlsx"
    done = cli("submission", "check", str(hostile), "--annotate", str(annotated))
    assert done.exit_code == 5, done.stderr
    workbook = load_workbook(annotated)
    findings = workbook["Findings"]
    codes = {row[1].value for row in findings.iter_rows()}
    assert codes & {"formula-injection", "formula-not-allowed"}, codes
    texts = [
        cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if isinstance(cell.value, str) and formula_like(cell.value)
    ]
    assert any(FORMULAS[0] in cell.value for cell in texts)
    assert [(c.coordinate, c.data_type, c.quotePrefix) for c in texts if c.data_type == "f"] == []
    assert all(cell.quotePrefix for cell in texts)


#: What a terminal obeys or cannot show: an escape sequence, a right-to-left override, a
#: zero-width space, a word joiner, a zero-width joiner, a byte order mark, a tag character.
INVISIBLE = ("\x1b[2J", "\u202e", "\u200b", "\u2060", "\u200d", "\ufeff", "\U000e0041")


def test_invisible_characters_in_codes_are_refused_and_shown_as_escapes(
    cli: Run, tmp_path: Path
) -> None:
    from lindung.ingest import check_file
    from lindung.ingest.layout import CSV_COLUMNS
    from lindung.text import for_console

    path = tmp_path / "[bold]IDN\u202e\u200b.csv"
    hostile = [
        (column, code + char)
        for column, code in (("series", "SI_COV_BENFTS"), ("ref_area", "IDN"), ("sex", "F"))
        for char in INVISIBLE
    ]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(CSV_COLUMNS))
        writer.writeheader()
        for column, text in hostile:
            row = dict.fromkeys(CSV_COLUMNS, "_T")
            row.update(series="SI_COV_BENFTS", ref_area="IDN", time_period="2019", sex="_T")
            row.update(unit="percent", value="50", nature="C", source="SUSENAS", note="")
            row[column] = text
            writer.writerow(row)
    report = check_file(path)
    assert report.observations == []
    flagged = {(f.location.row, f.location.column) for f in report.errors}
    assert flagged >= {(row, column) for row, (column, _) in enumerate(hostile, start=2)}
    done = cli("submission", "check", str(path))
    assert done.exit_code == 5, done.stderr
    shown = done.stdout + done.stderr
    for char in "\x1b\u202e\u200b\u2060\u200d\ufeff\U000e0041":
        assert char not in shown, repr(char)
    assert "'SI_COV_BENFTS\\u200b'" in shown and "'IDN\\u202e'" in shown
    assert "[bold]IDN\\u202e\\u200b.csv" in shown
    assert for_console("F\U000e0041") == "F\\U000e0041"
    # As JSON: the same data once parsed, with nothing invisible in what is printed.
    as_json = cli("submission", "check", str(path), "--format", "json")
    for char in "\x1b\u202e\u200b\u2060\u200d\ufeff\U000e0041":
        assert char not in as_json.stdout, repr(char)
    assert json.loads(as_json.stdout)["file"] == path.name


def test_markup_and_overrides_in_a_sheet_name_are_printed_as_typed(
    cli: Run, tmp_path: Path
) -> None:
    from ..ingest.corruptions import WORKBOOK, edit_member

    template = tmp_path / "template.xlsx"
    make_template(template, country="IDN", year=2019, indicators=["SI_COV_BENFTS"])
    renamed = edit_member(
        template,
        tmp_path / "renamed.xlsx",
        WORKBOOK,
        lambda xml: xml.replace(b'name="Coverage"', 'name="[/]Cov\u202eerage"'.encode(), 1),
    )
    done = cli("submission", "check", str(renamed))
    assert done.exit_code in (0, 5), done.stderr
    assert "[/]Cov\\u202eerage" in done.stdout
    assert "\u202e" not in done.stdout + done.stderr


@pytest.mark.parametrize("text", [*MARKUP, "\x1b[31mred\x1b[0m"])
def test_a_progress_step_naming_user_text_is_drawn_as_typed(
    text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A step names a domain column, which is whatever the data file's header says: drawn on a
    # terminal, its markup is printed as it is (a stray "[/]" would stop Rich with an error) and
    # its control characters as escapes.
    from rich.console import Console

    from lindung.cli import compute_options

    screen = Console(file=io.StringIO(), record=True, force_terminal=True, width=200)
    monkeypatch.setattr(compute_options, "error_console", screen)
    with compute_options.progress_bar() as advance:
        advance(f"estimates by {text}", 1, 3)
    drawn = screen.export_text()
    assert f"estimates by {for_console(text, one_line=True)}" in drawn
    assert "\x1b" not in drawn


def test_every_progress_bar_draws_its_description_as_plain_text() -> None:
    # The other bars (reference data, country profiles) take the same plain description.
    from rich.progress import TextColumn

    from lindung.cli.output import progress_columns

    description = progress_columns()[0]
    assert isinstance(description, TextColumn)
    assert description.text_format == "{task.description}" and description.markup is False
