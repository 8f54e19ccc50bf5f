"""Observations indexed in the full key order, so that a page of current values is a walk.

``ix_observations_key`` held the series, area and year only: a page after a cursor (the API's
keyset pagination) had to sort every version after it to find the next keys. The index on the
whole key, in ``KEY`` order, lets both engines read the next page's keys from the index and
stop at the page's end; the old index is its prefix, so it goes.

The key is written out here, as it was when this migration was made.

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

_KEY = (
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


def upgrade() -> None:
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index("ix_observations_key_order", list(_KEY), unique=False)
        batch_op.drop_index("ix_observations_key")


def downgrade() -> None:
    with op.batch_alter_table("observations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_observations_key", ["series", "ref_area", "time_period"], unique=False
        )
        batch_op.drop_index("ix_observations_key_order")
