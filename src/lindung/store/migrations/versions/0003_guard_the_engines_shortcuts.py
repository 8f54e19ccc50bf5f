"""Append-only and the review workflow hold against the engines' own shortcuts.

- SQLite: ``INSERT OR REPLACE`` / ``REPLACE INTO`` over an existing id deletes and re-inserts,
  which the UPDATE and DELETE triggers of 0001 never see; a BEFORE INSERT trigger refuses an id
  that is already there.
- PostgreSQL: ``TRUNCATE`` fires no row trigger; a statement trigger refuses it.
- Both: a submission's status changes only along the workflow's edges, and only once the audit
  entry for that very move has been written (``store.set_status`` writes it first), so a plain
  ``UPDATE submissions SET status = ...`` is refused.

The edges are written out here, as they were when this migration was made, so that a later
change of the workflow comes with a migration of its own.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

APPEND_ONLY = ("observations", "audit_log")

# (from, to) and, for a move only some kinds make, the kind.
_LEGAL_MOVE = (
    "((OLD.status = 'draft' AND NEW.status = 'submitted')"
    " OR (OLD.status = 'submitted' AND NEW.status IN ('validated', 'returned'))"
    " OR (OLD.status = 'validated' AND NEW.status = 'published')"
    " OR (OLD.status = 'draft' AND NEW.status = 'published' AND OLD.kind = 'assessment'))"
)
_AUDITED = (
    "EXISTS (SELECT 1 FROM audit_log WHERE audit_log.id = (SELECT max(a.id) FROM audit_log a"
    " WHERE a.entity = 'submission' AND a.entity_id = NEW.id)"
    " AND audit_log.action = 'status:' || NEW.status)"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in APPEND_ONLY:
            op.execute(
                f"CREATE TRIGGER {table}_no_replace BEFORE INSERT ON {table} "
                f"WHEN EXISTS (SELECT 1 FROM {table} WHERE id = NEW.id) "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END"
            )
        op.execute(
            "CREATE TRIGGER submissions_status_guard BEFORE UPDATE OF status ON submissions "
            f"WHEN OLD.status <> NEW.status AND NOT ({_LEGAL_MOVE} AND {_AUDITED}) "
            "BEGIN SELECT RAISE(ABORT, 'a submission status changes only through the review "
            "workflow'); END"
        )
        return
    for table in APPEND_ONLY:
        op.execute(
            f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION lindung_append_only()"
        )
    op.execute(
        "CREATE FUNCTION lindung_status_guard() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF OLD.status <> NEW.status AND NOT ({_LEGAL_MOVE} AND {_AUDITED}) THEN "
        "RAISE EXCEPTION 'a submission status changes only through the review workflow'; "
        "END IF; RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER submissions_status_guard BEFORE UPDATE ON submissions "
        "FOR EACH ROW EXECUTE FUNCTION lindung_status_guard()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for table in APPEND_ONLY:
            op.execute(f"DROP TRIGGER IF EXISTS {table}_no_replace")
        op.execute("DROP TRIGGER IF EXISTS submissions_status_guard")
        return
    for table in APPEND_ONLY:
        op.execute(f"DROP TRIGGER IF EXISTS {table}_no_truncate ON {table}")
    op.execute("DROP FUNCTION IF EXISTS lindung_status_guard() CASCADE")
