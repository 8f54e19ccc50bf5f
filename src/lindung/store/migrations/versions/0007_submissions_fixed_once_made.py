"""A submission's identity and history are fixed once made, and a published one takes no values.

Migration 0003 guards the status; the rest of a submission row was open to a plain UPDATE
(``published_at`` decides which value of a key is current, so moving it rewrote the published
figures without an audit entry), a submission could be deleted on SQLite, and an observation
with a new key could be added to a submission already published. Now, on both engines:

- an UPDATE of ``submissions`` is a status move and nothing else (0003 checks that the move is
  one of the workflow's and that its audit entry is written): ``id``, ``kind``, ``ref_area``,
  ``time_period``, ``version``, ``source``, the file's name and hash, the framework version,
  ``created_by``, ``created_at`` and the validation report never change; ``status_changed_at``
  and ``note`` change with a move; ``published_at`` is set once, by the move to published;
- no DELETE of a submission (nor, on SQLite, a REPLACE over one; on PostgreSQL no TRUNCATE);
- an observation goes only into a draft, or into shipped reference data in the transaction
  that creates it (born published, migration 0004): on SQLite, whose writers take turns,
  while the submission's creation is the store's last audit entry; on PostgreSQL, while the
  submission row is the current transaction's own (its ``xmin``).

The columns and the rules are written out here, as they were when this migration was made.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

_FIXED = (
    "id",
    "kind",
    "ref_area",
    "time_period",
    "version",
    "source",
    "file_name",
    "file_hash",
    "framework_version",
    "created_by",
    "created_at",
    "validation_report",
)
_FIXED_MESSAGE = (
    "a submission changes only by a move of the review workflow; what it is, where it came "
    "from and when it was published are fixed"
)
_DELETE_MESSAGE = "submissions are never deleted; a revision is a new submission"
_INTO_DRAFT_MESSAGE = "observations go only into a draft submission; a revision is a new submission"


def _changed(column: str, differs: str) -> str:
    return f'OLD."{column}" {differs} NEW."{column}"'


def _refused_update(differs: str) -> str:
    """The condition under which an UPDATE of a submission row is refused."""
    fixed = " OR ".join(_changed(column, differs) for column in _FIXED)
    published_once = (
        f"({_changed('published_at', differs)} "
        "AND NOT (OLD.published_at IS NULL AND NEW.status = 'published'))"
    )
    return f"(OLD.status = NEW.status OR {fixed} OR {published_once})"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER submissions_fixed BEFORE UPDATE ON submissions "
            f"WHEN {_refused_update('IS NOT')} "
            f"BEGIN SELECT RAISE(ABORT, '{_FIXED_MESSAGE}'); END"
        )
        op.execute(
            "CREATE TRIGGER submissions_no_delete BEFORE DELETE ON submissions "
            f"BEGIN SELECT RAISE(ABORT, '{_DELETE_MESSAGE}'); END"
        )
        op.execute(
            "CREATE TRIGGER submissions_no_replace BEFORE INSERT ON submissions "
            "WHEN EXISTS (SELECT 1 FROM submissions WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{_DELETE_MESSAGE}'); END"
        )
        born = (
            "(s.kind = 'reference' AND s.status = 'published' AND EXISTS (SELECT 1 FROM "
            "audit_log a WHERE a.id = (SELECT max(id) FROM audit_log) AND a.entity = "
            "'submission' AND a.entity_id = s.id AND a.action = 'create'))"
        )
        op.execute(
            "CREATE TRIGGER observations_into_drafts BEFORE INSERT ON observations "
            "WHEN NOT EXISTS (SELECT 1 FROM submissions s WHERE s.id = NEW.submission_id "
            f"AND (s.status = 'draft' OR {born})) "
            f"BEGIN SELECT RAISE(ABORT, '{_INTO_DRAFT_MESSAGE}'); END"
        )
        return
    op.execute(
        "CREATE FUNCTION lindung_submission_fixed() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN IF {_refused_update('IS DISTINCT FROM')} THEN "
        f"RAISE EXCEPTION '{_FIXED_MESSAGE}'; END IF; RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER submissions_fixed BEFORE UPDATE ON submissions "
        "FOR EACH ROW EXECUTE FUNCTION lindung_submission_fixed()"
    )
    op.execute(
        "CREATE FUNCTION lindung_no_delete() RETURNS trigger LANGUAGE plpgsql AS $$ "
        f"BEGIN RAISE EXCEPTION '{_DELETE_MESSAGE}'; END $$"
    )
    op.execute(
        "CREATE TRIGGER submissions_no_delete BEFORE DELETE ON submissions "
        "FOR EACH ROW EXECUTE FUNCTION lindung_no_delete()"
    )
    op.execute(
        "CREATE TRIGGER submissions_no_truncate BEFORE TRUNCATE ON submissions "
        "FOR EACH STATEMENT EXECUTE FUNCTION lindung_no_delete()"
    )
    # One check per statement over the rows it inserted: a bulk load pays one join, not one
    # lookup per row.
    op.execute(
        "CREATE FUNCTION lindung_observations_into_drafts() RETURNS trigger LANGUAGE plpgsql "
        "AS $$ BEGIN IF EXISTS (SELECT 1 FROM new_rows n JOIN submissions s "
        "ON s.id = n.submission_id WHERE NOT (s.status = 'draft' OR (s.kind = 'reference' "
        "AND s.status = 'published' AND s.xmin = pg_current_xact_id()::xid))) THEN "
        f"RAISE EXCEPTION '{_INTO_DRAFT_MESSAGE}'; END IF; RETURN NULL; END $$"
    )
    op.execute(
        "CREATE TRIGGER observations_into_drafts AFTER INSERT ON observations "
        "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT "
        "EXECUTE FUNCTION lindung_observations_into_drafts()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for trigger in (
            "submissions_fixed",
            "submissions_no_delete",
            "submissions_no_replace",
            "observations_into_drafts",
        ):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        return
    for function in (
        "lindung_submission_fixed",
        "lindung_no_delete",
        "lindung_observations_into_drafts",
    ):
        op.execute(f"DROP FUNCTION IF EXISTS {function}() CASCADE")
