"""when a nomination's approver was reminded, and when it went one level up

Revision ID: 0035
Revises: 0034
Create Date: 2026-12-05 16:00:00.000000

A tangible reward waiting for its approver was reminded once and then waited for good: an approver on holiday
held the nominator's allowance and the nominee's monthly most. It now goes one level up as a request does, which
needs the reminder's time (the wait before it goes up counts from it) and the mark that it went up. A nomination
already reminded takes its reminder's time from the reminder queued in the outbox; one whose reminder was forgotten
with the outbox's old rows is reminded again under the same key, which the outbox ignores, and goes up a wait later.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0035"
down_revision: str | None = "0034"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("nominations", sa.Column("reminded_at", models.base.UTCDateTime(timezone=True), nullable=True))
    op.add_column("nominations", sa.Column("escalated_at", models.base.UTCDateTime(timezone=True), nullable=True))
    reminded = sa.text(
        "UPDATE nominations SET reminded_at = (SELECT deliveries.created_at FROM deliveries "
        "WHERE deliveries.idempotency_key = :prefix || CAST(nominations.id AS VARCHAR(20)) || :suffix) "
        "WHERE status = 'pending'"
    )
    op.execute(reminded.bindparams(prefix="reward-approval:", suffix=":reminder"))


KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}
"""SQLite rebuilds the table to drop a column: without it, ids of purged rows could be given again."""


def downgrade() -> None:
    with op.batch_alter_table("nominations", schema=None, table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.drop_column("escalated_at")
        batch_op.drop_column("reminded_at")
