"""The approval workflow: draft -> submitted -> validated | returned -> published.

Every kind of submission a person produces goes through it: a country's filled template, a
survey run, an SDMX or Open SDG import, a registry run (``store.COUNTRY_KINDS``). Who may move
one, and from which state::

    submit    draft     -> submitted   the country's focal point, the secretariat, an admin
    validate  submitted -> validated   the secretariat or an admin
    return    submitted -> returned    the secretariat or an admin, with a note saying what to fix
    publish   validated -> published   the secretariat or an admin, not the one who imported
                                       or validated it (four eyes, ``LINDUNG_FOUR_EYES``)

A regional aggregate (``store.AGGREGATE_KIND``) is computed by the secretariat from values
that were each published through these steps, and published by it: ``publish`` takes it from
draft to published. Shipped reference data is published as it is loaded and never moves; an
agency's file the secretariat imports (``lindung import sdmx``, kind ``reference``) is reviewed
like a country's.

A returned submission stays returned: the corrected file is imported as a new version and
submitted in its turn. Every transition is one compare-and-set on the status, written to the
audit log first (``store.set_status``): of two steps racing on one submission, exactly one wins.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from lindung.errors import PermissionDenied, SubmissionError
from lindung.ingest.accounts import (
    REVIEWERS,
    acting_user,
    may_act_for,
    require_country,
    require_reviewer,
)
from lindung.settings import FOUR_EYES
from lindung.store import (
    AGGREGATE_KIND,
    COUNTRY_KINDS,
    REFERENCE_KIND,
    audit_entries,
    get_submission,
    set_status,
)
from lindung.store.submissions import Submission, last_change, status_refusal
from lindung.store.users import User


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
AGGREGATE_TRANSITIONS: dict[str, Transition] = {
    "publish": Transition("publish", "draft", "published", reviewers_only=True)
}


def move(
    connection: Connection,
    submission_id: int,
    action: str,
    *,
    actor: str,
    note: str | None = None,
) -> Submission:
    """Apply a workflow ``action`` as the user ``actor`` (email); return the submission after."""
    if action not in TRANSITIONS:
        raise SubmissionError(f"unknown action {action!r}; use one of {', '.join(TRANSITIONS)}")
    user = acting_user(connection, actor)
    submission = get_submission(connection, submission_id)
    transition = _route(submission).get(action)
    if transition is None:
        raise SubmissionError(
            f"submission {submission_id} is a regional aggregate; the secretariat publishes it "
            "when it stores it, and it is never submitted, validated or returned"
        )
    if transition.reviewers_only:
        require_reviewer(user, f"{action} a submission")
    else:
        require_country(user, submission["ref_area"], f"{action} submission {submission_id}")
    if submission["status"] != transition.source:
        raise SubmissionError(_refusal(connection, submission, transition))
    if transition.needs_note and not (note and note.strip()):
        raise SubmissionError(
            f"returning submission {submission_id} needs --note saying what the country must fix"
        )
    if action == "publish" and submission["kind"] != AGGREGATE_KIND and FOUR_EYES.value():
        _require_second_pair_of_eyes(connection, submission, user["email"])
    return set_status(
        connection,
        submission_id,
        transition.target,
        expected=transition.source,
        actor=actor,
        note=note,
    )


def allowed_actions(submission: Submission, user: User | None) -> list[Transition]:
    """Return the steps ``user`` may take on the submission in its current state.

    What a page offers; ``move`` still decides (four eyes, and a race lost, refuse there).
    """
    if user is None or user["disabled_at"] is not None or not reviewed(submission):
        return []
    return [
        transition
        for transition in TRANSITIONS.values()
        if transition.source == submission["status"]
        and (
            user["role"] in REVIEWERS
            if transition.reviewers_only
            else may_act_for(user, submission["ref_area"])
        )
    ]


def reviewed(submission: Submission) -> bool:
    """Return whether the submission goes through submit, validate and publish: everything a
    person brings in, an agency's file imported by the secretariat included (a ``reference``
    submission someone created); not the reference data shipped with Lindung."""
    kind = submission["kind"]
    return kind in COUNTRY_KINDS or (
        kind == REFERENCE_KIND and submission["created_by"] is not None
    )


def _route(submission: Submission) -> dict[str, Transition]:
    if reviewed(submission):
        return TRANSITIONS
    if submission["kind"] == AGGREGATE_KIND:
        return AGGREGATE_TRANSITIONS
    raise SubmissionError(
        f"submission {submission['id']} is {submission['kind']} data, published as shipped; "
        "only what a person produces (country submissions, survey runs, aggregates) is reviewed"
    )


def _require_second_pair_of_eyes(
    connection: Connection, submission: Submission, email: str
) -> None:
    """Raise PermissionDenied if ``email`` imported or validated the submission."""
    steps = {"create": "imported", "status:validated": "validated"}
    for entry in audit_entries(connection, entity="submission", entity_id=submission["id"]):
        done = steps.get(entry["action"])
        if done and entry["actor"].casefold() == email.casefold():
            raise PermissionDenied(
                f"{email} {done} submission {submission['id']} and so cannot also publish it "
                f"(four eyes); another secretariat or admin user publishes it"
            )


def _refusal(connection: Connection, submission: Submission, transition: Transition) -> str:
    number, status = submission["id"], submission["status"]
    if status == "returned":
        return (
            f"submission {number} was returned{last_change(connection, number)} and stays so; "
            f"import the corrected file (a new version) and {transition.action} that one"
        )
    if status == transition.target:
        return status_refusal(connection, submission)
    done = "returned" if transition.action == "return" else transition.target
    return f"submission {number} is {status}; only a {transition.source} submission can be {done}"
