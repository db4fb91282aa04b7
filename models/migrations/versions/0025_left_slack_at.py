"""when Slack deactivated someone Latitude still had active

Revision ID: 0025
Revises: 0024
Create Date: 2026-12-05 00:40:00.000000

A person Slack deactivates (`user_change` with `deleted: true`) is deactivated here at once. Only those come back
when Slack reactivates them, and an org import that still lists them leaves them inactive: the file, written before,
cannot know. Null for everyone else, and for whoever HR's import deactivated.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0025"
down_revision: str | None = "0024"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}
"""SQLite rebuilds the table to drop a column: without it, ids of purged rows could be given again."""


def upgrade() -> None:
    with op.batch_alter_table("employees", schema=None, table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column("left_slack_at", models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("employees", schema=None, table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.drop_column("left_slack_at")
