"""a nominator's month of grants and their nominations waiting, read by range

Revision ID: 0056
Revises: 0055
Create Date: 2026-12-07 08:00:00.000000

Every App Home counts what its reader gave this month, and every /nominate and App Home how many of their rewards
still wait for approval. The grants were found on the nominator's index alone, and the waiting nominations on the
nominator's index by creation: both read everything the person ever gave, to count a month's or the pending few, so
the cost grew with their history. The grants' nominator index is widened with `granted_at` (the old one, its prefix,
goes), and the nominations get one on nominator, status and `created_at`, the shape of the approver's. A reward's
monthly most counted the nominee's waiting nominations on their index by creation, every one they ever received:
that index becomes one on nominee, status and `created_at` (the duplicate checks, which read it by a minute's
window, read the nominator's index by creation instead, as narrow).
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0056"
down_revision: str | None = "0055"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_reward_grants_nominator_granted", "reward_grants", ["nominator_id", "granted_at"])
    op.drop_index("ix_reward_grants_nominator_id", table_name="reward_grants")
    op.create_index("ix_nominations_nominator_waiting", "nominations", ["nominator_id", "status", "created_at"])
    op.create_index("ix_nominations_nominee_waiting", "nominations", ["nominee_id", "status", "created_at"])
    op.drop_index("ix_nominations_nominee_created", table_name="nominations")


def downgrade() -> None:
    op.create_index("ix_nominations_nominee_created", "nominations", ["nominee_id", "created_at"])
    op.drop_index("ix_nominations_nominee_waiting", table_name="nominations")
    op.drop_index("ix_nominations_nominator_waiting", table_name="nominations")
    op.create_index("ix_reward_grants_nominator_id", "reward_grants", ["nominator_id"])
    op.drop_index("ix_reward_grants_nominator_granted", table_name="reward_grants")
