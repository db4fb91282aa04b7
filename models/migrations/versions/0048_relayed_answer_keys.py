"""relayed pulse answers kept under their reply's answer key

Revision ID: 0048
Revises: 0047
Create Date: 2026-12-06 08:00:00.000000

An author answers each of a manager's replies once: the answer waits, and stays once sent, under
`pulse-relay:<round>:<reply>:answer:` until replies end, and a second answer finds it there and is refused. An
answer queued by an earlier release waits under its reply's own key (`pulse-relay:<round>:<reply>:<random>`), where
nothing looks for it, so that reply could be answered once more until its replies end. Each such answer, told apart
by the note of what it relays (kind `answer`, written in the clear beside its sealed sender), and the notice that it
was not delivered (its key plus `:not-delivered`), moves under the answer key here. Nothing new is written: the note
already says it is an answer to that reply, and every one of these rows is deleted when the round's replies end.
Going down leaves the keys as they are (the earlier release sends a row whatever its key).
"""

import re
from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0048"
down_revision: str | None = "0047"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# The keys and note as they stand when this migration was written (services/pulse/relay_keys.py and
# handlers/pulse_relay_outbox.py own the live ones).
_OLD_KEY = re.compile(r"^(pulse-relay:\d+:\d+:)([0-9a-f]+)(:not-delivered)?$")
_NOTE = "latitude_relayed"


def upgrade() -> None:
    connection = op.get_bind()
    deliveries = sa.table(
        "deliveries",
        sa.column("id", sa.Integer),
        sa.column("idempotency_key", sa.String),
        sa.column("payload", sa.JSON),
    )
    rows = connection.execute(
        sa.select(deliveries.c.id, deliveries.c.idempotency_key, deliveries.c.payload)
        .where(deliveries.c.idempotency_key.like("pulse-relay:%"))
        .order_by(deliveries.c.id)
    ).all()
    answers = {row.idempotency_key for row in rows if _is_answer(row.payload)}
    moved = [
        {"row_id": row.id, "key": f"{found[1]}answer:{found[2]}{found[3] or ''}"}
        for row in rows
        if (found := _OLD_KEY.match(row.idempotency_key)) and f"{found[1]}{found[2]}" in answers
    ]
    if moved:
        update = (
            sa.update(deliveries)
            .where(deliveries.c.id == sa.bindparam("row_id"))
            .values(idempotency_key=sa.bindparam("key"))
        )
        connection.execute(update, moved)


def _is_answer(payload: Any) -> bool:
    note = payload.get(_NOTE) if isinstance(payload, dict) else None
    return isinstance(note, dict) and note.get("kind") == "answer"


def downgrade() -> None:
    pass
