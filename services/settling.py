"""An item settled (a request decided or handed over, a grant fulfilled, a proposal applied): its messages not sent yet
never will be, and those sent are found, to be updated alike. Callers commit."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, bindparam, case, or_, select, update
from sqlalchemy.orm import Session

from models import Delivery
from services import settled_updates
from services.outbox_keys import ASKER_TOLD, NOT_ASKER_TOLD, UNDER_PREFIX, between, prefix_bounds

_ITEMS_OWN = or_(Delivery.idempotency_key == bindparam("key"), and_(*UNDER_PREFIX, *NOT_ASKER_TOLD))
"""The messages under `key` and keys starting with `key:` (a request and its reminders, escalations and hand-overs),
but its asker's (outbox_keys.ASKER_TOLD)."""
_SETTLE = (
    update(Delivery)
    .where(Delivery.status == "pending", _ITEMS_OWN)
    .values(status="failed", last_error=bindparam("reason"))
    .execution_options(synchronize_session=False)
    .returning(Delivery.id, Delivery.workspace_id, Delivery.method, Delivery.idempotency_key)
)
_SETTLE_ASKER_TOLD_TOO = (
    update(Delivery)
    .where(Delivery.status == "pending", or_(Delivery.idempotency_key == bindparam("key"), and_(*UNDER_PREFIX)))
    .values(status="failed", last_error=bindparam("reason"))
    .execution_options(synchronize_session=False)
    .returning(Delivery.id, Delivery.workspace_id, Delivery.method, Delivery.idempotency_key)
)
"""`_SETTLE` of a decision: its asker's DMs not sent yet are given up in the same statement (see `settle`)."""
_REPLACED = and_(*between(bindparam("replaced"), bindparam("past_replaced"), bindparam("replaced_pattern")))
_SETTLE_REPLACING = (
    update(Delivery)
    .where(
        Delivery.status == "pending", or_(Delivery.idempotency_key == bindparam("key"), and_(*UNDER_PREFIX), _REPLACED)
    )
    .values(status="failed", last_error=case((_REPLACED, bindparam("replaced_reason")), else_=bindparam("reason")))
    .execution_options(synchronize_session=False)
    .returning(Delivery.id, Delivery.workspace_id, Delivery.method, Delivery.idempotency_key)
)
"""`_SETTLE_ASKER_TOLD_TOO`, and the messages under the `replaced` prefix given up for a reason of their own."""
# Whether each was sent is checked here, not in SQL, where SQLite would rather use the status index (most deliveries
# are sent).
_MESSAGES = select(
    Delivery.idempotency_key, Delivery.status, Delivery.result, Delivery.last_error, Delivery.payload
).where(_ITEMS_OWN)


@dataclass(frozen=True)
class Settled:
    """What was asked under a key, once settled."""

    copies: list[tuple[str, str]]
    """(channel, ts) of each message sent, the first (under the key itself) first."""
    unsent: dict[str, list[dict[str, Any]]]
    """What the messages never sent were queued with, by the reason they were not (another message said it instead,
    or the item was settled before)."""


def settle(
    session: Session,
    *,
    key: str,
    reason: str,
    shown: dict[str, Any],
    now: datetime,
    decided: bool = False,
    replaced: tuple[str, str] | None = None,
) -> Settled:
    """What was asked under `key` (and keys starting with `key:`, but its asker's) is settled: those not sent yet never
    will be, and those sent are returned, to be updated alike (to show `shown`: text, blocks). One a sender holds may
    still go out: it is then updated too, once recorded sent (services/settled_updates.py).

    `decided`: a request or nomination was decided, so its asker's "it now goes to ..." DMs not sent yet never will
    be either (they would arrive after the decision and say it still waits); one already on its way goes out as it is.
    `replaced` (a decision's): (key prefix, reason) of other messages not sent yet given up in the same statement (the
    updates still queued of the request message clicked, which the decision replaces).
    """
    values = {"key": key, **prefix_bounds(f"{key}:"), "reason": reason}
    if decided and replaced is not None:
        bounds = prefix_bounds(replaced[0])
        more = {
            "replaced": bounds["prefix"],
            "past_replaced": bounds["past_prefix"],
            "replaced_pattern": bounds["pattern"],
        }
        given_up = session.execute(_SETTLE_REPLACING, {**values, **more, "replaced_reason": replaced[1]}).all()
    else:
        given_up = session.execute(_SETTLE_ASKER_TOLD_TOO if decided else _SETTLE, values).all()
    posts = [
        (delivery, workspace)
        for delivery, workspace, method, given_up_key in given_up
        if method == "chat.postMessage" and not _asker_told(given_up_key)
    ]
    settled_updates.hold(session, given_up=posts, shown=shown, now=now)
    return messages_of(session, key=key)


def messages_of(session: Session, *, key: str) -> Settled:
    """The messages under `key` and keys starting with `key:` (but its asker's), read at once."""
    read = session.execute(_MESSAGES, {"key": key, **prefix_bounds(f"{key}:")}).all()
    rows = sorted(read, key=lambda row: row.idempotency_key != key)  # the first first; the others in the order read
    sent = [row.result for row in rows if row.status == "sent" and row.result and "ts" in row.result]
    unsent: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        if row.status == "failed" and row.last_error:
            unsent.setdefault(row.last_error, []).append(row.payload)
    return Settled(list(dict.fromkeys((str(result["channel"]), str(result["ts"])) for result in sent)), unsent)


def _asker_told(key: str) -> bool:
    """Whether a message is its asker's, as `NOT_ASKER_TOLD` tells them apart in SQL."""
    return any(mark in key for mark in ASKER_TOLD)
