"""pulse anonymity: closed rounds kept as counts per shown cell; relays keep an author tag, not an employee id

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-07 10:00:00.000000

Answers of a closed round become `pulse_tallies` (counts per cell, question and value) and receipts
become `pulse_turnouts`; answers no longer carry the answerer's manager; comments lose their
respondent hash at close; a relay keeps an HMAC tag of its author instead of the employee id, and
ends `relay_days` after close. Existing relays cannot be converted (the tag needs the app's key),
so the upgrade deletes them. Rounds closed before this revision are sealed at the level of the whole
organisation (the teams they were answered in are not known well enough to do better): their
counts are kept when at least the threshold answered, their answers and receipts are deleted.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


CLOSED = "SELECT id FROM pulse_rounds WHERE status = 'closed'"
ANSWERED = "(SELECT COUNT(DISTINCT r.respondent) FROM pulse_responses r WHERE r.round_id = pulse_rounds.id)"


def _seal_closed_rounds_at_org_level() -> None:
    op.execute(
        "INSERT INTO pulse_turnouts (round_id, group_manager_id, invited, answered) "
        f"SELECT id, NULL, (SELECT COUNT(*) FROM pulse_receipts c WHERE c.round_id = pulse_rounds.id), {ANSWERED} "
        f"FROM pulse_rounds WHERE status = 'closed' AND {ANSWERED} >= anonymity_threshold ORDER BY id"
    )
    op.execute(
        "INSERT INTO pulse_tallies (round_id, question_id, group_manager_id, value, answers) "
        "SELECT r.round_id, r.question_id, NULL, r.value, COUNT(*) FROM pulse_responses r "
        "JOIN pulse_turnouts t ON t.round_id = r.round_id JOIN pulse_rounds p ON p.id = r.round_id "
        "WHERE (SELECT COUNT(*) FROM pulse_responses q WHERE q.question_id = r.question_id) >= p.anonymity_threshold "
        "GROUP BY r.round_id, r.question_id, r.value ORDER BY r.round_id, r.question_id, r.value"
    )
    op.execute(
        f"DELETE FROM pulse_comments WHERE round_id IN ({CLOSED}) AND round_id NOT IN "
        "(SELECT round_id FROM pulse_turnouts)"
    )
    op.execute(f"UPDATE pulse_comments SET respondent = NULL, group_manager_id = NULL WHERE round_id IN ({CLOSED})")
    op.execute(f"DELETE FROM pulse_responses WHERE round_id IN ({CLOSED})")
    op.execute(f"DELETE FROM pulse_receipts WHERE round_id IN ({CLOSED})")


def upgrade() -> None:
    with op.batch_alter_table("pulse_rounds", schema=None) as batch_op:
        batch_op.add_column(sa.Column("relay_ends_at", models.base.UTCDateTime(timezone=True), nullable=True))

    with op.batch_alter_table("pulse_responses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_responses_group_manager_id"))
        batch_op.drop_constraint(op.f("fk_pulse_responses_group_manager_id_employees"), type_="foreignkey")
        batch_op.drop_column("group_manager_id")

    op.execute("DELETE FROM pulse_replies")
    op.execute("UPDATE pulse_comments SET relay_handle = NULL")
    op.execute("DELETE FROM pulse_relays")
    with op.batch_alter_table("pulse_comments", schema=None) as batch_op:
        batch_op.alter_column("respondent", existing_type=sa.String(length=64), nullable=True)
        batch_op.alter_column("relay_handle", existing_type=sa.String(length=32), nullable=True)

    with op.batch_alter_table("pulse_relays", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("fk_pulse_relays_employee_id_employees"), type_="foreignkey")
        batch_op.drop_column("employee_id")
        batch_op.add_column(sa.Column("round_id", sa.Integer(), nullable=False))
        batch_op.add_column(sa.Column("author_tag", sa.String(length=64), nullable=False))
        batch_op.create_foreign_key(
            batch_op.f("fk_pulse_relays_round_id_pulse_rounds"), "pulse_rounds", ["round_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_pulse_relays_round_id"), ["round_id"], unique=False)

    op.create_table(
        "pulse_turnouts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("group_manager_id", sa.Integer(), nullable=True),
        sa.Column("invited", sa.Integer(), nullable=False),
        sa.Column("answered", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["group_manager_id"], ["employees.id"], name=op.f("fk_pulse_turnouts_group_manager_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["pulse_rounds.id"], name=op.f("fk_pulse_turnouts_round_id_pulse_rounds")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_turnouts")),
        sa.UniqueConstraint("round_id", "group_manager_id", name=op.f("uq_pulse_turnouts_round_id")),
    )
    with op.batch_alter_table("pulse_turnouts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_turnouts_round_id"), ["round_id"], unique=False)

    op.create_table(
        "pulse_tallies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.Integer(), nullable=False),
        sa.Column("group_manager_id", sa.Integer(), nullable=True),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.Column("answers", sa.Integer(), nullable=False),
        sa.CheckConstraint("answers > 0", name=op.f("ck_pulse_tallies_answers")),
        sa.ForeignKeyConstraint(
            ["group_manager_id"], ["employees.id"], name=op.f("fk_pulse_tallies_group_manager_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["question_id"], ["pulse_questions.id"], name=op.f("fk_pulse_tallies_question_id_pulse_questions")
        ),
        sa.ForeignKeyConstraint(["round_id"], ["pulse_rounds.id"], name=op.f("fk_pulse_tallies_round_id_pulse_rounds")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_pulse_tallies")),
        sa.UniqueConstraint("question_id", "group_manager_id", "value", name=op.f("uq_pulse_tallies_question_id")),
    )
    with op.batch_alter_table("pulse_tallies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_pulse_tallies_round_id"), ["round_id"], unique=False)

    _seal_closed_rounds_at_org_level()


def downgrade() -> None:
    with op.batch_alter_table("pulse_tallies", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_tallies_round_id"))
    op.drop_table("pulse_tallies")
    with op.batch_alter_table("pulse_turnouts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_turnouts_round_id"))
    op.drop_table("pulse_turnouts")

    op.execute("DELETE FROM pulse_replies")
    op.execute("UPDATE pulse_comments SET relay_handle = NULL")
    op.execute("DELETE FROM pulse_relays")
    with op.batch_alter_table("pulse_relays", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_pulse_relays_round_id"))
        batch_op.drop_constraint(op.f("fk_pulse_relays_round_id_pulse_rounds"), type_="foreignkey")
        batch_op.drop_column("author_tag")
        batch_op.drop_column("round_id")
        batch_op.add_column(sa.Column("employee_id", sa.Integer(), nullable=False))
        batch_op.create_foreign_key(
            batch_op.f("fk_pulse_relays_employee_id_employees"), "employees", ["employee_id"], ["id"]
        )
    op.execute("DELETE FROM pulse_comments WHERE respondent IS NULL OR relay_handle IS NULL")
    with op.batch_alter_table("pulse_comments", schema=None) as batch_op:
        batch_op.alter_column("relay_handle", existing_type=sa.String(length=32), nullable=False)
        batch_op.alter_column("respondent", existing_type=sa.String(length=64), nullable=False)

    with op.batch_alter_table("pulse_responses", schema=None) as batch_op:
        batch_op.add_column(sa.Column("group_manager_id", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_pulse_responses_group_manager_id_employees"), "employees", ["group_manager_id"], ["id"]
        )
        batch_op.create_index(batch_op.f("ix_pulse_responses_group_manager_id"), ["group_manager_id"], unique=False)

    with op.batch_alter_table("pulse_rounds", schema=None) as batch_op:
        batch_op.drop_column("relay_ends_at")
