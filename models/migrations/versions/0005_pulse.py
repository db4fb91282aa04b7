"""pulse

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-23 15:18:57.700437
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "pulse_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("local_time", sa.String(length=5), nullable=True),
        sa.Column("started_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("closes_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("open_hours", sa.Integer(), nullable=False),
        sa.Column("reminder_hours", sa.Integer(), nullable=False),
        sa.Column("anonymity_threshold", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("salt", sa.String(length=64), nullable=True),
        sa.Column("started_by", sa.String(length=64), nullable=False),
        sa.Column("closed_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.CheckConstraint("status IN ('open', 'closed')", name=op.f("ck_pulse_rounds_status")),
        sa.CheckConstraint("reminder_hours < open_hours", name=op.f("ck_pulse_rounds_reminder")),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_pulse_rounds_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_rounds")),
        sa.UniqueConstraint("workspace_id", "number", name=op.f("uq_pulse_rounds_workspace_id")),
    )
    with op.batch_alter_table("pulse_rounds", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_rounds_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "pulse_questions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("text", sa.String(length=300), nullable=False),
        sa.Column("scale_min", sa.Integer(), nullable=False),
        sa.Column("scale_max", sa.Integer(), nullable=False),
        sa.Column("target", sa.Float(), nullable=True),
        sa.CheckConstraint("scale_min < scale_max", name=op.f("ck_pulse_questions_scale")),
        sa.ForeignKeyConstraint(
            ["round_id"], ["pulse_rounds.id"], name=op.f("fk_pulse_questions_round_id_pulse_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_questions")),
        sa.UniqueConstraint("round_id", "key", name=op.f("uq_pulse_questions_round_id")),
    )
    with op.batch_alter_table("pulse_questions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_questions_round_id"), ["round_id"], unique=False)

    op.create_table(
        "pulse_receipts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.Column("invited_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.Column("answered", sa.Boolean(), nullable=False),
        sa.Column("reminded_at", models.base.UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["employee_id"], ["employees.id"], name=op.f("fk_pulse_receipts_employee_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["pulse_rounds.id"], name=op.f("fk_pulse_receipts_round_id_pulse_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_receipts")),
        sa.UniqueConstraint("round_id", "employee_id", name=op.f("uq_pulse_receipts_round_id")),
    )
    with op.batch_alter_table("pulse_receipts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_receipts_employee_id"), ["employee_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pulse_receipts_round_id"), ["round_id"], unique=False)

    op.create_table(
        "pulse_relays",
        sa.Column("handle", sa.String(length=32), nullable=False),
        sa.Column("workspace_id", sa.Integer(), nullable=False),
        sa.Column("employee_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(["employee_id"], ["employees.id"], name=op.f("fk_pulse_relays_employee_id_employees")),
        sa.ForeignKeyConstraint(
            ["workspace_id"], ["workspaces.id"], name=op.f("fk_pulse_relays_workspace_id_workspaces")
        ),
        sa.PrimaryKeyConstraint("handle", name=op.f("pk_pulse_relays")),
    )
    with op.batch_alter_table("pulse_relays", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_relays_workspace_id"), ["workspace_id"], unique=False)

    op.create_table(
        "pulse_responses",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("respondent", sa.String(length=64), nullable=False),
        sa.Column("group_manager_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_manager_id"], ["employees.id"], name=op.f("fk_pulse_responses_group_manager_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["question_id"], ["pulse_questions.id"], name=op.f("fk_pulse_responses_question_id_pulse_questions")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["pulse_rounds.id"], name=op.f("fk_pulse_responses_round_id_pulse_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_responses")),
        sa.UniqueConstraint("question_id", "respondent", name=op.f("uq_pulse_responses_question_id")),
    )
    with op.batch_alter_table("pulse_responses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_responses_group_manager_id"), ["group_manager_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pulse_responses_round_id"), ["round_id"], unique=False)

    op.create_table(
        "pulse_comments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("respondent", sa.String(length=64), nullable=False),
        sa.Column("group_manager_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("relay_handle", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_manager_id"], ["employees.id"], name=op.f("fk_pulse_comments_group_manager_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["relay_handle"], ["pulse_relays.handle"], name=op.f("fk_pulse_comments_relay_handle_pulse_relays")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["pulse_rounds.id"], name=op.f("fk_pulse_comments_round_id_pulse_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_comments")),
        sa.UniqueConstraint("round_id", "respondent", name=op.f("uq_pulse_comments_round_id")),
    )
    with op.batch_alter_table("pulse_comments", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_comments_group_manager_id"), ["group_manager_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_pulse_comments_round_id"), ["round_id"], unique=False)

    op.create_table(
        "pulse_replies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("manager_id", sa.Integer(), nullable=False),
        sa.Column("created_at", models.base.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["pulse_comments.id"], name=op.f("fk_pulse_replies_comment_id_pulse_comments")
        ),
        sa.ForeignKeyConstraint(["manager_id"], ["employees.id"], name=op.f("fk_pulse_replies_manager_id_employees")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_replies")),
    )
    with op.batch_alter_table("pulse_replies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_replies_comment_id"), ["comment_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("pulse_replies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_replies_comment_id"))

    op.drop_table("pulse_replies")
    with op.batch_alter_table("pulse_comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_comments_round_id"))
        batch_op.drop_index(batch_op.f("ix_pulse_comments_group_manager_id"))

    op.drop_table("pulse_comments")
    with op.batch_alter_table("pulse_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_responses_round_id"))
        batch_op.drop_index(batch_op.f("ix_pulse_responses_group_manager_id"))

    op.drop_table("pulse_responses")
    with op.batch_alter_table("pulse_relays", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_relays_workspace_id"))

    op.drop_table("pulse_relays")
    with op.batch_alter_table("pulse_receipts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_receipts_round_id"))
        batch_op.drop_index(batch_op.f("ix_pulse_receipts_employee_id"))

    op.drop_table("pulse_receipts")
    with op.batch_alter_table("pulse_questions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_questions_round_id"))

    op.drop_table("pulse_questions")
    with op.batch_alter_table("pulse_rounds", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_rounds_workspace_id"))

    op.drop_table("pulse_rounds")
