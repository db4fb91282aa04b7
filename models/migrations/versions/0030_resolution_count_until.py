"""when the day and the month a fix was logged in end, on the clock of the person who logged it

Revision ID: 0030
Revises: 0029
Create Date: 2026-12-05 09:00:00.000000

A fix counts toward its giver's daily and monthly limits until the day and the month it was logged in have ended
where they were when they logged it, whatever time zone they set in Slack afterwards: one who moves their clock
further east no longer starts a new day (or month) there, with all of its allowance, while theirs is still going.
Null for the fixes logged before: they count in the giver's current day and month, as they did.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0030"
down_revision: str | None = "0029"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Nullable columns, added in place on SQLite and PostgreSQL alike (no batch copy of the table).
    op.add_column("resolutions", sa.Column("day_ends_at", models.base.UTCDateTime(timezone=True), nullable=True))
    op.add_column("resolutions", sa.Column("month_ends_at", models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("resolutions", "month_ends_at")
    op.drop_column("resolutions", "day_ends_at")
