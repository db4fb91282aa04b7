"""a boundary proposal HR dismissed: who and when

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-04 09:40:00.000000

HR or an admin may dismiss a proposal instead of applying it; its copies then lose their buttons and say
who dismissed it, and *Apply* on a stale copy refuses.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0016"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BEFORE = "status IN ('proposed', 'applied', 'noted')"
AFTER = "status IN ('proposed', 'applied', 'noted', 'dismissed')"


def upgrade() -> None:
    with op.batch_alter_table("boundary_proposals", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("ck_boundary_proposals_status"), type_="check")
        batch_op.create_check_constraint("status", AFTER)
        batch_op.add_column(sa.Column("dismissed_by_id", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("dismissed_at", models.base.UTCDateTime(timezone=True), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_boundary_proposals_dismissed_by_id_employees"), "employees", ["dismissed_by_id"], ["id"]
        )


def downgrade() -> None:
    op.execute("UPDATE boundary_proposals SET status = 'proposed' WHERE status = 'dismissed'")
    with op.batch_alter_table("boundary_proposals", schema=None) as batch_op:
        batch_op.drop_constraint(batch_op.f("fk_boundary_proposals_dismissed_by_id_employees"), type_="foreignkey")
        batch_op.drop_column("dismissed_at")
        batch_op.drop_column("dismissed_by_id")
        batch_op.drop_constraint(batch_op.f("ck_boundary_proposals_status"), type_="check")
        batch_op.create_check_constraint("status", BEFORE)
