"""customer keys read without case, in full

Revision ID: 0057
Revises: 0056
Create Date: 2026-12-07 00:00:00.000000

A customer's reference is now compared with its case folded in full (`str.casefold`) rather than lower-cased, and
Turkish dotted `İ` and dotless `ı` read as `i`: `IŞIK-12`, `Işık-12` and `ışık-12` are one customer to the
per-customer and per-incident limits, as are `STRASSE-1` and `straße-1`, and Greek references ending in `Σ`, `σ`
or `ς`. The fixes already logged are given their key anew, or the limits and the decider's history would miss them
for 30 days. Going down leaves the keys as they are.
"""

import re
import unicodedata
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0057"
down_revision: str | None = "0056"
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
_FOLDED_APART = str.maketrans({"\u0130": "i", "\u0131": "i", "\u0345": None})
_LATIN_LOOK_ALIKES = str.maketrans(
    "авекмнорстухіјѕԛԝαβεζηικμνορτυχ",  # Cyrillic, then Greek
    "abekmhopctyxijsqwabezhikmnoptyx",
)


def customer_key(reference: str) -> str:
    normal = unicodedata.normalize("NFKC", _IGNORABLE.sub("", reference)).strip().translate(_FOLDED_APART)
    folded = unicodedata.normalize("NFKC", normal.casefold()).translate(_LATIN_LOOK_ALIKES)
    seen = (c for c in folded if unicodedata.category(c)[0] not in "MC")
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
    """The keys stay as they are, as the earlier migrations of keys leave theirs: only a reference this rule reads anew
    is keyed apart from the fixes logged for it after going down, as it was from the same reference typed in the other
    case. Those are the references with a letter whose full case folding differs from lower-casing: `ß`, a final
    `ς`, a Turkish `ı`, Greek letters with an iota below (`ᾳ` is `ai`), old Cyrillic letter forms (`ᲂ` is `о`), and
    every Cherokee letter (keyed by its capital, `Ꭰ`, where lower-casing gave the small `ꭰ`)."""
