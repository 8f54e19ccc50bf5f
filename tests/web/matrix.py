"""The role x route matrix: for every route, the request to send and the status of each role.

Roles: anonymous visitors, partners, the focal point of the country concerned (PHL), a focal
point of another country (VNM), the secretariat and admins (``clients.ROLES``). One table per
part of the site; ``test_roles`` joins them and fails on a route that has no row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .clients import ROLES
from .samples import sample_csv, shifted

Upload = dict[str, tuple[str, bytes, str]]


@dataclass(frozen=True)
class Row:
    """One route: where to send the request and the status each role gets.

    ``path`` may name a seeded submission as ``{draft}`` (``samples.SEEDS``); ``files`` are
    sent as a multipart upload with the form.
    """

    path: str
    expected: dict[str, int]
    form: dict[str, str] = field(default_factory=dict)
    files: Upload = field(default_factory=dict)


def everyone(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def statuses(
    *, anonymous: int = 401, focal: int, other: int, partner: int = 403, reviewer: int
) -> dict[str, int]:
    """Return the statuses of a signed-in route: the PHL focal point, another country's,
    a partner, and the secretariat and admin alike."""
    return {
        "anonymous": anonymous,
        "partner": partner,
        "focal_point": focal,
        "other_focal_point": other,
        "secretariat": reviewer,
        "admin": reviewer,
    }


def upload(by: float) -> Upload:
    """Return a PHL file to upload (``by``: its values moved from the sample's)."""
    return {"file": (f"PHL 2022 <{by}>.csv", sample_csv(coverage=shifted(by)), "text/csv")}


#: Who may see one PHL draft, and who may take a reviewer's step on PHL's submissions.
SEE_DRAFT = statuses(focal=200, other=403, reviewer=200)
REVIEW = statuses(focal=403, other=403, reviewer=303)
REVIEW_API = statuses(focal=403, other=403, reviewer=200)


def signed_in(status: int) -> dict[str, int]:
    """``status`` for every account, 401 for an anonymous visitor."""
    return {**everyone(status), "anonymous": 401}


#: The public pages: overview, countries, indicators, reporting status, survey runs.
PAGE_ROWS: dict[tuple[str, str], Row] = {
    ("GET", "/"): Row("/", everyone(200)),
    ("GET", "/reporting-status"): Row("/reporting-status?pillar=coverage", everyone(200)),
    ("GET", "/countries"): Row("/countries", everyone(200)),
    # Published values to everyone; the submissions listed differ by role (test_country_pages).
    ("GET", "/countries/{iso3}"): Row("/countries/PHL", everyone(200)),
    ("GET", "/survey-runs"): Row("/survey-runs", everyone(200)),
    ("GET", "/indicators"): Row("/indicators", everyone(200)),
    # Published values only, to everyone (tests/web/test_indicator_pages.py).
    ("GET", "/indicators/{code}"): Row("/indicators/SI_COV_BENFTS?sex=F", everyone(200)),
    ("GET", "/indicators/{code}/table.csv"): Row(
        "/indicators/SI_COV_BENFTS/table.csv?sex=F", everyone(200)
    ),
    ("GET", "/indicators/{code}/data.csv"): Row(
        "/indicators/SI_COV_BENFTS/data.csv", everyone(200)
    ),
    # Published runs only, to everyone: a draft run is 404 (tests/web/test_survey_pages.py).
    ("GET", "/survey-runs/{run_id}"): Row("/survey-runs/{survey_run}", everyone(200)),
}

#: Accounts and the submission workflow, pages and API actions alike.
WORKFLOW_ROWS: dict[tuple[str, str], Row] = {
    ("GET", "/login"): Row("/login", everyone(200)),
    # A wrong password is refused alike whoever is signed in already.
    ("POST", "/login"): Row(
        "/login", everyone(401), {"email": "nobody@example.org", "password": "not-the-one"}
    ),
    ("POST", "/logout"): Row("/logout", everyone(303)),
    ("GET", "/submissions"): Row("/submissions", everyone(200)),
    ("GET", "/submissions/new"): Row(
        "/submissions/new", statuses(focal=200, other=200, reviewer=200)
    ),
    ("GET", "/submissions/template"): Row(
        "/submissions/template?country=PHL&year=2023", statuses(focal=200, other=403, reviewer=200)
    ),
    # The VNM focal point's PHL file is checked, then refused for its country.
    ("POST", "/submissions"): Row(
        "/submissions", statuses(focal=303, other=403, reviewer=303), files=upload(5)
    ),
    ("GET", "/submissions/{submission_id}"): Row("/submissions/{draft}", SEE_DRAFT),
    ("POST", "/submissions/{submission_id}/submit"): Row(
        "/submissions/{draft_page}/submit", statuses(focal=303, other=403, reviewer=303)
    ),
    ("POST", "/submissions/{submission_id}/validate"): Row(
        "/submissions/{submitted_page}/validate", REVIEW
    ),
    ("POST", "/submissions/{submission_id}/return"): Row(
        "/submissions/{to_return_page}/return", REVIEW, {"note": "the F and M rows are swapped"}
    ),
    # The admin validated it: four eyes leaves publishing to the secretariat.
    ("POST", "/submissions/{submission_id}/publish"): Row(
        "/submissions/{validated_page}/publish",
        {**REVIEW, "admin": 403},
    ),
    ("GET", "/api/v1/submissions"): Row("/api/v1/submissions", everyone(200)),
    ("POST", "/api/v1/submissions/check"): Row(
        "/api/v1/submissions/check", statuses(focal=200, other=200, reviewer=200), files=upload(6)
    ),
    ("POST", "/api/v1/submissions"): Row(
        "/api/v1/submissions", statuses(focal=201, other=403, reviewer=201), files=upload(7)
    ),
    ("GET", "/api/v1/submissions/{submission_id}"): Row("/api/v1/submissions/{draft}", SEE_DRAFT),
    ("POST", "/api/v1/submissions/{submission_id}/submit"): Row(
        "/api/v1/submissions/{draft_api}/submit", statuses(focal=200, other=403, reviewer=200)
    ),
    ("POST", "/api/v1/submissions/{submission_id}/validate"): Row(
        "/api/v1/submissions/{submitted_api}/validate", REVIEW_API
    ),
    ("POST", "/api/v1/submissions/{submission_id}/return"): Row(
        "/api/v1/submissions/{to_return_api}/return", REVIEW_API, {"note": "fix the totals"}
    ),
    ("POST", "/api/v1/submissions/{submission_id}/publish"): Row(
        "/api/v1/submissions/{validated_api}/publish", {**REVIEW_API, "admin": 403}
    ),
}

#: The read API.
API_ROWS: dict[tuple[str, str], Row] = {
    ("GET", "/api/v1/indicators"): Row("/api/v1/indicators", everyone(200)),
    ("GET", "/api/v1/docs"): Row("/api/v1/docs", everyone(200)),
    ("GET", "/api/v1/countries"): Row("/api/v1/countries", everyone(200)),
    ("GET", "/api/v1/countries/{iso3}"): Row("/api/v1/countries/PHL", everyone(200)),
    ("GET", "/api/v1/indicators/{code}"): Row("/api/v1/indicators/SI_COV_BENFTS", everyone(200)),
    ("GET", "/api/v1/observations"): Row(
        "/api/v1/observations?series=SI_COV_BENFTS", everyone(200)
    ),
    # No value of 1901 is stored: everyone is told so alike.
    ("GET", "/api/v1/observations/history"): Row(
        "/api/v1/observations/history?series=SI_COV_BENFTS&area=PHL&period=1901", everyone(404)
    ),
    ("GET", "/api/v1/availability"): Row("/api/v1/availability?area=PHL", everyone(200)),
    ("GET", "/api/v1/consistency"): Row("/api/v1/consistency?area=PHL", everyone(200)),
    # The fixture's store holds no UN population: the tiers cannot be weighted (422).
    ("GET", "/api/v1/tiers"): Row("/api/v1/tiers", everyone(422)),
    ("GET", "/api/v1/progress"): Row("/api/v1/progress?area=PHL", everyone(200)),
    # No UN population in the fixture's store either: aggregates cannot be weighted (422).
    ("GET", "/api/v1/aggregates"): Row("/api/v1/aggregates?series=SI_COV_BENFTS", everyone(422)),
    ("GET", "/api/v1/survey-runs"): Row("/api/v1/survey-runs", everyone(200)),
    ("GET", "/api/v1/survey-runs/{run_id}"): Row("/api/v1/survey-runs/99999", everyone(404)),
    ("GET", "/api/v1/tokens"): Row("/api/v1/tokens", signed_in(200)),
    ("POST", "/api/v1/tokens"): Row("/api/v1/tokens", signed_in(201), {"label": "matrix"}),
    # A token nobody has: who is signed in is told it is not found (permissions: test_api_tokens).
    ("DELETE", "/api/v1/tokens/{token_id}"): Row("/api/v1/tokens/99999", signed_in(404)),
}
