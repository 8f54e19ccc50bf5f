"""``lindung demo``: a store with something to show, its accounts, and the site serving it.

It prepares the store (reference data; a synthetic Indonesian survey run estimated, stored and
published through review; sample national submissions of three member states, two published and
one awaiting review), adds demo users with generated passwords, prints them, and serves the site.
Everything goes through the same ingest and review code as a real country's data: the sample
files are checked, imported by the country's focal point, validated by the secretariat and
published by the admin (four eyes). Running it again adds nothing.
"""

from __future__ import annotations

import csv
import io
import json
import os
import secrets
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.table import Table

from lindung.cli.output import console
from lindung.errors import UsageError
from lindung.text import counted

if TYPE_CHECKING:
    from sqlalchemy import Engine

#: Who the demo signs in as: (e-mail, role, country).
ACCOUNTS: tuple[tuple[str, str, str | None], ...] = (
    ("admin@example.org", "admin", None),
    ("secretariat@example.org", "secretariat", None),
    ("focal.phl@example.org", "focal_point", "PHL"),
    ("focal.idn@example.org", "focal_point", "IDN"),
    ("focal.vnm@example.org", "focal_point", "VNM"),
    ("partner@example.org", "partner", None),
)
ADMIN, SECRETARIAT = ACCOUNTS[0][0], ACCOUNTS[1][0]
#: Where the generated passwords are kept (mode 0600, in the config folder) to print them again.
ACCOUNTS_FILE = "demo-accounts.json"

#: The sample national submissions: coverage by at least one benefit, total, female and male
#: (illustrative figures, not official ones), and the state the demo takes each to.
YEAR = 2022
SAMPLES: dict[str, tuple[dict[str, float], str]] = {
    "PHL": ({"_T": 45.3, "F": 44.1, "M": 46.4}, "published"),
    "IDN": ({"_T": 55.2, "F": 53.9, "M": 56.4}, "published"),
    "VNM": ({"_T": 39.1, "F": 38.2, "M": 40.0}, "submitted"),
}
#: The review steps to a state, and who takes each: the focal point (or the secretariat for a
#: survey run) submits, the secretariat validates, the admin publishes.
STEPS = ("submit", "validate", "publish")
REACHED = {"draft": 0, "submitted": 1, "validated": 2, "published": 3}
SURVEY_HOUSEHOLDS = 3000
SURVEY_SEED = 1


def demo(
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Serve the site once prepared."),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port to serve on."),
) -> None:
    """Prepare the demo store (reference data, a survey run, sample submissions, demo users)
    and serve the site on 127.0.0.1, printing the address and the accounts."""
    from lindung.ingest.reference import load_reference
    from lindung.store import describe_url, make_engine, upgrade

    engine = make_engine()
    try:
        with console.status("Preparing the store"):
            upgrade(engine)
        with console.status("Loading the reference data"):
            summary = load_reference(engine)
        console.print(
            f"Store {describe_url(str(engine.url))}: "
            f"{counted(summary.observations_written, 'reference observation')} added, "
            f"{counted(summary.batches_already_loaded, 'batch', 'batches')} already there."
        )
        passwords = demo_accounts(engine)
        with console.status("Estimating and publishing the synthetic survey run"):
            console.print(survey_run(engine))
        with console.status("Importing the sample national submissions"):
            for line in sample_submissions(engine):
                console.print(line, highlight=False)
        print_overview(engine)
    finally:
        engine.dispose()
    print_accounts(passwords)
    if serve:
        from lindung.cli.serve import serve as serve_site

        serve_site(host="127.0.0.1", port=port, workers=1)


def demo_accounts(engine: Engine) -> dict[str, str]:
    """Add the demo users that are missing, with generated passwords; return every password."""
    from lindung.ingest.accounts import register_user
    from lindung.settings import config_folder
    from lindung.store import get_user, list_users, transaction
    from lindung.store.users import count_users

    kept = config_folder() / ACCOUNTS_FILE
    passwords: dict[str, str] = (
        json.loads(kept.read_text(encoding="utf-8")) if kept.exists() else {}
    )
    with transaction(engine) as connection:
        known = {user["email"] for user in list_users(connection)}
        if count_users(connection) and ADMIN not in known:
            raise UsageError(
                "this store has users but not the demo's; run the demo on its own store "
                "(set LINDUNG_DATABASE_URL to a new sqlite:///... file)"
            )
        admin = get_user(connection, ADMIN) if ADMIN in known else None
        for email, role, country in ACCOUNTS:
            if email in known:
                continue
            password = secrets.token_urlsafe(12)
            user = register_user(
                connection, email=email, role=role, password=password, country=country, by=admin
            )
            admin = admin or user
            passwords[email] = password
    folder = config_folder()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    descriptor = os.open(kept, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w", encoding="utf-8") as handle:
        json.dump(passwords, handle, indent=1)
    return passwords


def take_to(engine: Engine, submission_id: int, target: str, first: str) -> str:
    """Take the submission through the steps still missing to ``target``; return its status."""
    from lindung.ingest import move
    from lindung.store import get_submission, transaction

    actors = {"submit": first, "validate": SECRETARIAT, "publish": ADMIN}
    with transaction(engine) as connection:
        status = get_submission(connection, submission_id)["status"]
    for action in STEPS[REACHED[status] : REACHED[target]]:
        with transaction(engine) as connection:
            status = move(connection, submission_id, action, actor=actors[action])["status"]
    return status


def survey_run(engine: Engine) -> str:
    """Estimate the synthetic survey, store the run and publish it; return what was done."""
    import yaml

    from lindung.survey import estimate, load_spec, synthetic_spec, synthetic_survey, write_survey
    from lindung.survey.record import record_run

    with tempfile.TemporaryDirectory(prefix="lindung-demo-") as folder:
        data = Path(folder) / "survey.csv"
        spec_path = Path(folder) / "survey.yaml"
        write_survey(synthetic_survey(SURVEY_HOUSEHOLDS, SURVEY_SEED), data)
        spec_path.write_text(yaml.safe_dump(synthetic_spec(data.name), sort_keys=False))
        spec = load_spec(spec_path)
        stored = record_run(engine, estimate(spec, [data]), spec, [data], actor=SECRETARIAT)
    status = take_to(engine, int(stored["submission"]), "published", SECRETARIAT)
    what = (
        f"{counted(stored['observations'], 'estimate')} stored"
        if stored["created"]
        else "already there"
    )
    return (
        f"Survey run {stored['survey_run']} ({SURVEY_HOUSEHOLDS:,} synthetic households): "
        f"{what}, {status}."
    )


def sample_file(country: str, coverage: Mapping[str, float]) -> bytes:
    """Return a filled long-CSV submission of SI_COV_BENFTS by sex for ``country``."""
    from lindung.ingest.layout import CSV_COLUMNS

    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\n")
    writer.writeheader()
    for sex, value in coverage.items():
        row = dict.fromkeys(CSV_COLUMNS, "_T")
        row.update(
            series="SI_COV_BENFTS",
            ref_area=country,
            time_period=str(YEAR),
            sex=sex,
            unit="percent",
            value=f"{value}",
            nature="C",
            source=f"{country} national household survey {YEAR} (demo figures)",
            note="",
        )
        writer.writerow(row)
    return out.getvalue().encode()


def sample_submissions(engine: Engine) -> list[str]:
    """Import each sample as its focal point and take it to its state; return one line each."""
    from lindung.ingest import import_file

    lines = []
    with tempfile.TemporaryDirectory(prefix="lindung-demo-") as folder:
        for country, (coverage, target) in SAMPLES.items():
            path = Path(folder) / f"{country}_{YEAR}.csv"
            path.write_bytes(sample_file(country, coverage))
            focal = f"focal.{country.lower()}@example.org"
            imported = import_file(engine, path, actor=focal)
            status = take_to(engine, imported.submission["id"], target, focal)
            what = "imported" if imported.created else "already there"
            lines.append(
                f"{country} {YEAR} submission {imported.submission['id']}: {what}, {status}."
            )
    return lines


def print_overview(engine: Engine) -> None:
    """Print the latest published value and year of each headline series by member state."""
    from lindung.assess.headline import OVERVIEW_SERIES, latest_by_area
    from lindung.framework import load_catalogue
    from lindung.store import current_observations, transaction

    catalogue = load_catalogue()
    with transaction(engine) as connection:
        rows = current_observations(connection, series=OVERVIEW_SERIES, totals_only=True)
    latest = latest_by_area(rows)
    table = Table(title="ASEAN overview: latest published values (percent, year)")
    table.add_column("Member state")
    for code in OVERVIEW_SERIES:
        indicator = catalogue.indicator(code)
        sdg = f"SDG {indicator.sdg.indicator}" if indicator.sdg else ""
        table.add_column(f"{code}\n{sdg}", justify="right")
    for state in catalogue.member_states:
        cells = []
        for code in OVERVIEW_SERIES:
            row = latest.get((code, state.iso3))
            cells.append(f"{row['value']:.1f} ({row['time_period']})" if row else "no data")
        table.add_row(state.name.en, *cells)
    console.print(table)


def print_accounts(passwords: Mapping[str, str]) -> None:
    """Print the demo accounts with their passwords (kept for this machine's demo only)."""
    table = Table(title="Demo accounts (sign in at /login)")
    for column in ("E-mail", "Role", "Country", "Password"):
        table.add_column(column)
    for email, role, country in ACCOUNTS:
        table.add_row(email, role, country or "", passwords.get(email, "(not kept)"))
    console.print(table)
