"""``dict[str, Any]`` is kept for what really has no fixed shape; a row whose keys the code
knows gets a TypedDict (or a dataclass) in the module that makes it, so that a renamed key is
a mypy error, and a JSON document is named ``lindung.jsontypes.JSONObject``.

The sites below still spell ``dict[str, Any]``, each with the reason. A file may hold at most
its allowance; a file not listed none. Lower an allowance when you type a site; never raise one
without saying why here.
"""

from __future__ import annotations

import re
from pathlib import Path

import lindung

SOURCE = Path(lindung.__file__).parent
PATTERN = re.compile(r"dict\[str, Any\]")

_VIEW = "a page's template context or a view row, not typed yet (issue 9 follow-up)"
_PARSED = "cells of an input file as read, before validation gives them a shape"
_OUTSIDE = "outside the assessment core; left for the owner of the package (issue 9 follow-up)"

ALLOWED: dict[str, tuple[int, str]] = {
    "jsontypes.py": (2, "the definition of JSONObject itself, and its docstring"),
    "framework/models.py": (2, "a catalogue entry's summary as a JSON document (API body)"),
    "i18n/formatting.py": (1, "a D3 number-format locale, a JSON document for the browser"),
    "cli/credentials.py": (4, "the saved logins file, a JSON document"),
    "cli/data.py": (2, _OUTSIDE),
    "cli/registry.py": (1, _OUTSIDE),
    "cli/submission.py": (2, _OUTSIDE),
    "exchange/opensdg.py": (2, _PARSED),
    "exchange/sdmx_agency.py": (2, _PARSED),
    "exchange/sdmx_in.py": (3, _PARSED),
    "ingest/check.py": (1, _PARSED),
    "ingest/finding.py": (4, "a finding's message parameters and its JSON form in the report"),
    "ingest/reference.py": (1, _PARSED),
    "ingest/sheets.py": (4, _PARSED),
    "ingest/structure.py": (1, _PARSED),
    "ingest/tableschema.py": (4, "a Frictionless Table Schema, a JSON document"),
    "registry/coverage.py": (2, _OUTSIDE),
    "registry/record.py": (2, "a registry run's spec and results, a JSON column"),
    "survey/backend.py": (2, "the one row of an aggregation: its keys are the caller's query's"),
    "survey/microdata.py": (1, _OUTSIDE),
    "survey/record.py": (4, "a survey run's spec and estimates, a JSON column"),
    "survey/synth.py": (3, _OUTSIDE),
    "report/assessment.py": (4, _VIEW),
    "report/country.py": (2, _VIEW),
    "report/regional.py": (2, _VIEW),
    "report/sections.py": (12, _VIEW),
    "web/api/assess.py": (2, "JSON API bodies"),
    "web/api/countries.py": (3, "JSON API bodies"),
    "web/api/framework.py": (1, "JSON API bodies"),
    "web/api/observations.py": (3, "JSON API bodies"),
    "web/api/progress.py": (2, "JSON API bodies"),
    "web/api/submissions.py": (5, "JSON API bodies"),
    "web/api/survey.py": (1, "JSON API bodies"),
    "web/api/tokens.py": (1, "JSON API bodies"),
    "web/failures.py": (1, _VIEW),
    "web/pages/assessment.py": (4, _VIEW),
    "web/pages/breakdowns.py": (3, _VIEW),
    "web/pages/countries.py": (1, _VIEW),
    "web/pages/indicators.py": (4, _VIEW),
    "web/pages/overview.py": (5, _VIEW),
    "web/pages/profile.py": (3, _VIEW),
    "web/pages/survey.py": (1, _VIEW),
    "web/submissions.py": (4, _VIEW),
    "web/survey.py": (4, _VIEW),
}


def _counts() -> dict[str, int]:
    found = {}
    for path in sorted(SOURCE.rglob("*.py")):
        count = len(PATTERN.findall(path.read_text(encoding="utf-8")))
        if count:
            found[path.relative_to(SOURCE).as_posix()] = count
    return found


def test_no_new_untyped_row_appears_outside_the_allowed_sites() -> None:
    over = {
        name: f"{count} > {ALLOWED.get(name, (0, ''))[0]}"
        for name, count in _counts().items()
        if count > ALLOWED.get(name, (0, ""))[0]
    }
    assert not over, (
        f"dict[str, Any] beyond the allowance in {over}: give the row a TypedDict in the module "
        "that makes it, or name a JSON document lindung.jsontypes.JSONObject"
    )


def test_the_assessment_core_holds_no_untyped_row() -> None:
    core = [
        name
        for name in _counts()
        if name.startswith(("assess/", "store/", "charts/", "cli/assess")) or name == "keys.py"
    ]
    assert core == []


def test_every_allowance_gives_a_reason() -> None:
    assert all(reason.strip() for _, reason in ALLOWED.values())
