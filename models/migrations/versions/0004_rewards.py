"""rewards

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 15:08:39.517869
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "nominations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("nominator_id", sa.Integer(), nullable=False),
        sa.Column("nominee_id", sa.Integer(), nullable=False),
        sa.Column("item_key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("needs_approval", sa.Boolean(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=True),
        sa.Column("public", sa.Boolean(), nullable=False),
        sa.Column("fingerprint", sa.String(length=64), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("decided_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("decline_reason", sa.Text(), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'approved', 'declined', 'revoked')", name=op.f("ck_nominations_status")
        ),
        sa.CheckConstraint("nominator_id <> nominee_id", name=op.f("ck_nominations_not_self")),
        sa.CheckConstraint("value >= 0", name=op.f("ck_nominations_value")),
        sa.ForeignKeyConstraint(["approver_id"], ["employees.id"], name=op.f("fk_nominations_approver_id_employees")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["employees.id"], name=op.f("fk_nominations_decided_by_id_employees")
        ),
        sa.ForeignKeyConstraint(["nominator_id"], ["employees.id"], name=op.f("fk_nominations_nominator_id_employees")),
        sa.ForeignKeyConstraint(["nominee_id"], ["employees.id"], name=op.f("fk_nominations_nominee_id_employees")),
        sa.ForeignKeyConstraint(
            ["resolution_id"], ["resolutions.id"], name=op.f("fk_nominations_resolution_id_resolutions")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_nominations_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_nominations")),
        sa.UniqueConstraint("fingerprint", name=op.f("uq_nominations_fingerprint")),
    )
    with op.batch_alter_table("nominations", schema=None) as batch_op:
        batch_op.create_index("ix_nominations_nominator_created", ["nominator_id", "created_at"], unique=False)
        batch_op.create_index("ix_nominations_nominee_created", ["nominee_id", "created_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_nominations_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "reward_grants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("nomination_id", sa.Integer(), nullable=False),
        sa.Column("recipient_id", sa.Integer(), nullable=False),
        sa.Column("nominator_id", sa.Integer(), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=True),
        sa.Column("item_key", sa.String(length=64), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("value", sa.Numeric(precision=14, scale=2), nullable=False),
        sa.Column("unit", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("granted_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("fulfilled_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("fulfilled_by_id", sa.Integer(), nullable=True),
        sa.Column("revoked_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("revoked_by_id", sa.Integer(), nullable=True),
        sa.Column("revoke_reason", sa.Text(), nullable=True),
        sa.CheckConstraint("status IN ('approved', 'fulfilled', 'revoked')", name=op.f("ck_reward_grants_status")),
        sa.CheckConstraint("value >= 0", name=op.f("ck_reward_grants_value")),
        sa.ForeignKeyConstraint(["approver_id"], ["employees.id"], name=op.f("fk_reward_grants_approver_id_employees")),
        sa.ForeignKeyConstraint(
            ["fulfilled_by_id"], ["employees.id"], name=op.f("fk_reward_grants_fulfilled_by_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["nomination_id"], ["nominations.id"], name=op.f("fk_reward_grants_nomination_id_nominations")
        ),
        sa.ForeignKeyConstraint(
            ["nominator_id"], ["employees.id"], name=op.f("fk_reward_grants_nominator_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["recipient_id"], ["employees.id"], name=op.f("fk_reward_grants_recipient_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["resolution_id"], ["resolutions.id"], name=op.f("fk_reward_grants_resolution_id_resolutions")
        ),
        sa.ForeignKeyConstraint(
            ["revoked_by_id"], ["employees.id"], name=op.f("fk_reward_grants_revoked_by_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_reward_grants_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_reward_grants")),
        sa.UniqueConstraint("nomination_id", name=op.f("uq_reward_grants_nomination_id")),
    )
    with op.batch_alter_table("reward_grants", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_reward_grants_nominator_id"), ["nominator_id"], unique=False)
        batch_op.create_index("ix_reward_grants_recipient_granted", ["recipient_id", "granted_at"], unique=False)
        batch_op.create_index("ix_reward_grants_workspace_granted", ["workspace_id", "granted_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("reward_grants", schema=None) as batch_op:
        batch_op.drop_index("ix_reward_grants_workspace_granted")
        batch_op.drop_index("ix_reward_grants_recipient_granted")
        batch_op.drop_index(batch_op.f("ix_reward_grants_nominator_id"))

    op.drop_table("reward_grants")
    with op.batch_alter_table("nominations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_nominations_workspace_id"))
        batch_op.drop_index("ix_nominations_nominee_created")
        batch_op.drop_index("ix_nominations_nominator_created")

    op.drop_table("nominations")
