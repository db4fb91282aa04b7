"""when each person was last read again from Slack to catch up on a listing

Revision ID: 0052
Revises: 0051
Create Date: 2026-12-06 15:40:00.000000

Someone the daily listing shows out of step whose read (`users.info`) changed nothing stays out of step at every listing
(removed from every workspace an org-wide install reaches, still in the org): read once a listing, they no longer hold
the others back, and the install counts as listed once everyone found out of step was read since the listing began.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0052"
down_revision: str | None = "0051"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("employees", sa.Column("slack_checked_at", models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("employees", "slack_checked_at")
