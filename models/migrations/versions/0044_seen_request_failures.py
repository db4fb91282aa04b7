"""seen requests count their passes and failures, so that a failed request is let through again only as often as Slack
tries an event

Revision ID: 0044
Revises: 0043
Create Date: 2026-12-06 05:00:00.000000

A signed request the app failed (5xx) was forgotten, so that Slack's retry in the same second passed: a copy of it
sent again passed as often as it was sent for the 5 minutes its signature is good for.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0044"
down_revision: str | None = "0043"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("seen_requests", sa.Column("passes", sa.Integer(), server_default="1", nullable=False))
    op.add_column("seen_requests", sa.Column("failures", sa.Integer(), server_default="0", nullable=False))


def downgrade() -> None:
    with op.batch_alter_table("seen_requests") as batch:
        batch.drop_column("failures")
        batch.drop_column("passes")
