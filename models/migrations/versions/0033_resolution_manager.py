"""the manager a fix's giver had when they logged it

Revision ID: 0033
Revises: 0032
Create Date: 2026-12-05 15:00:00.000000

The weekly digest counts a fix in the digest of the manager its giver had when they logged it (and of the managers
above that one), as it files a grant under the recipient's manager when granted: someone who moves to another team
mid-week leaves the fixes they logged before with their old team. Null for the fixes logged before: the digest
counts them under the giver's managers as they are when it is made, as it did.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0033"
down_revision: str | None = "0032"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}
"""SQLite rebuilds the table to drop a column: without it, ids of purged rows could be given again."""


def upgrade() -> None:
    # A nullable column, added in place (no copy of the table); the digest reads fixes by (workspace_id, created_at)
    # and groups them itself, so it needs no index. SQLite takes the reference only inline, in the ADD COLUMN.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE resolutions ADD COLUMN manager_id INTEGER REFERENCES employees (id)")
        return
    op.add_column("resolutions", sa.Column("manager_id", sa.Integer(), nullable=True))
    op.create_foreign_key(
        op.f("fk_resolutions_manager_id_employees"), "resolutions", "employees", ["manager_id"], ["id"]
    )


def downgrade() -> None:
    with op.batch_alter_table("resolutions", schema=None, table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        if op.get_bind().dialect.name != "sqlite":  # SQLite's reference has no name; the copy of the table drops it
            batch_op.drop_constraint(batch_op.f("fk_resolutions_manager_id_employees"), type_="foreignkey")
        batch_op.drop_column("manager_id")
