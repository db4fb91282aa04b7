"""events whose listener has not finished, kept until it has, so that the app runs them again itself

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-05 23:00:00.000000

Slack sends an event once: a listener that failed after the ack (the database restarting) left it undone.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0043"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "event_retries",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=64), nullable=False),
        sa.Column("body", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("received_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.CheckConstraint("attempts >= 0", name=op.f("ck_event_retries_attempts")),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_event_retries")),
    )
    with op.batch_alter_table("event_retries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_retries_next_attempt_at"), ["next_attempt_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("event_retries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_retries_next_attempt_at"))
    op.drop_table("event_retries")
