"""resolutions

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 15:05:57.757960
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:

    op.create_table(
        "resolutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("policy_version_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("customer_ref", sa.String(length=100), nullable=True),
        sa.Column("summary", sa.Text(), nullable=False),
        sa.Column("customer_outcome", sa.String(length=16), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("exceeded", sa.Text(), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decider_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.Column("reminded_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("escalated_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("request_channel", sa.String(length=32), nullable=True),
        sa.Column("request_ts", sa.String(length=32), nullable=True),
        sa.CheckConstraint("customer_outcome IN ('happy', 'neutral', 'unhappy')", name=op.f("ck_resolutions_outcome")),
        sa.CheckConstraint(
            "status IN ('within', 'pending', 'approved', 'declined')", name=op.f("ck_resolutions_status")
        ),
        sa.CheckConstraint("amount >= 0", name=op.f("ck_resolutions_amount")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["employees.id"], name=op.f("fk_resolutions_decided_by_id_employees")
        ),
        sa.ForeignKeyConstraint(["decider_id"], ["employees.id"], name=op.f("fk_resolutions_decider_id_employees")),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"], name=op.f("fk_resolutions_employee_id_employees")),
        sa.ForeignKeyConstraint(
            ["policy_version_id"], ["policy_versions.id"], name=op.f("fk_resolutions_policy_version_id_policy_versions")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_resolutions_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resolutions")),
    )
    with op.batch_alter_table("resolutions", schema=None) as batch_op:
        batch_op.create_index("ix_resolutions_customer", ["workspace_id", "customer_ref", "created_at"], unique=False)
        batch_op.create_index("ix_resolutions_employee_created", ["employee_id", "created_at"], unique=False)
        batch_op.create_index("ix_resolutions_waiting", ["workspace_id", "status", "decider_id"], unique=False)
        batch_op.create_index("ix_resolutions_workspace_created", ["workspace_id", "created_at"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("resolutions", schema=None) as batch_op:
        batch_op.drop_index("ix_resolutions_workspace_created")
        batch_op.drop_index("ix_resolutions_waiting")
        batch_op.drop_index("ix_resolutions_employee_created")
        batch_op.drop_index("ix_resolutions_customer")

    op.drop_table("resolutions")
