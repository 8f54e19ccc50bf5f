"""The store: observations with their provenance, submissions, survey runs, users, audit log.

Repository functions take a SQLAlchemy ``Connection``; open one with ``transaction(engine)``
so that a batch is written whole or not at all.
"""

from lindung.keys import DIMENSIONS, KEY
from lindung.store.audit import entries as audit_entries
from lindung.store.audit import record as audit_record
from lindung.store.engine import (
    database_url,
    default_database_url,
    describe_url,
    make_engine,
    transaction,
    translate_errors,
)
from lindung.store.migrate import current_revision, head_revision, upgrade
from lindung.store.observations import (
    StoredObservation,
    count,
    current_observations,
    history,
    insert_observations,
    submission_observations,
)
from lindung.store.schema import (
    AGGREGATE_KIND,
    COUNTRY_KINDS,
    KINDS,
    REFERENCE_KIND,
    STATUSES,
)
from lindung.store.submissions import (
    create_submission,
    find_by_hash,
    get_submission,
    list_submissions,
    set_status,
)
from lindung.store.survey_runs import get_survey_run, record_survey_run
from lindung.store.users import ROLES, add_user, get_user, list_users, verify_password

__all__ = [
    "AGGREGATE_KIND",
    "COUNTRY_KINDS",
    "DIMENSIONS",
    "KEY",
    "KINDS",
    "REFERENCE_KIND",
    "ROLES",
    "STATUSES",
    "StoredObservation",
    "add_user",
    "audit_entries",
    "audit_record",
    "count",
    "create_submission",
    "current_observations",
    "current_revision",
    "database_url",
    "default_database_url",
    "describe_url",
    "find_by_hash",
    "get_submission",
    "get_survey_run",
    "get_user",
    "head_revision",
    "history",
    "insert_observations",
    "list_submissions",
    "list_users",
    "make_engine",
    "record_survey_run",
    "set_status",
    "submission_observations",
    "transaction",
    "translate_errors",
    "upgrade",
    "verify_password",
]
