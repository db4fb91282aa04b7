"""when each person last opened the app's Home tab

Revision ID: 0047
Revises: 0046
Create Date: 2026-12-06 05:45:00.000000

A Home Slack refused because the Home tab was off, from a batch taken before someone opened the tab (which says it is
on), no longer marks the workspace's Home tab off.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0047"
down_revision: str | None = "0046"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("employees", sa.Column("home_opened_at", models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("employees", "home_opened_at")
