"""pending resolution indexes

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 16:30:00.000000

The requests waiting for a decision are read oldest first: by the App Home (a workspace's, 20 at most)
and by the reminder job (every workspace's, not yet escalated). Neither had an index giving those in
age order, so both walked the whole history of fixes: the App Home along the workspace's date index
until it had found 20 pending requests, the reminder job over the whole table on every run. The
reminder job's index also skips escalated requests nobody decided, which stay pending.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_resolutions_waiting", table_name="resolutions")
    op.create_index("ix_resolutions_waiting", "resolutions", ["workspace_id", "status", "created_at"])
    op.create_index("ix_resolutions_due", "resolutions", ["status", "escalated_at", "created_at"])


def downgrade() -> None:
    op.drop_index("ix_resolutions_due", table_name="resolutions")
    op.drop_index("ix_resolutions_waiting", table_name="resolutions")
    op.create_index("ix_resolutions_waiting", "resolutions", ["workspace_id", "status", "decider_id"])
