"""each reward grant's team and manager, as its recipient's were when it was granted

Revision ID: 0027
Revises: 0026
Create Date: 2026-12-05 06:00:00.000000

HR's export filed every grant under the recipient's team and manager at export time, so someone who moved from one
team to another took their earlier grants along (a quarter exported by team misled payroll). A grant now keeps both
from the moment it is granted. Nothing recorded them for grants made before this revision: they take the
recipient's team and manager as they are at this upgrade, the best known.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0027"
down_revision: str | None = "0026"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}
"""SQLite's copy of the table keeps counting ids on from the highest ever given (0023): never one given twice."""


def upgrade() -> None:
    with op.batch_alter_table("reward_grants", schema=None, table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.add_column(sa.Column("team_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("manager_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(batch_op.f("fk_reward_grants_team_id_teams"), "teams", ["team_id"], ["id"])
        batch_op.create_foreign_key(
            batch_op.f("fk_reward_grants_manager_id_employees"), "employees", ["manager_id"], ["id"]
        )
        batch_op.create_index("ix_reward_grants_team_granted", ["team_id", "granted_at"], unique=False)
    grants = sa.table("reward_grants", sa.column("recipient_id"), sa.column("team_id"), sa.column("manager_id"))
    employees = sa.table("employees", sa.column("id"), sa.column("team_id"), sa.column("manager_id"))
    recipient = sa.select(employees).where(employees.c.id == grants.c.recipient_id)
    op.execute(
        grants.update().values(
            team_id=recipient.with_only_columns(employees.c.team_id).scalar_subquery(),
            manager_id=recipient.with_only_columns(employees.c.manager_id).scalar_subquery(),
        )
    )


def downgrade() -> None:
    with op.batch_alter_table("reward_grants", schema=None, table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.drop_index("ix_reward_grants_team_granted")
        batch_op.drop_constraint(batch_op.f("fk_reward_grants_manager_id_employees"), type_="foreignkey")
        batch_op.drop_constraint(batch_op.f("fk_reward_grants_team_id_teams"), type_="foreignkey")
        batch_op.drop_column("manager_id")
        batch_op.drop_column("team_id")
