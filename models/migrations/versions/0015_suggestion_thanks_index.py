"""the shout-outs a done suggestion gave, found from the nomination

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-04 06:30:00.000000

Marking a suggestion done thanks its author with a shout-out from the decider. That shout-out is not one
the decider chose to give, so it does not count against their monthly nomination allowance: the count
leaves out nominations a suggestion points to, which this index finds without reading every suggestion.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0015"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index("ix_suggestions_nomination", "suggestions", ["nomination_id"])


def downgrade() -> None:
    op.drop_index("ix_suggestions_nomination", table_name="suggestions")
