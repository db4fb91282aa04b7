"""How long a hand-over summary (handlers/handover_summary.py) stays in the outbox. Callers commit.

A summary counts down as the requests and nominations it told of are decided or handed on, however long after it was
sent: they may wait on an admin for months. It stays while any of them still waits, and goes once all were settled
`KEPT` ago (or are gone), as their own messages do (services/outbox_retention.py).
"""

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, bindparam, delete, or_, select

from models import Delivery
from services.outbox_keys import HANDOVER_SUMMARY, SUMMARY_TOLD_NOTES, prefix_bounds
from services.outbox_retention import KEPT, SETTLED_ITEMS, SETTLED_PAGE, Page, SettledKind, old_keys_page

_KINDS: dict[str, SettledKind] = {
    kind: next(item for item in SETTLED_ITEMS if item.model.__tablename__ == table)
    for kind, table in (("resolution", "resolutions"), ("nomination", "nominations"))
}
"""How each kind a summary tells of is settled, by the kind's name in `SUMMARY_TOLD_NOTES`."""

# The rows read are the summaries older than `KEPT`.
_OLD_SUMMARIES = old_keys_page(Delivery.id, Delivery.idempotency_key, Delivery.status, Delivery.payload)
_FORGET = delete(Delivery).where(Delivery.id.in_(bindparam("ids", expanding=True)), Delivery.status != "pending")


def forget_old_summaries(connection: Connection, *, after: str, now: datetime, batch: int = SETTLED_PAGE) -> Page:
    """Of up to `batch` summaries older than `KEPT` (past the key `after`), delete those none of whose requests and
    nominations still waits or was settled less than `KEPT` ago."""
    before = now - KEPT
    bounds = {**prefix_bounds(HANDOVER_SUMMARY), "after": after or HANDOVER_SUMMARY, "before": before, "batch": batch}
    rows = connection.execute(_OLD_SUMMARIES, bounds).all()
    serving = _serving(connection, [told for row in rows for told in _told(row.payload)], before)
    done = [row.id for row in rows if row.status != "pending" and not serving.intersection(_told(row.payload))]
    gone = int(connection.execute(_FORGET, {"ids": done}).rowcount or 0) if done else 0
    return Page(gone, rows[-1].idempotency_key if len(rows) == batch else None)


def _told(payload: dict[str, Any] | None) -> set[tuple[str, int]]:
    """The requests and nominations a summary told of, as (kind, id)."""
    notes = payload or {}
    return {(kind, int(item)) for kind, note in SUMMARY_TOLD_NOTES.items() for item in notes.get(note, [])}


def _serving(connection: Connection, told: Sequence[tuple[str, int]], before: datetime) -> set[tuple[str, int]]:
    """Those of `told` that still wait, or were settled since `before`."""
    serving: set[tuple[str, int]] = set()
    for kind, settled in _KINDS.items():
        ids = sorted({item for of_kind, item in told if of_kind == kind})
        for chunk in _chunks(ids, SETTLED_PAGE):
            model = settled.model
            query = select(model.id).where(
                model.id.in_(chunk), or_(model.status == settled.waiting, settled.settled_at >= before)
            )
            serving.update((kind, item) for item in connection.scalars(query))
    return serving


def _chunks(ids: list[int], size: int) -> Iterable[list[int]]:
    return (ids[start : start + size] for start in range(0, len(ids), size))
