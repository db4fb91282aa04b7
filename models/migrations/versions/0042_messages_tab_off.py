"""when each workspace's DMs were found refused because the app's Messages tab is off, and when to try one again

Revision ID: 0042
Revises: 0041
Create Date: 2026-12-05 21:00:00.000000

With the Messages tab off, Slack refuses every DM of the app. The workspace remembers it, so that every process stops
sending DMs there, HR's Home says so, and one DM is tried again now and then to find it turned back on.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0042"
down_revision: str | None = "0041"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("workspaces", sa.Column("dms_off_since", sa.DateTime(timezone=True), nullable=True))
    op.add_column("workspaces", sa.Column("dms_retry_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("workspaces", "dms_retry_at")
    op.drop_column("workspaces", "dms_off_since")
