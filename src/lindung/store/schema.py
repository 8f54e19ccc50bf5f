"""The database schema: observations, submissions, survey runs, users and the audit log.

One schema for SQLite and PostgreSQL. Observations and the audit log are append-only (the
migration adds triggers that refuse UPDATE and DELETE on both engines).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from lindung.keys import AGGREGATE_KIND as AGGREGATE_KIND
from lindung.keys import COUNTRY_KINDS as COUNTRY_KINDS
from lindung.keys import DIMENSIONS, KEY
from lindung.keys import KINDS as KINDS
from lindung.keys import REFERENCE_KIND as REFERENCE_KIND

metadata = MetaData(
    naming_convention={
        "ix": "ix_%(column_0_label)s",
        "uq": "uq_%(table_name)s_%(column_0_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)


#: Submission states of the approval workflow.
STATUSES: tuple[str, ...] = ("draft", "submitted", "validated", "returned", "published")

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("email", String(254), nullable=False, unique=True),
    Column("role", String(20), nullable=False),
    Column("country", String(3)),
    Column("password_hash", Text, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("disabled_at", DateTime(timezone=True)),
)

#: Personal access tokens: what ``lindung login`` (and later the web API) hands a user.
#: Only a SHA-256 of each token is kept; the token itself exists only on the user's machine.
tokens = Table(
    "tokens",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("user_id", Integer, ForeignKey("users.id"), nullable=False),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("label", String(100), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("expires_at", DateTime(timezone=True), nullable=False),
    Column("revoked_at", DateTime(timezone=True)),
    Column("revoked_by", String(254)),
    Index("ix_tokens_user_id", "user_id"),
)

submissions = Table(
    "submissions",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("ref_area", String(10), nullable=False),
    Column("time_period", Integer),
    Column("version", Integer, nullable=False),
    Column("status", String(20), nullable=False),
    Column("source", Text, nullable=False),
    Column("file_name", Text),
    Column("file_hash", String(64)),
    Column("framework_version", String(20), nullable=False),
    Column("created_by", Integer, ForeignKey("users.id")),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("status_changed_at", DateTime(timezone=True), nullable=False),
    Column("published_at", DateTime(timezone=True)),
    Column("validation_report", Text),
    Column("note", Text),
    UniqueConstraint("kind", "ref_area", "time_period", "version"),
    Index("ix_submissions_file_hash", "file_hash"),
)

survey_runs = Table(
    "survey_runs",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("spec", Text, nullable=False),
    Column("data_file", Text, nullable=False),
    Column("data_hash", String(64), nullable=False),
    Column("code_version", String(40), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

observations = Table(
    "observations",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("submission_id", Integer, ForeignKey("submissions.id"), nullable=False),
    Column("series", String(40), nullable=False),
    Column("ref_area", String(10), nullable=False),
    Column("time_period", Integer, nullable=False),
    *(Column(name, String(40), nullable=False, server_default="_T") for name in DIMENSIONS),
    Column("value", Float, nullable=False),
    Column("unit", String(20), nullable=False),
    Column("se", Float),
    Column("ci_low", Float),
    Column("ci_high", Float),
    Column("nature", String(4)),
    Column("obs_status", String(4)),
    Column("source", Text),
    Column("comment", Text),
    Column("framework_version", String(20), nullable=False),
    # The whole key in order: a page of current values reads its keys off it (migration 0006).
    Index("ix_observations_key_order", *KEY),
    Index("ix_observations_submission", "submission_id"),
    # One value per key in a submission, across every call that adds to it (migration 0004).
    Index("uq_observations_submission_key", "submission_id", *KEY, unique=True),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("actor", String(254), nullable=False),
    Column("action", String(40), nullable=False),
    Column("entity", String(40), nullable=False),
    Column("entity_id", Integer),
    Column("detail", Text),
)

#: Failed sign-ins, kept to slow down password guessing (``ingest.accounts.throttle``): the
#: address typed (a user's or not) and where the attempt came from.
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("email", String(254), nullable=False),
    Column("address", String(64), nullable=False),
    Index("ix_sign_in_failures_email_at", "email", "at"),
    Index("ix_sign_in_failures_address_at", "address", "at"),
)

#: Tables whose rows are never changed once written.
APPEND_ONLY: tuple[str, ...] = ("observations", "audit_log")
