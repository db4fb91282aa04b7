"""the nominations waiting on one approver, and the requests sent to one decider, oldest first

Revision ID: 0040
Revises: 0039
Create Date: 2026-12-05 21:00:00.000000

The App Home lists the reward nominations waiting for its reader's approval, oldest first, with how many wait in all.
The only index over pending nominations began with the workspace: each Home would walk every pending nomination of
the workspace to find the reader's. This one reads only theirs, already in age order. An admin's Home lists every
request waiting in the workspace, the oldest first, and apart those sent to them, which older ones may hide: the
second index reads those.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0040"
down_revision: str | None = "0039"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_nominations_approver_waiting", "nominations", ["approver_id", "status", "created_at"], unique=False
    )
    op.create_index(
        "ix_resolutions_decider_waiting", "resolutions", ["decider_id", "status", "created_at"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_resolutions_decider_waiting", table_name="resolutions")
    op.drop_index("ix_nominations_approver_waiting", table_name="nominations")
