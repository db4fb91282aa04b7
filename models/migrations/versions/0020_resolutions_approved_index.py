"""the requests approved in a week, found without reading the history

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 09:00:00.000000

The weekly digest counts a request's amount as given in the week it was approved, which may come after the week
it was logged in. This index finds a week's approvals by when they were decided, without walking every fix ever
approved.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0020"
down_revision: str | None = "0019"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_resolutions_approved", "resolutions", ["workspace_id", "status", "decided_at"])


def downgrade() -> None:
    op.drop_index("ix_resolutions_approved", table_name="resolutions")
