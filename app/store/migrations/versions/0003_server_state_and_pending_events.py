"""Server-confirmed state beside the optimistic one; pending local events; staff details.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23

``server_data`` holds an entity as the server last sent it; ``data`` is that plus the
effect of this PC's unsent ops, so a rejected op can be rolled back to the server's truth.
Existing rows came from the server or from local actions not yet confirmed: without a
record of which, they are taken as the server's (the next pull corrects them).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    for table in ("cases", "requests"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.add_column(sa.Column("server_data", sa.JSON(), nullable=True))
        op.execute(f"UPDATE {table} SET server_data = data")
    with op.batch_alter_table("events") as batch_op:
        batch_op.add_column(sa.Column("op_id", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("pending", sa.Boolean(), server_default=sa.false(),
                                      nullable=False))
        batch_op.create_index("ix_events_op_id", ["op_id"], unique=False)
    with op.batch_alter_table("staff") as batch_op:
        batch_op.alter_column("department_code", existing_type=sa.String(), nullable=True)
        batch_op.add_column(sa.Column("window_code", sa.String(), nullable=True))
        batch_op.add_column(sa.Column("active", sa.Boolean(), server_default=sa.true(),
                                      nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("staff") as batch_op:
        batch_op.drop_column("active")
        batch_op.drop_column("window_code")
        batch_op.alter_column("department_code", existing_type=sa.String(), nullable=False)
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_index("ix_events_op_id")
        batch_op.drop_column("pending")
        batch_op.drop_column("op_id")
    for table in ("requests", "cases"):
        with op.batch_alter_table(table) as batch_op:
            batch_op.drop_column("server_data")
