"""customer keys read with any script's digits, without leading zeros and with Latin look-alikes as Latin

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-05 00:00:00.000000

A customer's reference is now compared with its digits read as 0-9 whatever their script (`١٢٣٤` is `1234`),
a number's leading zeros dropped (`order 01234` is `1234`) and the Cyrillic and Greek letters that look like Latin
ones read as those (`ORD-7` typed with a Cyrillic `О` is `ord7`), so the same order written another way is no new
customer to the per-customer and per-incident limits. The fixes already logged are given their key anew, or the
limits and the decider's history would miss them for 30 days. Going down leaves the keys as they are.
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024"
down_revision: str | None = "0023"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
# The rule as it stood when this migration was written (services/resolutions/customers.py owns the live one).
_LABELS = re.compile(
    r"^(?:(?:order|ticket|case|booking|account|invoice|customer|ref|reference|no|nr|number)(?![a-z])[\s.:#-]*|#\s*)+"
)
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
_LATIN_LOOK_ALIKES = str.maketrans(
    "авекмнорстухіјѕԛԝαβεζηικμνορτυχ",  # Cyrillic, then Greek
    "abekmhopctyxijsqwabezhikmnoptyx",
)


def customer_key(reference: str) -> str:
    normal = unicodedata.normalize("NFKC", reference).strip().lower().translate(_LATIN_LOOK_ALIKES)
    lowered = "".join(str(digit) if (digit := unicodedata.decimal(c, None)) is not None else c for c in normal)
    key = _NOT_LETTER_OR_DIGIT.sub("", _LABELS.sub("", lowered)) or _NOT_LETTER_OR_DIGIT.sub("", lowered) or lowered
    return (key.lstrip("0") or "0") if key.isascii() and key.isdigit() else key


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
            if (key := customer_key(row.customer_ref)) != row.customer_key
        ]
        if changed:
            connection.execute(update, changed)
        last = rows[-1].id


def downgrade() -> None:
    """The keys stay as they are: the rule before this one reads them no worse than a reference typed anew."""
