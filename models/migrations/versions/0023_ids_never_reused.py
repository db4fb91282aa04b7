"""ids never reused on SQLite

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-04 23:45:00.000000

A button, a form or a digest line in Slack names its row by id, and Slack keeps showing it for months. SQLite
gives a new row the highest id in its table plus one, so once the newest rows are deleted (a workspace purged,
then installed again; a round's comments rewritten as it closes) their ids come back, and an old Approve button
would approve a new, different request. AUTOINCREMENT makes SQLite count on from the highest id it ever gave, as
PostgreSQL's sequences always do; only a rebuilt table can have it, so on SQLite each table is copied into a new
one. PostgreSQL has nothing to change.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = (
    "workspaces",
    "audit_events",
    "deliveries",
    "policy_versions",
    "pulse_rounds",
    "teams",
    "employees",
    "pulse_questions",
    "boundary_proposals",
    "pulse_comments",
    "pulse_receipts",
    "pulse_responses",
    "pulse_tallies",
    "pulse_turnouts",
    "resolutions",
    "nominations",
    "pulse_replies",
    "reward_grants",
    "suggestions",
    "suggestion_backers",
)
"""Every table of ours whose key is an id the database gives."""


def upgrade() -> None:
    _rebuild(autoincrement=True)


def downgrade() -> None:
    _rebuild(autoincrement=False)


def _rebuild(*, autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}):
            pass
