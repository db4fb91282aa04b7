"""the team a suggestion came from, kept as its team moves under another manager

Revision ID: 0049
Revises: 0048
Create Date: 2026-12-06 12:00:00.000000

A suggestion's channel and the people "you said, we did" tells were worked out from the team of its manager, and an
org import that moves the team under a manager sitting in another team points the idea at that manager: the idea
went to the other team's channel and people. The team it came from is kept now. A named idea's is its author's; an
anonymous one's is its manager's, the group its author hid in, as the code before this worked it out (its author is
not stored in the clear). Going down drops it, and the team is worked out from the manager again.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0049"
down_revision: str | None = "0048"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}
"""SQLite rebuilds the table to drop a column: without it, ids of purged rows could be given again."""


def upgrade() -> None:
    # A nullable column, added in place (no copy of the table); SQLite takes the reference only inline, in the ADD
    # COLUMN. Indexed: deleting a team checks nothing points at it, and an import moves a renamed team's ideas by it.
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE suggestions ADD COLUMN team_id INTEGER REFERENCES teams (id)")
    else:
        op.add_column("suggestions", sa.Column("team_id", sa.Integer(), nullable=True))
        op.create_foreign_key(op.f("fk_suggestions_team_id_teams"), "suggestions", "teams", ["team_id"], ["id"])
    op.create_index(op.f("ix_suggestions_team_id"), "suggestions", ["team_id"])
    suggestions = sa.table(
        "suggestions",
        sa.column("team_id", sa.Integer),
        sa.column("anonymous", sa.Boolean),
        sa.column("author_id", sa.Integer),
        sa.column("team_manager_id", sa.Integer),
    )
    employees = sa.table("employees", sa.column("id", sa.Integer), sa.column("team_id", sa.Integer))
    for anonymous, whose in ((False, suggestions.c.author_id), (True, suggestions.c.team_manager_id)):
        team = sa.select(employees.c.team_id).where(employees.c.id == whose).scalar_subquery()
        op.execute(sa.update(suggestions).where(suggestions.c.anonymous.is_(anonymous)).values(team_id=team))


def downgrade() -> None:
    op.drop_index(op.f("ix_suggestions_team_id"), table_name="suggestions")
    with op.batch_alter_table("suggestions", schema=None, table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        if op.get_bind().dialect.name != "sqlite":  # SQLite's reference has no name; the copy of the table drops it
            batch_op.drop_constraint(batch_op.f("fk_suggestions_team_id_teams"), type_="foreignkey")
        batch_op.drop_column("team_id")
