"""the hash of the App Home each person was last shown

Revision ID: 0043
Revises: 0042
Create Date: 2026-12-05 22:00:00.000000

A request or nomination handed over away from someone left its details (a customer's reference, a nominator's reason)
on their Home tab until they opened it again. Their Home is now published again through the outbox, over the Home
they were last shown (its hash), so a newer one published meanwhile is kept. Existing rows know no Home: theirs is
redrawn once they have opened the tab.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0043"
down_revision: str | None = "0042"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}
"""SQLite rebuilds the table to drop a column: without it, ids of purged rows could be given again."""


def upgrade() -> None:
    op.add_column("employees", sa.Column("home_hash", sa.String(length=100), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("employees", table_kwargs=KEEP_AUTOINCREMENT) as batch:
        batch.drop_column("home_hash")
