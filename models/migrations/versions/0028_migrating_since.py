"""when a workspace began migrating into an Enterprise Grid org

Revision ID: 0028
Revises: 0027
Create Date: 2026-12-05 06:00:00.000000

Slack sends `grid_migration_started` when a workspace the app is installed in begins to join a Grid org, and
`grid_migration_finished` when it is done, and asks apps to stop calling its API meanwhile. Its messages wait (they
are kept, not dropped) from the first event to the second. Null for every workspace not migrating.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0028"
down_revision: str | None = "0027"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # No batch copy of the table: every other table points at `workspaces`; both SQLite and PostgreSQL add a
    # nullable column in place.
    op.add_column("workspaces", sa.Column("migrating_since", models.base.UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    op.drop_column("workspaces", "migrating_since")
