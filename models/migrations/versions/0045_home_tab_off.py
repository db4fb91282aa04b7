"""when each workspace's Homes were found refused because the app's Home tab is off

Revision ID: 0045
Revises: 0044
Create Date: 2026-12-06 05:00:00.000000

With the Home tab off, Slack refuses every Home the app publishes. The workspace remembers it, so that no Home is
queued there to be published again until someone opens the Home tab, which says it is on.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0045"
down_revision: str | None = "0044"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("workspaces", sa.Column("homes_off_since", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("workspaces", "homes_off_since")
