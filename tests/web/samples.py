"""Filled submissions for the web tests, a store seeded with one in each workflow state, and
survey runs, one published and one not."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from openpyxl import load_workbook
from sqlalchemy import Engine

from lindung.ingest import import_file, move
from lindung.ingest.layout import CSV_COLUMNS, INSTRUCTIONS_SHEETS, WORKBOOK_COLUMNS
from lindung.keys import DIMENSIONS
from lindung.store import record_survey_run, transaction
from lindung.store.submissions import set_status
from lindung.store.users import User

#: Coverage of PHL in 2022, total and by sex: a coherent filling every default rule accepts.
COVERAGE = {"_T": 40.0, "F": 38.0, "M": 42.0}


def sample_csv(
    country: str = "PHL", year: int = 2022, coverage: dict[str, float] | None = None
) -> bytes:
    """Return a filled long-CSV template: SI_COV_BENFTS by sex (``coverage``: sex -> value)."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for sex, value in (coverage or COVERAGE).items():
        row = dict.fromkeys(CSV_COLUMNS, "_T")
        row.update(
            series="SI_COV_BENFTS",
            ref_area=country,
            time_period=str(year),
            sex=sex,
            unit="percent",
            value=str(value),
            nature="C",
            source="PSA household survey",
            note="",
        )
        writer.writerow(row)
    return out.getvalue().encode()


def shifted(by: float) -> dict[str, float]:
    """Return the sample coverage moved by ``by`` points (a different file, a new version)."""
    return {sex: value + by for sex, value in COVERAGE.items()}


#: The seeded submissions, by name, and the workflow steps each was taken through.
SEEDS: dict[str, tuple[str, ...]] = {
    "draft": (),
    "draft_page": (),
    "draft_api": (),
    "submitted_page": ("submit",),
    "submitted_api": ("submit",),
    "to_return_page": ("submit",),
    "to_return_api": ("submit",),
    "validated_page": ("submit", "validate"),
    "validated_api": ("submit", "validate"),
}


def seed_workflow(engine: Engine, folder: Path, accounts: dict[str, User]) -> dict[str, int]:
    """Import one PHL file per seed as the PHL focal point, take it through its steps (the
    focal point submits, the admin validates); return each seed's submission id."""
    ids: dict[str, int] = {}
    for offset, (name, steps) in enumerate(SEEDS.items()):
        path = folder / f"PHL_2022_{name}.csv"
        path.write_bytes(sample_csv(coverage=shifted(offset / 10)))
        focal = accounts["focal_point"]["email"]
        submission_id = import_file(engine, path, actor=focal).submission["id"]
        for step in steps:
            actor = focal if step == "submit" else accounts["admin"]["email"]
            with transaction(engine) as connection:
                move(connection, submission_id, step, actor=actor)
        ids[name] = submission_id
    return ids


def fill_workbook(template: Path, out: Path, coverage: dict[str, float | str]) -> dict[str, str]:
    """Fill SI_COV_BENFTS by sex (sex -> value) in a workbook template as a focal point
    would in Excel; return each sex's 'Sheet!Cell'."""
    workbook = load_workbook(template)
    places: dict[str, str] = {}
    column = {name: index for index, name in enumerate(WORKBOOK_COLUMNS)}
    for sheet in workbook.worksheets:
        if sheet.title.startswith("_") or sheet.title in INSTRUCTIONS_SHEETS.values():
            continue
        for cells in sheet.iter_rows(min_row=2):
            if cells[column["series"]].value != "SI_COV_BENFTS":
                continue
            others = [n for n in DIMENSIONS if n != "sex" and cells[column[n]].value != "_T"]
            sex = cells[column["sex"]].value
            if others or sex not in coverage:
                continue
            cells[column["value"]].value = coverage[sex]
            cells[column["nature"]].value = "C"
            cells[column["source"]].value = "PSA household survey"
            places[str(sex)] = f"{sheet.title}!{cells[column['value']].coordinate}"
    workbook.save(out)
    return places


#: The survey runs' microdata file path: stored in the run's spec, never shown.
MICRODATA_PATH = "/secret/path/hh.csv"
#: A survey's name with markup in it: pages must show it as text.
HOSTILE_SURVEY = '<script>alert("survey")</script> FIES'


def seed_survey_runs(engine: Engine, accounts: dict[str, User]) -> dict[str, int]:
    """Record two PHL 2021 survey runs of SI_COV_SOCAST (total 20.0 and 21.0, SE 1.5, CI
    value +- 2.94, and one by sex for the first); publish the first ("survey_run"), leave
    the second a draft ("draft_survey_run"). Return their run ids."""
    spec = {
        "survey": {"name": HOSTILE_SURVEY, "country": "PHL", "year": 2021},
        "design": {"weight": "w", "strata": "w_prv", "psu": "w_ea"},
        "household": MICRODATA_PATH,
        "indicators": ["SI_COV_SOCAST"],
    }
    key = {"series": "SI_COV_SOCAST", "ref_area": "PHL", "time_period": 2021, "unit": "percent"}
    ids: list[tuple[int, int]] = []
    with transaction(engine) as connection:
        for data_hash, value in (("a" * 64, 20.0), ("b" * 64, 21.0)):
            estimates = [
                {**key, "value": value, "se": 1.5, "ci_low": value - 2.94, "ci_high": value + 2.94}
            ]
            if not ids:
                estimates.append(
                    {
                        **key,
                        "sex": "F",
                        "value": 1234.5,
                        "se": 0.25,
                        "ci_low": 1234.01,
                        "ci_high": 1234.99,
                    }
                )
            run_id, submission_id, _ = record_survey_run(
                connection,
                ref_area="PHL",
                time_period=2021,
                spec={**spec, "name": data_hash},
                data_file="hh.csv",
                data_hash=data_hash,
                code_version="0.1.0",
                framework_version="1.0.0",
                estimates=estimates,
                actor="tests",
                created_by=accounts["secretariat"]["id"],
                source="FIES 2021",
            )
            ids.append((run_id, submission_id))
        steps = (("draft", "submitted"), ("submitted", "validated"), ("validated", "published"))
        for before, after in steps:
            set_status(connection, ids[0][1], after, expected=before, actor="tests")
    return {"survey_run": ids[0][0], "draft_survey_run": ids[1][0]}
