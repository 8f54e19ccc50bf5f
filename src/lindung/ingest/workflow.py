"""The approval workflow: draft -> submitted -> validated | returned -> published.

Who may move a submission, and from which state::

    submit    draft     -> submitted   the country's focal point, the secretariat, an admin
    validate  submitted -> validated   the secretariat or an admin
    return    submitted -> returned    the secretariat or an admin, with a note saying what to fix
    publish   validated -> published   the secretariat or an admin

A returned submission stays returned: the corrected file is imported as a new version and
submitted in its turn. Every transition is written to the audit log by ``store.set_status``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from lindung.errors import SubmissionError
from lindung.ingest.accounts import acting_user, require_country, require_reviewer
from lindung.store import get_submission, set_status


@dataclass(frozen=True)
class Transition:
    """One step of the workflow: its name, the state it leaves and the state it reaches."""

    action: str
    source: str
    target: str
    reviewers_only: bool
    needs_note: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition("submit", "draft", "submitted", reviewers_only=False),
        Transition("validate", "submitted", "validated", reviewers_only=True),
        Transition("return", "submitted", "returned", reviewers_only=True, needs_note=True),
        Transition("publish", "validated", "published", reviewers_only=True),
    )
}


def move(
    connection: Connection,
    submission_id: int,
    action: str,
    *,
    actor: str,
    note: str | None = None,
) -> dict[str, Any]:
    """Apply a workflow ``action`` as the user ``actor`` (email); return the submission after."""
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise SubmissionError(f"unknown action {action!r}; use one of {', '.join(TRANSITIONS)}")
    user = acting_user(connection, actor)
    submission = get_submission(connection, submission_id)
    if submission["kind"] != "template":
        raise SubmissionError(
            f"submission {submission_id} is {submission['kind']} data, not a country submission; "
            "only country submissions go through review"
        )
    if transition.reviewers_only:
        require_reviewer(user, f"{action} a submission")
    else:
        require_country(user, submission["ref_area"], f"{action} submission {submission_id}")
    status = submission["status"]
    if status != transition.source:
        raise SubmissionError(_refusal(submission, transition))
    if transition.needs_note and not (note and note.strip()):
        raise SubmissionError(
            f"returning submission {submission_id} needs --note saying what the country must fix"
        )
    set_status(connection, submission_id, transition.target, actor=actor, note=note)
    return get_submission(connection, submission_id)


def _refusal(submission: dict[str, Any], transition: Transition) -> str:
    number, status = submission["id"], submission["status"]
    if status == "returned":
        return (
            f"submission {number} was returned and stays so; import the corrected file "
            f"(a new version) and {transition.action} that one"
        )
    return (
        f"submission {number} is {status}; only a {transition.source} submission can be "
        f"{'returned' if transition.action == 'return' else transition.target}"
    )
