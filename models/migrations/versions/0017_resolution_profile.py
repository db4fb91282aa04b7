"""the boundary profile a resolution was checked against

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-04 14:00:00.000000

Boundary proposals group a month's requests by profile: by the one each request was checked against, not
the one its author holds today (someone promoted since would move their old requests to the new profile).
Resolutions logged before this revision take their author's profile as it is now.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("resolutions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("profile", sa.String(length=64), nullable=True))
    op.execute(
        "UPDATE resolutions SET profile = "
        "(SELECT COALESCE(employees.profile, employees.role) FROM employees WHERE employees.id = resolutions.employee_id)"
    )


def downgrade() -> None:
    with op.batch_alter_table("resolutions", schema=None) as batch_op:
        batch_op.drop_column("profile")
