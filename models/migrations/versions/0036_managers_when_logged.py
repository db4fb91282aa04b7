"""every manager above a fix's giver when they logged it, and above a grant's recipient and nominator when granted

Revision ID: 0036
Revises: 0035
Create Date: 2026-12-05 18:00:00.000000

0033 kept the giver's own manager, and the digest counted the fix for the managers above that one as they are when it
is made: when a team lead moved under another manager with their team, the fixes the team logged before went to the
new manager's digest and left the old one's (its "last week" too, a week after it had counted them). The fix now
keeps every manager above its giver then. So it was for recognition: a grant received counted for the recipient's
manager then and the managers above that one now, a grant given for the nominator's managers now; a grant now keeps
the managers above both when it was granted. Fixes and grants from before have none here and count as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0036"
down_revision: str | None = "0035"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "resolution_managers",
        sa.Column("resolution_id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["resolution_id"], ["resolutions.id"], name=op.f("fk_resolution_managers_resolution_id_resolutions")
        ),
        sa.ForeignKeyConstraint(
            ["manager_id"], ["employees.id"], name=op.f("fk_resolution_managers_manager_id_employees")
        ),
        sa.PrimaryKeyConstraint("resolution_id", "manager_id", name=op.f("pk_resolution_managers")),
    )
    op.create_table(
        "grant_managers",
        sa.Column("grant_id", sa.Integer(), nullable=False),
        sa.Column("side", sa.String(length=8), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.CheckConstraint("side IN ('received', 'given')", name=op.f("ck_grant_managers_side")),
        sa.ForeignKeyConstraint(
            ["grant_id"], ["reward_grants.id"], name=op.f("fk_grant_managers_grant_id_reward_grants")
        ),
        sa.ForeignKeyConstraint(["manager_id"], ["employees.id"], name=op.f("fk_grant_managers_manager_id_employees")),
        sa.PrimaryKeyConstraint("grant_id", "side", "manager_id", name=op.f("pk_grant_managers")),
    )


def downgrade() -> None:
    op.drop_table("grant_managers")
    op.drop_table("resolution_managers")
