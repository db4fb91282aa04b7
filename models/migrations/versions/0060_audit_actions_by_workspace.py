"""a workspace's audit events of one action, read newest last from their own index

Revision ID: 0060
Revises: 0059
Create Date: 2026-12-07 18:30:00.000000

The background sender reads, each batch, which org-file Slack ids Slack confirmed it has nobody of since the last org
import, and the import itself when the org file was last loaded: both a workspace's events of one action. With only
the workspace's index and the time's, a workspace never imported had its whole audit trail read by time for the
latest import, and every batch read all its events for the few of one action. One index on workspace, action and
time answers both from a few entries.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0060"
down_revision: str | None = "0059"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_audit_events_workspace_id_action_at", "audit_events", ["workspace_id", "action", "at"])


def downgrade() -> None:
    op.drop_index("ix_audit_events_workspace_id_action_at", table_name="audit_events")
