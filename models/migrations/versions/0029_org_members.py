"""who works in which workspace of a Grid org installed org-wide

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05 09:00:00.000000

Slack tells an org-wide install which workspaces were removed from it (`team_access_revoked`), not who works in
them: the people of each workspace are learnt from `users.list` while the install reaches it. Empty at the upgrade.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0029"
down_revision: str | None = "0028"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "org_members",
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("slack_id", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_org_members_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("workspace_id", "team_id", "slack_id", name=op.f("pk_org_members")),
    )


def downgrade() -> None:
    op.drop_table("org_members")
