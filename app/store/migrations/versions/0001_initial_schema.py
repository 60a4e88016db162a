"""Initial client cache schema.

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0001"
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Timestamps are app.sqltypes.UTCDateTime, which is a DATETIME column; migrations use
# plain types so they never change when the models do.


def upgrade() -> None:
    op.create_table(
        "departments",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("parent_code", sa.String(), nullable=True),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_departments"),
    )
    op.create_table(
        "windows",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("department_code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_windows"),
    )
    op.create_index("ix_windows_department_code", "windows", ["department_code"])
    op.create_table(
        "staff",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("username", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("department_code", sa.String(), nullable=False),
        sa.Column("roles", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_staff"),
        sa.UniqueConstraint("username", name="uq_staff_username"),
    )
    op.create_index("ix_staff_department_code", "staff", ["department_code"])
    op.create_table(
        "matter_types",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("department_code", sa.String(), nullable=False),
        sa.Column("default_category", sa.String(), nullable=False),
        sa.Column("materials", sa.JSON(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_matter_types"),
    )
    op.create_index("ix_matter_types_department_code", "matter_types", ["department_code"])
    op.create_table(
        "calendar",
        sa.Column("name", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("name", name="pk_calendar"),
    )
    op.create_table(
        "sla_policies",
        sa.Column("code", sa.String(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("code", name="pk_sla_policies"),
    )

    op.create_table(
        "cases",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("number", sa.String(), nullable=False),
        sa.Column("department_code", sa.String(), nullable=False),
        sa.Column("matter_code", sa.String(), nullable=False),
        sa.Column("citizen_name", sa.String(), nullable=False),
        sa.Column("citizen_id_number", sa.String(), nullable=False),
        sa.Column("citizen_phone", sa.String(), nullable=True),
        sa.Column("channel", sa.String(), nullable=False),
        sa.Column("category", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("registered_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_cases"),
    )
    op.create_index("ix_cases_number", "cases", ["number"])
    op.create_index("ix_cases_citizen_id_number", "cases", ["citizen_id_number"])
    op.create_index(
        "ix_cases_department_state_registered",
        "cases",
        ["department_code", "state", "registered_at"],
    )
    op.create_table(
        "requests",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("case_id", sa.String(), nullable=False),
        sa.Column("from_department", sa.String(), nullable=False),
        sa.Column("to_department", sa.String(), nullable=False),
        sa.Column("role", sa.String(), nullable=False),
        sa.Column("state", sa.String(), nullable=False),
        sa.Column("subject", sa.String(), nullable=False),
        sa.Column("sent_at", sa.DateTime(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=True),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_requests"),
    )
    op.create_index("ix_requests_case_id", "requests", ["case_id"])
    op.create_index("ix_requests_inbox", "requests", ["to_department", "state", "due_at"])
    op.create_index("ix_requests_sent", "requests", ["from_department", "sent_at"])
    op.create_table(
        "events",
        sa.Column("id", sa.String(), nullable=False),
        sa.Column("entity", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("kind", sa.String(), nullable=False),
        sa.Column("actor_id", sa.String(), nullable=False),
        sa.Column("actor_name", sa.String(), nullable=False),
        sa.Column("department_code", sa.String(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("device", sa.String(), nullable=True),
        sa.Column("details", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_events"),
    )
    op.create_index("ix_events_entity_at", "events", ["entity_id", "at"])
    op.create_table(
        "attachments",
        sa.Column("sha256", sa.String(), nullable=False),
        sa.Column("file_name", sa.String(), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("mime", sa.String(), nullable=False),
        sa.Column("local_path", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("sha256", name="pk_attachments"),
    )

    op.create_table(
        "outbox",
        sa.Column("seq", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("op_id", sa.String(), nullable=False),
        sa.Column("type", sa.String(), nullable=False),
        sa.Column("entity_id", sa.String(), nullable=False),
        sa.Column("args", sa.JSON(), nullable=False),
        sa.Column("client_time", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), server_default="0", nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint("seq", name="pk_outbox"),
        sa.UniqueConstraint("op_id", name="uq_outbox_op_id"),
        sqlite_autoincrement=True,  # never reuse a seq: it is the push order
    )
    op.create_index("ix_outbox_entity_id", "outbox", ["entity_id"])
    op.create_table(
        "sync_state",
        sa.Column("key", sa.String(), nullable=False),
        sa.Column("value", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("key", name="pk_sync_state"),
    )


def downgrade() -> None:
    for table in (
        "sync_state",
        "outbox",
        "attachments",
        "events",
        "requests",
        "cases",
        "sla_policies",
        "calendar",
        "matter_types",
        "staff",
        "windows",
        "departments",
    ):
        op.drop_table(table)  # drops the table's indexes with it
