"""the shout-out that thanks a suggestion's author is not public

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-05 11:00:00.000000

When a suggestion is done, its author is thanked in the team's channel (or by DM) and gets a shout-out in their
recognition history. That shout-out was stored as public, so every App Home in the workspace showed another
team's suggestion among the latest public shout-outs. It is now stored as not public; this revision marks the
ones already given so.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0019"
down_revision: str | None = "0018"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.execute(
        "UPDATE nominations SET public = false "
        "WHERE id IN (SELECT nomination_id FROM suggestions WHERE nomination_id IS NOT NULL)"
    )


def downgrade() -> None:
    """Nothing to undo: a shout-out kept out of other teams' App Homes harms no one."""
