"""the requests waiting on a manager, read by their reports and by decider

Revision ID: 0055
Revises: 0054
Create Date: 2026-12-07 05:00:00.000000

A manager's App Home lists the pending requests sent to them or made by their reports. Read with an OR, SQLite
walked every pending request of the workspace to pick theirs (on the waiting index, in age order), and did so on
every open of the tab, a frontline person's included. The Home now reads two ranges: the requests sent to them
(`ix_resolutions_decider_waiting`) and those of their reports, which this index serves; its three columns are the
statement's three equalities, so SQLite prefers it to the workspace's waiting index.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0055"
down_revision: str | None = "0054"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_resolutions_employee_waiting", "resolutions", ["employee_id", "status", "workspace_id"])


def downgrade() -> None:
    op.drop_index("ix_resolutions_employee_waiting", table_name="resolutions")
