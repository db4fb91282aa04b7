"""the workspaces purged, by id and when, so that a purge run again says it was done rather than "no workspace"

Revision ID: 0046
Revises: 0045
Create Date: 2026-12-06 05:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0046"
down_revision: str | None = "0045"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "purged_workspaces",
        sa.Column("slack_team_id", sa.String(length=32), nullable=False),
        sa.Column("purged_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("slack_team_id", name=op.f("pk_purged_workspaces")),
    )


def downgrade() -> None:
    op.drop_table("purged_workspaces")
