"""attachment names: the name each uploader gave a blob, and the name each reference uses

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-30 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable: blobs uploaded and referenced before names travelled have none.
    with op.batch_alter_table('blob_uploads', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_name', sa.String(), nullable=True))
    with op.batch_alter_table('blob_refs', schema=None) as batch_op:
        batch_op.add_column(sa.Column('file_name', sa.String(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('blob_refs', schema=None) as batch_op:
        batch_op.drop_column('file_name')
    with op.batch_alter_table('blob_uploads', schema=None) as batch_op:
        batch_op.drop_column('file_name')
