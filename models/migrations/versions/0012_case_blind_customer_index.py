"""case-blind customer index

Revision ID: 0012
Revises: 0011
Create Date: 2026-11-30 14:00:00.000000

Earlier fixes for a customer are found by `lower(customer_ref)`, which the plain column index could not
serve: every `/resolve` with a customer reference read all of the workspace's resolutions.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index("ix_resolutions_customer", table_name="resolutions")
    op.create_index(
        "ix_resolutions_customer", "resolutions", ["workspace_id", sa.text("lower(customer_ref)"), "created_at"]
    )


def downgrade() -> None:
    op.drop_index("ix_resolutions_customer", table_name="resolutions")
    op.create_index("ix_resolutions_customer", "resolutions", ["workspace_id", "customer_ref", "created_at"])
