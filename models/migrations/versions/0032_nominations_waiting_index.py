"""the nominations waiting for approval, found without reading every nomination ever made

Revision ID: 0032
Revises: 0031
Create Date: 2026-12-05 12:00:00.000000

The reminder tick (every 10 minutes) and the hand-over of what waits on people who left read a workspace's pending
nominations, oldest first. With only the index on the workspace, that was every nomination the workspace ever made:
a year of shout-outs, most long approved, read six times an hour to find the few still waiting. The new index leads
with the workspace, so it replaces the one on the workspace alone (which SQLite, knowing no row counts, would rather
walk in id order than sort the few pending rows).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0032"
down_revision: str | None = "0031"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_nominations_waiting", "nominations", ["workspace_id", "status", "created_at"])
    op.drop_index("ix_nominations_workspace_id", table_name="nominations")


def downgrade() -> None:
    op.create_index("ix_nominations_workspace_id", "nominations", ["workspace_id"])
    op.drop_index("ix_nominations_waiting", table_name="nominations")
