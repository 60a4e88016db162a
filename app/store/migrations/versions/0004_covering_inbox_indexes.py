"""Covering indexes for the inbox and the sent box.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23

The id list of the inbox filters by department and state, sorts by deadline, time sent
and id, and searches the search key. With all of them in one index the list of 100,000
requests is read from the index alone, never from the wide rows (two JSON documents each).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COVERED = ["state", "due_at", "sent_at", "id", "search_key"]


def upgrade() -> None:
    op.drop_index("ix_requests_inbox", table_name="requests")
    op.drop_index("ix_requests_sent", table_name="requests")
    op.create_index("ix_requests_inbox", "requests", ["to_department", *COVERED])
    op.create_index("ix_requests_sent", "requests", ["from_department", *COVERED])


def downgrade() -> None:
    op.drop_index("ix_requests_sent", table_name="requests")
    op.drop_index("ix_requests_inbox", table_name="requests")
    op.create_index("ix_requests_sent", "requests", ["from_department", "sent_at"])
    op.create_index("ix_requests_inbox", "requests", ["to_department", "state", "due_at"])
