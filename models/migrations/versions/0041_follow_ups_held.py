"""when a request's or nomination's follow-up held for its recipient's morning is looked at again

Revision ID: 0041
Revises: 0040
Create Date: 2026-12-05 21:00:00.000000

A reminder or escalation due in the night of everyone it goes to waits for their morning. The follow-up tick read
each such row again every ten minutes, working out who it goes to each time (for a request going up to the admins,
two statements a row): 5,000 held made each tick 10,000 statements and several seconds. A held row now says until
when it is held, and under which version of the workspace's people and policy that was worked out; existing rows
hold nothing and are worked out at the next tick.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0041"
down_revision: str | None = "0040"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("resolutions", "nominations")


KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}
"""SQLite rebuilds the table to drop a column: without it, ids of purged rows could be given again."""


def upgrade() -> None:
    for table in TABLES:
        op.add_column(table, sa.Column("held_until", sa.DateTime(timezone=True), nullable=True))
        op.add_column(table, sa.Column("held_under", sa.Integer(), nullable=True))


def downgrade() -> None:
    for table in TABLES:
        with op.batch_alter_table(table, table_kwargs=KEEP_AUTOINCREMENT) as batch:
            batch.drop_column("held_under")
            batch.drop_column("held_until")
