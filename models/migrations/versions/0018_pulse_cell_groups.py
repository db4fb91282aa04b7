"""each closed pulse round's reporting tree, and one open round per workspace

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05 10:00:00.000000

A closed round's counts are filed per cell under the cell leader's employee id. Results, the digest and the
comment relay used to decide who sees a cell from the org as it is today, so a lead moved under another
manager took their old team's answers along to that manager. `pulse_cell_groups` keeps each round's tree as
it was when the round closed; the seal writes it from now on. Rounds closed before this revision cannot know
the tree they closed under: they take the tree as it is at this upgrade, so a move made between their close
and the upgrade still counts as before, and none made after it does.

Two round starts at once could both find no open round and open two: a partial unique index now allows one
open round per workspace. A database that already has two open rounds in a workspace must close them first
(`python -m bot pulse close`, with the release before this one).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.schema import MigrationError

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TREE_AT_UPGRADE = """
WITH RECURSIVE within(leader_id, group_manager_id) AS (
    SELECT DISTINCT manager_id, manager_id FROM employees WHERE manager_id IS NOT NULL
    UNION
    SELECT within.leader_id, employees.manager_id
    FROM within JOIN employees ON employees.id = within.group_manager_id
    WHERE employees.manager_id IS NOT NULL
)
INSERT INTO pulse_cell_groups (round_id, cell_leader_id, group_manager_id)
SELECT pulse_rounds.id, within.leader_id, within.group_manager_id
FROM pulse_rounds
JOIN employees ON employees.workspace_id = pulse_rounds.workspace_id
JOIN within ON within.leader_id = employees.id
WHERE pulse_rounds.status = 'closed'
ORDER BY pulse_rounds.id, within.leader_id, within.group_manager_id
"""


def upgrade() -> None:
    op.create_table(
        "pulse_cell_groups",
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("cell_leader_id", sa.Integer(), nullable=False),
        sa.Column("group_manager_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["cell_leader_id"], ["employees.id"], name=op.f("fk_pulse_cell_groups_cell_leader_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["group_manager_id"], ["employees.id"], name=op.f("fk_pulse_cell_groups_group_manager_id_employees")
        ),
        sa.ForeignKeyConstraint(
            ["round_id"], ["pulse_rounds.id"], name=op.f("fk_pulse_cell_groups_round_id_pulse_rounds")
        ),
        sa.PrimaryKeyConstraint("round_id", "cell_leader_id", "group_manager_id", name=op.f("pk_pulse_cell_groups")),
    )
    op.execute(TREE_AT_UPGRADE)
    _refuse_two_open_rounds()
    op.create_index(
        "uq_pulse_rounds_one_open",
        "pulse_rounds",
        ["workspace_id"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )


def _refuse_two_open_rounds() -> None:
    """Named by Slack team id, as `pulse close --workspace` takes it; `db upgrade` prints the one line."""
    twice = op.get_bind().execute(
        sa.text(
            "SELECT workspaces.slack_team_id FROM pulse_rounds JOIN workspaces ON workspaces.id = pulse_rounds.workspace_id "
            "WHERE pulse_rounds.status = 'open' GROUP BY workspaces.slack_team_id HAVING count(*) > 1 ORDER BY 1"
        )
    )
    workspaces = [str(row[0]) for row in twice]
    if workspaces:
        raise MigrationError(
            f"More than one pulse round is open in workspace(s) {', '.join(workspaces)}: close them with "
            "`python -m bot pulse close` on the release before this one, then upgrade again."
        )


def downgrade() -> None:
    op.drop_index("uq_pulse_rounds_one_open", table_name="pulse_rounds")
    op.drop_table("pulse_cell_groups")
