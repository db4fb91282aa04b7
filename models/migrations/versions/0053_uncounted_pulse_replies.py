"""relayed replies no longer counted: their counter shows the same, whatever was relayed

Revision ID: 0053
Revises: 0052
Create Date: 2026-12-06 18:30:00.000000

A manager's reply to an anonymous comment now takes a random id below zero (services/unordered_ids.py): its row is
deleted when the round's replies end, or when Slack would not deliver it, and a counted id left a gap among the replies
kept that dated it. The counter it used before still says how many replies were ever relayed, the forgotten ones
included, so it is moved on to the figure revision 0051 moved the answers' and comments' counters to: the same in every
upgraded database, and above any count reached, so a release before this one, run again after a downgrade, still never
gives an id twice (a relayed DM's Answer button names its reply by id).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0053"
down_revision: str | None = "0052"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLE = "pulse_replies"
SAYS_NOTHING = 1_000_000_000
"""Where the counter stands from this revision on (revision 0051's figure), never lowered should it be past it."""


def upgrade() -> None:
    bind = op.get_bind()
    values = {"table": TABLE, "figure": SAYS_NOTHING}
    if bind.dialect.name != "sqlite":
        statement = (
            "SELECT setval(seq, GREATEST(nextval(seq), :figure)) FROM pg_get_serial_sequence(:table, 'id') AS seq"
        )
        bind.execute(sa.text(statement), values)
        return
    moved = bind.execute(sa.text("UPDATE sqlite_sequence SET seq = max(seq, :figure) WHERE name = :table"), values)
    if not moved.rowcount:
        bind.execute(sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :figure)"), values)


def downgrade() -> None:
    """Nothing to undo: a release before this one counts on from the figure, never giving an id twice."""
