"""whether a person's time zone is Slack's or the org file's

Revision ID: 0026
Revises: 0025
Create Date: 2026-12-05 02:40:00.000000

A time zone the org file leaves empty is the one Slack gives: it follows a change there (`user_change`), and an org
import's empty `tz` cell no longer clears it (which put the person on UTC until they next used Latitude). One the
file gives stays the file's. People the file never listed (added on first use) have Slack's; for everyone else
nothing says where a stored zone came from, so it is taken as the file's until an import leaves their cell empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0026"
down_revision: str | None = "0025"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column("employees", sa.Column("tz_from_slack", sa.Boolean(), server_default=sa.false(), nullable=False))
    employees = sa.table(
        "employees",
        sa.column("tz", sa.String()),
        sa.column("in_directory", sa.Boolean()),
        sa.column("tz_from_slack", sa.Boolean()),
    )
    op.execute(
        employees.update()
        .where(employees.c.tz.is_not(None), employees.c.in_directory.is_(False))
        .values(tz_from_slack=True)
    )


def downgrade() -> None:
    # No batch copy of the table: SQLite (3.35+) drops a column in place, where copying `employees` would
    # break every foreign key pointing at it.
    op.drop_column("employees", "tz_from_slack")
