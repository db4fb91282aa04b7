"""How long a message sent (or given up) stays in the outbox. Callers commit.

Every message Latitude sends stays a row of the outbox under its idempotency key, with what it said (a fix's
customer and summary, a reward's reason, a manager's whole digest). Many rows keep a purpose after the send: a
request's copies are updated when it is decided, a suggestion's posts when its status changes, and numbered series
(`count_under`) must not start again at a number still in use. The one-shot messages have none once a few weeks have
passed: each is queued once, under a key no later change queues again, and no later change reads or updates it. They
are deleted once `KEPT` old, so that a year of fixes and digests does not pile up in the database: a form's
confirmation, a nomination's receipt, a reward's DMs to its nominator and recipient, what HR and a requester heard of a
request that never reached its decider, a Home Slack rate-limited, and a manager's weekly digest with its chart (a
decision clicked in a digest older than that is made all the same; only that digest is no longer redrawn).

A request's or a tangible reward's nomination's messages serve while it waits (a decision updates every copy, a
hand-over finds them, its escalation keys say how far it went up) and shortly after (an update owed to a copy still on
its way). Once it has been settled (approved, declined, a reward revoked) for `KEPT`, nothing reads them again: a late
click on an old copy reads the request or nomination itself, and says it was already decided. They all go then, with
the updates of their copies (`update:`, `settled:`), together in one transaction and only when none of them is still
to be sent: a numbered series is never left part-way, and none restarts at a number still in use, for nothing numbers
messages of what is settled. What still waits keeps its messages however old.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, and_, bindparam, delete, or_, select

from models import Delivery, Nomination, Resolution
from services import settled_updates
from services.outbox_keys import HOME, REQUEST_UNREACHED, UNDER_PREFIX, prefix_bounds
from services.rewards.approvals import REQUEST_KEY

KEPT = timedelta(days=35)
"""Longer than a week's digest can be clicked in usefully (a request waits two reminders' time, then goes up), and
than a message can wait in the outbox while the app is uninstalled and installed again."""
FORGET_BATCH = 5_000
ONE_SHOT_PREFIXES = (
    "resolution-logged:",
    "reward-receipt:",
    "reward-dm:",
    "reward-approved:",
    "reward-declined:",
    "reward-fulfilled:",
    "reward-revoked:",
    "digest:",
    "digest-chart:",
    "handover-summary:",
    REQUEST_UNREACHED,
    HOME,
)
"""Keys of messages that nothing reads or updates once sent (see the module's docstring)."""

_OLD_ONE_SHOTS = select(Delivery.id).where(  # `!= pending`, not `IN (sent, failed)`: SQLite would read the status index
    *UNDER_PREFIX, Delivery.status != "pending", Delivery.created_at < bindparam("before")
)
_FORGET = delete(Delivery).where(Delivery.id.in_(_OLD_ONE_SHOTS.limit(bindparam("batch")).scalar_subquery()))


def forget_old_one_shots(connection: Connection, *, prefix: str, now: datetime, batch: int = FORGET_BATCH) -> int:
    """Delete up to `batch` messages under `prefix`, sent or given up more than `KEPT` ago; returns how many went
    (fewer: none are left). Each prefix is a range of the key's unique index: the rows read are the ones deleted and
    those younger than `KEPT`, however long the history."""
    result = connection.execute(_FORGET, {**prefix_bounds(prefix), "before": now - KEPT, "batch": batch})
    return int(result.rowcount or 0)


SETTLED_ITEMS: tuple[tuple[str, type[Resolution] | type[Nomination]], ...] = (
    ("resolution:", Resolution),
    (REQUEST_KEY, Nomination),
)
"""Where each kind of item keys its messages (`<prefix><id>`, and keys under `<prefix><id>:`), and its table."""
SETTLED_PAGE = 500
"""Old messages looked at in one transaction: each item settled among them takes a few statements to delete."""
UPDATE_KEY = "update:"
"""A copy's updates queued for later (handlers/message_updates.py), keyed by the copy's channel and ts."""


@dataclass(frozen=True)
class Page:
    """How many messages of settled items went, and the key to go on after (None: none are left to look at)."""

    gone: int
    after: str | None


# Past `after`, in the order of the key's unique index: the rows read are those deleted, those of items still waiting
# (or settled lately), and those younger than `KEPT`.
_OLD_KEYS = (
    select(Delivery.idempotency_key)
    .where(
        Delivery.idempotency_key > bindparam("after"),
        Delivery.idempotency_key < bindparam("past_prefix"),
        Delivery.idempotency_key.like(bindparam("pattern"), escape="/"),
        Delivery.created_at < bindparam("before"),
    )
    .order_by(Delivery.idempotency_key)
    .limit(bindparam("batch"))
)


def forget_settled_items(
    connection: Connection,
    *,
    prefix: str,
    model: type[Resolution] | type[Nomination],
    after: str,
    now: datetime,
    batch: int = SETTLED_PAGE,
) -> Page:
    """Of up to `batch` messages under `prefix` older than `KEPT` (past the key `after`), delete those of the items
    settled more than `KEPT` ago, with every other message of theirs."""
    before = now - KEPT
    bounds = {**prefix_bounds(prefix), "after": after or prefix, "before": before, "batch": batch}
    keys = list(connection.scalars(_OLD_KEYS, bounds))
    ids = {int(part) for key in keys if (part := key[len(prefix) :].split(":", 1)[0]).isascii() and part.isdigit()}
    settled = select(model.id).where(model.id.in_(ids), model.status != "pending", model.decided_at < before)
    gone = sum(_forget_item(connection, f"{prefix}{item_id}") for item_id in connection.scalars(settled))
    return Page(gone, keys[-1] if len(keys) == batch else None)


_ITEM_ROWS = select(Delivery.id, Delivery.status, Delivery.result).where(
    or_(Delivery.idempotency_key == bindparam("key"), and_(*UNDER_PREFIX))
)
_UPDATE_ROWS = select(Delivery.id, Delivery.status).where(*UNDER_PREFIX)
_SETTLED_ROWS = select(Delivery.id, Delivery.status).where(
    Delivery.idempotency_key.in_(bindparam("keys", expanding=True))
)
_FORGET_ROWS = delete(Delivery).where(Delivery.id.in_(bindparam("ids", expanding=True)), Delivery.status != "pending")


def _forget_item(connection: Connection, key: str) -> int:
    """Delete the messages under `key` and `key:`, their copies' updates and those owed to them once landed; none
    while one of them is still to be sent (a rate-limited update, say). Returns how many went."""
    own = connection.execute(_ITEM_ROWS, {"key": key, **prefix_bounds(f"{key}:")}).all()
    updates = [row for copy in _copies(own) for row in connection.execute(_UPDATE_ROWS, prefix_bounds(copy)).all()]
    owed = [settled_updates.key_of(row.id) for row in own]
    held = connection.execute(_SETTLED_ROWS, {"keys": owed}).all() if owed else []
    rows = [*own, *updates, *held]
    if not rows or any(row.status == "pending" for row in rows):
        return 0
    return int(connection.execute(_FORGET_ROWS, {"ids": [row.id for row in rows]}).rowcount or 0)


def _copies(rows: Sequence[Any]) -> list[str]:
    """The prefix of the updates queued for each message sent among `rows`."""
    landed = [row.result for row in rows if row.status == "sent" and row.result and "ts" in row.result]
    return list(dict.fromkeys(f"{UPDATE_KEY}{result['channel']}:{result['ts']}:" for result in landed))
