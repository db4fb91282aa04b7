"""indexes for what is waiting

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 16:30:00.000000

The requests waiting for a decision are read oldest first: by the App Home (a workspace's, 20 at most)
and by the reminder job (every workspace's, not yet escalated). Neither had an index giving those in
age order, so both walked the whole history of fixes: the App Home along the workspace's date index
until it had found 20 pending requests, the reminder job over the whole table on every run. The
reminder job's index also skips escalated requests nobody decided, which stay pending.

The weekly digest reads each manager's suggestions still open and those closed as done since the
week began: the owner index now ends with `closed_at`, so the done ones come from a range instead of
every suggestion the managers ever closed.
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
    with op.batch_alter_table("suggestions") as batch_op:
        batch_op.drop_index("ix_suggestions_owner_status")
        batch_op.create_index("ix_suggestions_owner_status", ["owner_id", "status", "closed_at"])


def downgrade() -> None:
    with op.batch_alter_table("suggestions") as batch_op:
        batch_op.drop_index("ix_suggestions_owner_status")
        batch_op.create_index("ix_suggestions_owner_status", ["owner_id", "status"])
    op.drop_index("ix_resolutions_due", table_name="resolutions")
    op.drop_index("ix_resolutions_waiting", table_name="resolutions")
    op.create_index("ix_resolutions_waiting", "resolutions", ["workspace_id", "status", "decider_id"])
