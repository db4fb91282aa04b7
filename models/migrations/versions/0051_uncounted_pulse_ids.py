"""pulse answers and comments no longer counted: their counters all show the same, whatever was given

Revision ID: 0051
Revises: 0050
Create Date: 2026-12-06 15:30:00.000000

Answers and comments now take random ids below zero (services/unordered_ids.py). The counters they used before still
said how many were ever given, those of groups too small to show and comments a round below the threshold dropped
included: subtracting the shown tallies gave the hidden groups' totals. Nothing counts ids of these tables any more, so
both counters are moved on to one figure, the same in every upgraded database. It is above any count a workspace reached, so
a release before this one, run again after a downgrade, still never gives an id twice (an old results message's
Reply button names its comment by id).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0051"
down_revision: str | None = "0050"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UNCOUNTED = ("pulse_responses", "pulse_comments")
SAYS_NOTHING = 1_000_000_000
"""Where both counters stand from this revision on, within a 32-bit id column (never lowered, should one be past)."""


def upgrade() -> None:
    bind = op.get_bind()
    for table in UNCOUNTED:
        if bind.dialect.name == "sqlite":
            _sqlite_counter_at(table)
        else:
            bind.execute(
                sa.text(
                    "SELECT setval(seq, GREATEST(nextval(seq), :figure)) FROM pg_get_serial_sequence(:table, 'id') AS seq"
                ),
                {"table": table, "figure": SAYS_NOTHING},
            )


def _sqlite_counter_at(table: str) -> None:
    bind = op.get_bind()
    moved = bind.execute(
        sa.text("UPDATE sqlite_sequence SET seq = max(seq, :figure) WHERE name = :table"),
        {"table": table, "figure": SAYS_NOTHING},
    )
    if not moved.rowcount:
        bind.execute(
            sa.text("INSERT INTO sqlite_sequence (name, seq) VALUES (:table, :figure)"),
            {"table": table, "figure": SAYS_NOTHING},
        )


def downgrade() -> None:
    """Nothing to undo: a release before this one counts on from the figure, never giving an id twice."""
