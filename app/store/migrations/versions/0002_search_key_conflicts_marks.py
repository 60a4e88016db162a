"""Inbox search key on requests (backfilled), conflicts and notification marks.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Must give exactly what app.store.models.search_key_for() gives for new rows: case number,
# citizen name, last 4 of the ID number, matter name, space-separated, ASCII lower-cased
# (SQLite's lower() folds ASCII only). Requests whose case has not been pulled yet keep ''.
BACKFILL_SEARCH_KEY = """
UPDATE requests
SET search_key = lower(
    c.number || ' ' || c.citizen_name || ' ' || substr(c.citizen_id_number, -4)
    || ' ' || coalesce(m.name, '')
)
FROM cases AS c LEFT JOIN matter_types AS m ON m.code = c.matter_code
WHERE c.id = requests.case_id
"""


def upgrade() -> None:
    with op.batch_alter_table("requests") as batch_op:
        batch_op.add_column(
            sa.Column("search_key", sa.Text(), server_default=sa.text("''"), nullable=False)
        )
    op.execute(BACKFILL_SEARCH_KEY)

    op.create_table(
        "conflicts",
        sa.Column("op_id", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("server_state", sa.JSON(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("dismissed_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("op_id", name="pk_conflicts"),
    )
    op.create_index("ix_conflicts_entity_id", "conflicts", ["entity_id"])
    op.create_table(
        "notification_marks",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("shown_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_notification_marks"),
    )


def downgrade() -> None:
    op.drop_table("notification_marks")
    op.drop_table("conflicts")
    with op.batch_alter_table("requests") as batch_op:
        batch_op.drop_column("search_key")
