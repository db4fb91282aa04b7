"""fixes whose customer an older reader misread take today's reading

Revision ID: 0059
Revises: 0058
Create Date: 2026-12-07 00:00:00.000000

A one-line `/resolve` names its customer by a label (`order 1234`) or a bare `#4471`, and the reader of that
reference was mended several times; a fix logged before a mending kept the customer read then, and the per-customer
limits and the decider's history counted it against the wrong customer: `order 1,234` was customer `order 1`,
`order 1234,5 items missing` customer `12345`, `order 3-4 days late` customer `34`, `booking 2 nights cancelled`
customer `booking 2`. What happened is stored with the reference still in it (only `ref:`, the outcome and the amount
are read out), so each fix is read again: first with the older readers, frozen as they stood (models/migrations/frozen),
and only a fix one of them reads as the reference it holds is the misreading of that reader; that fix takes the
reference today's reader (frozen as it stands at 0059) gives, with its key. Where today's names no customer, the fix
keeps the one it holds: `order 3-4 days late` stays customer `34`, but `the order 3 days late, order 1234`, read right
before 4 Dec, and any fix whose customer was typed in the form stay too (a migration cannot tell them apart, and
nothing could give back a customer taken away); a bogus one only weighs on limits for the 30 days they look back.
The older readers are those of 23 Nov to 4 Dec, 4 to 5 Dec, 5 to 6 Dec, 6 to 7 Dec and 7 Dec (listed in
models/migrations/frozen/older_references_0059.py). Left out, each in use for half an hour or less: the readers of
4 Dec 02:35, of 5 Dec 22:49 (a later label after a span, `the order 3 days late, case 5521`) and of 7 Dec 11:23,
which stored `order 1234,150 minutes on hold` as `1234150`.
A fix today's reader would ask about (`order 5521-3 boxes missing`) keeps what it holds, as does one whose reading
today is longer than a customer may be, and any fix whose reference came from `ref:` or the form, unless an older
reader gives that very reference back from what happened (then it is filed as the line would be today). Fixes logged without a customer stay so: the
form stores those too, and a reading now could give a customer to a fix whose giver named none.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from models.migrations.frozen.customer_keys_0059 import customer_key
from models.migrations.frozen.older_references_0059 import OLDER_READERS
from models.migrations.frozen.reference_words_0059 import Asked
from models.migrations.frozen.references_0059 import read_customer

revision: str = "0059"
down_revision: str | None = "0058"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

BATCH = 5000
MAX_CUSTOMER_REF = 100
"""The column's length, and the longest reference `/resolve` takes: a longer reading today's would refuse."""


def reading_today(summary: str, stored: str) -> list[str]:
    """Today's reading of a fix an older reader stored as `stored`, or none at all when the fix is left as it is: no
    older reader gives `stored`; today's gives the same, would ask, names no customer (the one held may have been
    typed in the form, or read right by an older reader where today's reads none, `the order 3 days late, order
    1234`), or gives one longer than a customer may be."""
    if not any(reader(summary) == stored for reader in OLDER_READERS):
        return []
    try:
        today = read_customer(summary)
    except Asked:
        return []
    if today is None or len(today) > MAX_CUSTOMER_REF or today == stored:
        return []
    return [today]


def upgrade() -> None:
    connection = op.get_bind()
    resolutions = sa.table(
        "resolutions",
        sa.column("id", sa.Integer),
        sa.column("summary", sa.Text),
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
            sa.select(resolutions.c.id, resolutions.c.summary, resolutions.c.customer_ref)
            .where(resolutions.c.id > last, resolutions.c.customer_ref.is_not(None))
            .order_by(resolutions.c.id)
            .limit(BATCH)
        ).all()
        if not rows:
            return
        changed = [
            {"row_id": row.id, "reference": reference, "key": customer_key(reference)}
            for row in rows
            for reference in reading_today(row.summary, row.customer_ref)
        ]
        if changed:
            connection.execute(update, changed)
        last = rows[-1].id


def downgrade() -> None:
    """The fixes keep today's reading of their customer: the misreading each replaced is not stored anywhere, and going
    down needs none of them back (the schema is unchanged)."""
