"""workspace config version

Revision ID: 0011
Revises: 0010
Create Date: 2026-11-30 11:30:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0010"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("workspaces", sa.Column("config_version", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    # No batch copy of the table: SQLite (3.35+) drops a column in place, where copying `workspaces` would
    # break every foreign key pointing at it.
    op.drop_column("workspaces", "config_version")
