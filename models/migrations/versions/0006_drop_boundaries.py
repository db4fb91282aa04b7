"""drop boundaries: the limits are read from the policy version in force, never from rows of their own

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-30 10:00:00.000000

Every boundary row was a copy of what its policy version's text says (the text is kept, with its
hash, and parsed once per process). Nothing read the copies; dropping them loses nothing. A downgrade
recreates the table empty.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("boundaries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_boundaries_workspace_id"))
        batch_op.drop_index(batch_op.f("ix_boundaries_policy_version_id"))

    op.drop_table("boundaries")


def downgrade() -> None:
    op.create_table(
        "boundaries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("policy_version_id", sa.Integer(), nullable=False),
        sa.Column("profile", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("description", sa.String(length=500), nullable=False),
        sa.Column("per_incident", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("per_day", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("per_month", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("per_customer_30d", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("requires_customer_ref", sa.Boolean(), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.CheckConstraint("per_incident >= 0 AND per_day >= 0 AND per_month >= 0", name=op.f("ck_boundaries_limits")),
        sa.ForeignKeyConstraint(
            ["policy_version_id"], ["policy_versions.id"], name=op.f("fk_boundaries_policy_version_id_policy_versions")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_boundaries_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_boundaries")),
        sa.UniqueConstraint("policy_version_id", "profile", "category", name=op.f("uq_boundaries_policy_version_id")),
    )
    with op.batch_alter_table("boundaries", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_boundaries_policy_version_id"), ["policy_version_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_boundaries_workspace_id"), ["workspace_id"], unique=False)
