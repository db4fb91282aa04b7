"""when Slack sent the last change of each person the directory followed; when each workspace's people were listed

Revision ID: 0050
Revises: 0049
Create Date: 2026-12-06 11:30:00.000000

A `user_change` Slack sent before the last one followed (a late retry, or one delivered out of order) no longer
undoes it: someone Slack shows as active is not deactivated by an older deactivation, nor given an old name back.
A read of how Slack shows someone (`users.info`) that a change followed meanwhile overtook is not followed either:
each change followed is counted, and the read is taken only if that count did not move while it was under way.
Each workspace's people are listed daily (`users.list`) to catch up on deactivations whose event was lost.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0050"
down_revision: str | None = "0049"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("employees", sa.Column("slack_change_sent_at", models.base.UTCDateTime(timezone=True), nullable=True))
    op.add_column(
        "employees", sa.Column("slack_changes_followed", sa.Integer(), nullable=False, server_default=sa.text("0"))
    )
    op.add_column("workspaces", sa.Column("people_listed_at", models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("workspaces", "people_listed_at")
    op.drop_column("employees", "slack_changes_followed")
    op.drop_column("employees", "slack_change_sent_at")
