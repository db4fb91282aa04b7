"""customer keys read without the characters shown as nothing

Revision ID: 0054
Revises: 0053
Create Date: 2026-12-07 00:00:00.000000

A customer's reference is now compared without the characters Unicode shows as nothing (a Hangul filler, which NFKC
makes a letter, a zero-width space, a joiner, a variation selector, a tag character), so `12` and `34` with a filler
pasted between are the customer `1234` to the per-customer and per-incident limits, as the one-line `/resolve` already
read it. The fixes already logged through the form with such a reference kept the key read with it: each is given
its key anew, or the limits and the decider's history would miss them for 30 days; and its reference is kept without
those characters, as a new one is. So are the marks NFKC leaves uncombined and the control characters (`o\u0336rder`),
and what comes before a label (`(order 1234)` is `1234`, as the one-line `/resolve` reads it); a key is cut to its
column's 100 characters. A reference of nothing but such characters names no customer. Going down leaves the keys
and references as they are.
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0054"
down_revision: str | None = "0053"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
# The rule as it stood when this migration was written (services/resolutions/customers.py owns the live one, and
# services/text.py the characters shown as nothing).
_IGNORABLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f\u202a-\u202e\u2060-\u206f\u3164"
    "\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff]"
)
_LABELS = re.compile(
    r"^[\W_]*(?:(?:order|ticket|case|booking|account|invoice|customer|ref|reference|no|nr|number)(?![a-z])[\s.:#-]*|#\s*)+"
)
_NOT_LETTER_OR_DIGIT = re.compile(r"[\W_]+")
_LATIN_LOOK_ALIKES = str.maketrans(
    "авекмнорстухіјѕԛԝαβεζηικμνορτυχ",  # Cyrillic, then Greek
    "abekmhopctyxijsqwabezhikmnoptyx",
)


def usable(reference: str) -> str | None:
    visible = _IGNORABLE.sub("", reference).strip()
    return visible if any(character.isalnum() for character in visible) else None


def customer_key(reference: str) -> str | None:
    visible = usable(reference)
    if visible is None:
        return None
    normal = unicodedata.normalize("NFKC", visible).strip().lower().translate(_LATIN_LOOK_ALIKES)
    seen = (c for c in normal if unicodedata.category(c)[0] not in "MC")
    lowered = "".join(str(digit) if (digit := unicodedata.decimal(c, None)) is not None else c for c in seen)
    key = _NOT_LETTER_OR_DIGIT.sub("", _LABELS.sub("", lowered)) or _NOT_LETTER_OR_DIGIT.sub("", lowered) or lowered
    return ((key.lstrip("0") or "0") if key.isascii() and key.isdigit() else key)[:100]


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
        .values(customer_ref=sa.bindparam("reference"), customer_key=sa.bindparam("key"))
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
        renewed = [(row, usable(row.customer_ref), customer_key(row.customer_ref)) for row in rows]
        changed = [
            {"row_id": row.id, "reference": reference, "key": key}
            for row, reference, key in renewed
            if (reference, key) != (row.customer_ref, row.customer_key)
        ]
        if changed:
            connection.execute(update, changed)
        last = rows[-1].id


def downgrade() -> None:
    """The keys stay as they are: the rule before this one reads them no worse than a reference typed anew."""
