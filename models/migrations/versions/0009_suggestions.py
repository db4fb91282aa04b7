"""suggestions

Revision ID: 0009
Revises: 0008
Create Date: 2026-11-30 10:37:44.784040
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "boundary_proposals",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("profile", sa.String(length=64), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("basis_version_id", sa.Integer(), nullable=False),
        sa.Column("current_limit", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("proposed_limit", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("applied_version_id", sa.Integer(), nullable=True),
        sa.Column("applied_by_id", sa.Integer(), nullable=True),
        sa.Column("applied_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("kind IN ('raise', 'declines')", name=op.f("ck_boundary_proposals_kind")),
        sa.CheckConstraint("status IN ('proposed', 'applied', 'noted')", name=op.f("ck_boundary_proposals_status")),
        sa.ForeignKeyConstraint(
            ["applied_by_id"], ["employees.id"], name=op.f("fk_boundary_proposals_applied_by_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["applied_version_id"],
            ["policy_versions.id"],
            name=op.f("fk_boundary_proposals_applied_version_id_policy_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["basis_version_id"],
            ["policy_versions.id"],
            name=op.f("fk_boundary_proposals_basis_version_id_policy_versions"),
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_boundary_proposals_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_boundary_proposals")),
        sa.UniqueConstraint(
            "workspace_id", "month", "profile", "category", name=op.f("uq_boundary_proposals_workspace_id")
        ),
    )
    with op.batch_alter_table("boundary_proposals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_boundary_proposals_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "suggestions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("anonymous", sa.Boolean(), nullable=False),
        sa.Column("author_id", sa.Integer(), nullable=True),
        sa.Column("author_token", sa.String(length=64), nullable=True),
        sa.Column("author_seal", sa.Text(), nullable=True),
        sa.Column("team_manager_id", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=64), nullable=True),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("why", sa.Text(), nullable=True),
        sa.Column("resolution_id", sa.Integer(), nullable=True),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("change", sa.Text(), nullable=True),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.Column("closed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.Column("nomination_id", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "status IN ('open', 'under_review', 'planned', 'done', 'not_doing')", name=op.f("ck_suggestions_status")
        ),
        sa.CheckConstraint(
            "(anonymous AND author_id IS NULL AND author_token IS NOT NULL AND resolution_id IS NULL) OR (NOT anonymous AND author_id IS NOT NULL AND author_token IS NULL AND author_seal IS NULL)",
            name=op.f("ck_suggestions_author"),
        ),
        sa.ForeignKeyConstraint(["author_id"], ["employees.id"], name=op.f("fk_suggestions_author_id_employees")),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["employees.id"], name=op.f("fk_suggestions_decided_by_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["nomination_id"], ["nominations.id"], name=op.f("fk_suggestions_nomination_id_nominations")
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["employees.id"], name=op.f("fk_suggestions_owner_id_employees")),
        sa.ForeignKeyConstraint(
            ["resolution_id"], ["resolutions.id"], name=op.f("fk_suggestions_resolution_id_resolutions")
        ),
        sa.ForeignKeyConstraint(
            ["team_manager_id"], ["employees.id"], name=op.f("fk_suggestions_team_manager_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_suggestions_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestions")),
    )
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestions_author_id"), ["author_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_suggestions_author_token"), ["author_token"], unique=False)
        batch_op.create_index("ix_suggestions_owner_status", ["owner_id", "status"], unique=False)
        batch_op.create_index("ix_suggestions_workspace_created", ["workspace_id", "created_at"], unique=False)

    op.create_table(
        "suggestion_backers",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("suggestion_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_suggestion_backers_employee_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["suggestion_id"], ["suggestions.id"], name=op.f("fk_suggestion_backers_suggestion_id_suggestions")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_suggestion_backers")),
        sa.UniqueConstraint("suggestion_id", "employee_id", name=op.f("uq_suggestion_backers_suggestion_id")),
    )
    with op.batch_alter_table("suggestion_backers", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_suggestion_backers_suggestion_id"), ["suggestion_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("suggestion_backers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suggestion_backers_suggestion_id"))

    op.drop_table("suggestion_backers")
    with op.batch_alter_table("suggestions", schema=None) as batch_op:
        batch_op.drop_index("ix_suggestions_workspace_created")
        batch_op.drop_index("ix_suggestions_owner_status")
        batch_op.drop_index(batch_op.f("ix_suggestions_author_token"))
        batch_op.drop_index(batch_op.f("ix_suggestions_author_id"))

    op.drop_table("suggestions")
    with op.batch_alter_table("boundary_proposals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_boundary_proposals_workspace_id"))

    op.drop_table("boundary_proposals")
