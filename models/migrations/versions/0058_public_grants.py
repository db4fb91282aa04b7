"""a grant says whether it is public, and the latest public ones are read from their own index

Revision ID: 0058
Revises: 0057
Create Date: 2026-12-07 15:30:00.000000

Every App Home shows the workspace's three latest public shout-outs. Whether one is public was written on its
nomination only, so the Home walked the workspace's grants newest first, looking each nomination up, until three
public ones turned up: in a workspace that seldom shares one, its whole history on every opening of the tab. A grant
now carries `public`, copied from its nomination (which never changes after), and a partial index holds only the
public grants not revoked, newest last.

The column is added with a server default of true, so that the ADD COLUMN writes no row on PostgreSQL, and only the
private grants are then updated; the default is dropped after, so that a grant written without `public` is refused
rather than shown on every Home. SQLite cannot drop a column's default in place (copying `reward_grants` would break
every foreign key pointing at it), so there the default stays.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0058"
down_revision: str | None = "0057"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

PUBLIC_NOT_REVOKED = "public AND status <> 'revoked'"


def upgrade() -> None:
    op.add_column("reward_grants", sa.Column("public", sa.Boolean(), server_default=sa.true(), nullable=False))
    grants = sa.table("reward_grants", sa.column("nomination_id", sa.Integer()), sa.column("public", sa.Boolean()))
    nominations = sa.table("nominations", sa.column("id", sa.Integer()), sa.column("public", sa.Boolean()))
    private = sa.select(nominations.c.id).where(nominations.c.public.is_(False))
    op.execute(grants.update().where(grants.c.nomination_id.in_(private)).values(public=False))
    if op.get_bind().dialect.name != "sqlite":
        op.alter_column("reward_grants", "public", server_default=None)
    op.create_index(
        "ix_reward_grants_public_latest",
        "reward_grants",
        ["workspace_id", "granted_at", "id"],
        sqlite_where=sa.text(PUBLIC_NOT_REVOKED),
        postgresql_where=sa.text(PUBLIC_NOT_REVOKED),
    )


def downgrade() -> None:
    op.drop_index("ix_reward_grants_public_latest", table_name="reward_grants")
    # No batch copy of the table: SQLite (3.35+) drops a column in place, where copying `reward_grants` would break
    # every foreign key pointing at it.
    op.drop_column("reward_grants", "public")
