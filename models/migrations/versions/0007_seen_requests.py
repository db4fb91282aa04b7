"""seen requests (replay protection)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "seen_requests",
        sa.Column("timestamp", sa.BigInteger(), autoincrement=False, nullable=False),
        sa.Column("signature", sa.String(length=80), nullable=False),
        sa.PrimaryKeyConstraint("timestamp", "signature", name=op.f("pk_seen_requests")),
    )


def downgrade() -> None:
    op.drop_table("seen_requests")
