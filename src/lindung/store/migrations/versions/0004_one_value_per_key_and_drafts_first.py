"""A submission holds one value per key, and only shipped reference data starts published.

- ``uq_observations_submission_key``: a unique index on the submission and the full
  observation key, so that a second value for a key is refused whichever call (or process)
  brings it, not only within one batch.
- An insert guard on ``submissions``: a new submission is a draft, except shipped reference
  data (kind ``reference``), which is published as loaded (``docs/submissions.md``). Any other
  kind reaches ``published`` only through the review workflow (migration 0003 guards the moves).

The key is written out here, as it was when this migration was made.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_KEY = (
    "submission_id",
    "series",
    "ref_area",
    "time_period",
    "sex",
    "age",
    "urbanisation",
    "income_wealth_quantile",
    "disability_status",
    "group",
    "program",
    "poverty_line",
)
_BORN_PUBLISHED = "(NEW.status = 'published' AND NEW.kind = 'reference')"
_MESSAGE = "a new submission starts as draft; only shipped reference data is created published"


def upgrade() -> None:
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index("uq_observations_submission_key", list(_KEY), unique=True)
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER submissions_born_draft BEFORE INSERT ON submissions "
            f"WHEN NOT (NEW.status = 'draft' OR {_BORN_PUBLISHED}) "
            f"BEGIN SELECT RAISE(ABORT, '{_MESSAGE}'); END"
        )
        return
    op.execute(
        "CREATE FUNCTION lindung_born_draft() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
        f"IF NOT (NEW.status = 'draft' OR {_BORN_PUBLISHED}) THEN "
        f"RAISE EXCEPTION '{_MESSAGE}'; END IF; RETURN NEW; END $$"
    )
    op.execute(
        "CREATE TRIGGER submissions_born_draft BEFORE INSERT ON submissions "
        "FOR EACH ROW EXECUTE FUNCTION lindung_born_draft()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS submissions_born_draft")
    else:
        op.execute("DROP FUNCTION IF EXISTS lindung_born_draft() CASCADE")
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.drop_index("uq_observations_submission_key")
