"""customers compared by their reference's letters and digits

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-03 22:30:00.000000

The per-customer limit and the history a decider sees matched references by their lower-cased text, so
`order 1234`, `Order #1234` and `1234` were three customers and each got the whole limit. Each fix now
keeps `customer_key`, the reference without case, punctuation, spaces and a leading label (order,
ticket, case...), filled in here for the fixes already logged, and indexed as the old expression was.
"""

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
# The rule as it stood when this migration was written (services/resolutions/customers.py owns the live one).
_LABELS = re.compile(
    r"^(?:(?:order|ticket|case|booking|account|invoice|customer|ref|reference|no|nr|number)(?![a-z])[\s.:#-]*|#\s*)+"
)
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def customer_key(reference: str) -> str:
    lowered = reference.strip().lower()
    return _NOT_LETTER_OR_DIGIT.sub("", _LABELS.sub("", lowered)) or _NOT_LETTER_OR_DIGIT.sub("", lowered) or lowered


def upgrade() -> None:
    op.add_column("resolutions", sa.Column("customer_key", sa.String(length=100), nullable=True))
    _fill_keys()
    op.drop_index("ix_resolutions_customer", table_name="resolutions")
    op.create_index("ix_resolutions_customer", "resolutions", ["workspace_id", "customer_key", "created_at"])


def _fill_keys() -> None:
    connection = op.get_bind()
    resolutions = sa.table("resolutions", sa.column("id", sa.Integer), sa.column("customer_ref", sa.String))
    keyed = sa.table("resolutions", sa.column("id", sa.Integer), sa.column("customer_key", sa.String))
    update = sa.update(keyed).where(keyed.c.id == sa.bindparam("row_id")).values(customer_key=sa.bindparam("key"))
    last = 0
    while True:
        rows = connection.execute(
            sa.select(resolutions.c.id, resolutions.c.customer_ref)
            .where(resolutions.c.id > last, resolutions.c.customer_ref.is_not(None))
            .order_by(resolutions.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        connection.execute(update, [{"row_id": row.id, "key": customer_key(row.customer_ref)} for row in rows])
        last = rows[-1].id


def downgrade() -> None:
    op.drop_index("ix_resolutions_customer", table_name="resolutions")
    with op.batch_alter_table(
        "resolutions"
    ) as batch_op:  # before the expression index, which SQLite's copy cannot read
        batch_op.drop_column("customer_key")
    op.create_index(
        "ix_resolutions_customer", "resolutions", ["workspace_id", sa.text("lower(customer_ref)"), "created_at"]
    )
