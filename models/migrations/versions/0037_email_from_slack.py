"""whether a person's email is Slack's or the org file's

Revision ID: 0037
Revises: 0036
Create Date: 2026-12-05 18:10:00.000000

An email the org file does not give was taken from Slack once and kept: after a change there (a new name, a new
domain) HR's reward export still named the old address. One Slack gave now follows a change there (`user_change`),
and an org import's empty `email` cell no longer clears it. One the file gives stays the file's. People the file
never listed (added on first use) have Slack's; for everyone else nothing says where a stored email came from, so it
is taken as the file's until an import leaves their cell empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0037"
down_revision: str | None = "0036"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("employees", sa.Column("email_from_slack", sa.Boolean(), server_default=sa.false(), nullable=False))
    employees = sa.table(
        "employees",
        sa.column("email", sa.String()),
        sa.column("in_directory", sa.Boolean()),
        sa.column("email_from_slack", sa.Boolean()),
    )
    op.execute(
        employees.update()
        .where(employees.c.email.is_not(None), employees.c.in_directory.is_(False))
        .values(email_from_slack=True)
    )


def downgrade() -> None:
    # No batch copy of the table: SQLite (3.35+) drops a column in place, where copying `employees` would
    # break every foreign key pointing at it.
    op.drop_column("employees", "email_from_slack")
