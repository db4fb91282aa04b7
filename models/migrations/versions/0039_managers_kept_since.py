"""when each workspace's fixes and grants began to keep the managers above their people

Revision ID: 0039
Revises: 0038
Create Date: 2026-12-05 19:00:00.000000

Since 0036 a fix keeps every manager above its giver, a grant those above its recipient and nominator; one with
none kept was read as made before, and counted for the managers above its giver (or nominator) now. A fix or grant
made since by someone with no manager then (a newcomer the org file did not list yet, an admin at the top) keeps
none either, and counted for the manager the org file put them under later, who did not lead them then. A workspace
now says from when they are kept: before this upgrade, the moment of the upgrade, or of its first fix or grant that
kept them if earlier; a workspace added after it (none) has always kept them.
"""

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0039"
down_revision: str | None = "0038"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

FIRST_KEPT = """
UPDATE workspaces SET managers_kept_since = (
    SELECT MIN(moment) FROM (
        SELECT :now AS moment
        UNION ALL
        SELECT MIN(r.created_at) FROM resolutions r
        WHERE r.workspace_id = workspaces.id AND EXISTS (SELECT 1 FROM resolution_managers m WHERE m.resolution_id = r.id)
        UNION ALL
        SELECT MIN(g.granted_at) FROM reward_grants g
        WHERE g.workspace_id = workspaces.id AND EXISTS (SELECT 1 FROM grant_managers m WHERE m.grant_id = g.id)
    ) AS moments
)
"""


def upgrade() -> None:
    op.add_column("workspaces", sa.Column("managers_kept_since", sa.DateTime(timezone=True), nullable=True))
    now = datetime.now(UTC)
    # SQLite keeps naive UTC text, as models.base.UTCDateTime writes it.
    moment = f"{now:%Y-%m-%d %H:%M:%S.%f}" if op.get_bind().dialect.name == "sqlite" else now
    op.execute(sa.text(FIRST_KEPT).bindparams(now=moment))


def downgrade() -> None:
    op.drop_column("workspaces", "managers_kept_since")
