"""when an anonymous suggestion reaches its owner and its team's channel

Revision ID: 0034
Revises: 0033
Create Date: 2026-12-05 16:00:00.000000

An anonymous suggestion's card and channel post went out the moment its author sent it, and Slack showed that
second: whoever was seen typing just then was its author. Now each waits a random 5 to 30 minutes, and until then
the idea is shown to nobody but its author. Null once released, and for every suggestion sent before: they were.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import models.base
from models.schema import MigrationError

revision: str = "0034"
down_revision: str | None = "0033"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


KEEP_AUTOINCREMENT = {"sqlite_autoincrement": True}
"""SQLite rebuilds the table to drop a column: without it, ids of purged rows could be given again."""


def upgrade() -> None:
    # A nullable column, added in place on SQLite and PostgreSQL alike; the release tick, every 30 seconds, finds
    # the few ideas held back by its index rather than by reading every suggestion.
    op.add_column("suggestions", sa.Column("release_at", models.base.UTCDateTime(timezone=True), nullable=True))
    op.create_index("ix_suggestions_release_at", "suggestions", ["release_at"])


def downgrade() -> None:
    _refuse_ideas_held_back()
    op.drop_index("ix_suggestions_release_at", table_name="suggestions")
    with op.batch_alter_table("suggestions", schema=None, table_kwargs=KEEP_AUTOINCREMENT) as batch_op:
        batch_op.drop_column("release_at")


def _refuse_ideas_held_back() -> None:
    """Without the column a held idea would show at once, to its owner's list and the digest, with no card, no channel
    post and no audit row ever written for it: the release tick writes those, and runs within half an hour. It never
    runs for a workspace the app was uninstalled from (or taken over by an org-wide install): those are named."""
    bind = op.get_bind()
    held = bind.scalar(
        sa.text(
            "SELECT count(*) FROM suggestions JOIN workspaces ON workspaces.id = suggestions.workspace_id "
            "WHERE suggestions.release_at IS NOT NULL AND workspaces.uninstalled_at IS NULL"
        )
    )
    stranded = bind.scalars(
        sa.text(
            "SELECT DISTINCT workspaces.slack_team_id FROM suggestions JOIN workspaces "
            "ON workspaces.id = suggestions.workspace_id "
            "WHERE suggestions.release_at IS NOT NULL AND workspaces.uninstalled_at IS NOT NULL "
            "ORDER BY workspaces.slack_team_id"
        )
    ).all()
    reasons = []
    if held:
        reasons.append(
            f"{held} anonymous suggestion(s) still wait for their release (at most 30 minutes after they were sent): "
            "run the bot on this release until they are sent (`suggestions.release_at` all empty)"
        )
    if stranded:
        reasons.append(
            f"anonymous suggestions of {', '.join(stranded)}, where the app is no longer installed, are held until it "
            "is: delete those workspaces' data with `python -m bot workspace purge TEAM_ID`, or install the app there "
            "again and run the bot on this release until they are sent"
        )
    if reasons:
        raise MigrationError("; ".join(reasons) + "; then downgrade again.")
