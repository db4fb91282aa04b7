"""whether Slack shows a person as a guest of the workspace

Revision ID: 0031
Revises: 0030
Create Date: 2026-12-05 09:20:00.000000

A guest (Slack's `is_restricted`, or `is_ultra_restricted` for a single-channel guest) is no employee: they log no
fixes, nominate nobody, are nominated by nobody and get no pulse polls. Null until Slack is asked about them.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0031"
down_revision: str | None = "0030"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("employees", sa.Column("slack_guest", sa.Boolean(), nullable=True))


def downgrade() -> None:
    # No batch copy of the table: SQLite (3.35+) drops a column in place, where copying `employees` would
    # break every foreign key pointing at it.
    op.drop_column("employees", "slack_guest")
