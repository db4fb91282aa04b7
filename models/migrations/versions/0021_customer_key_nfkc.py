"""customer keys read in their NFKC form

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-06 12:00:00.000000

A customer's reference is now compared in its NFKC form, so `order １２３４` in full-width digits (as Japanese
input methods type it) is the customer `1234`. The fixes already logged with such a reference kept the key read
without it: each is given its key anew here, or the per-customer limit and the decider's history would miss
them for 30 days. Keys of plain ASCII references do not change. Going down leaves the keys as they are.
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0021"
down_revision: str | None = "0020"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
# The rule as it stood when this migration was written (services/resolutions/customers.py owns the live one).
_LABELS = re.compile(
    r"^(?:(?:order|ticket|case|booking|account|invoice|customer|ref|reference|no|nr|number)(?![a-z])[\s.:#-]*|#\s*)+"
)
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")


def customer_key(reference: str) -> str:
    lowered = unicodedata.normalize("NFKC", reference).strip().lower()
    return _NOT_LETTER_OR_DIGIT.sub("", _LABELS.sub("", lowered)) or _NOT_LETTER_OR_DIGIT.sub("", lowered) or lowered


def upgrade() -> None:
    connection = op.get_bind()
    resolutions = sa.table(
        "resolutions",
        sa.column("id", sa.Integer),
        sa.column("customer_ref", sa.String),
        sa.column("customer_key", sa.String),
    )
    update = (
        sa.update(resolutions)
        .where(resolutions.c.id == sa.bindparam("row_id"))
        .values(customer_key=sa.bindparam("key"))
    )
    last = 0
    while True:
        rows = connection.execute(
            sa.select(resolutions.c.id, resolutions.c.customer_ref, resolutions.c.customer_key)
            .where(resolutions.c.id > last, resolutions.c.customer_ref.is_not(None))
            .order_by(resolutions.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        changed = [
            {"row_id": row.id, "key": key}
            for row in rows
            if not row.customer_ref.isascii() and (key := customer_key(row.customer_ref)) != row.customer_key
        ]
        if changed:
            connection.execute(update, changed)
        last = rows[-1].id


def downgrade() -> None:
    """The keys stay as they are: the rule before this one reads them no worse than a reference typed anew."""
