"""The update owed to a message settled while a sender held it. Callers commit.

Settling a request (`settling.settle`) gives up its messages not sent yet, but one a sender already holds may be on its
way to Slack and land after the decision, with buttons that only answer "already decided". For each message given up
so, an update showing what settled it is written in the same transaction, dormant; whoever records that message sent
wakes it (in the same transaction as that record), with the message's channel and ts, and sends it next. The
decision and the record take the message's row in turn, so whichever comes second sees the other: a message sent
before the decision is among the copies the decision updates; one sent after wakes its update. A message never sent
leaves its update dormant for good.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models import Delivery
from services.outbox_keys import UNDER_PREFIX, prefix_bounds
from services.rows import insert_new, upsert

KEY_PREFIX = "settled:"
WAITING = "waits for its message to be recorded sent"
"""The dormant update's `last_error`: given up until woken, so no sender claims it."""


def key_of(message_id: int) -> str:
    return f"{KEY_PREFIX}{message_id}"


def hold(session: Session, *, given_up: list[tuple[int, int]], shown: dict[str, Any], now: datetime) -> None:
    """Write, dormant, the update showing `shown` (text, blocks) for each message (id, workspace id) just given up."""
    for message_id, workspace_id in given_up:
        insert_new(session.connection(), Delivery, Delivery.id, _dormant(message_id, workspace_id, shown, now))


def _dormant(message_id: int, workspace_id: int, shown: dict[str, Any], now: datetime) -> dict[str, Any]:
    return {
        "workspace_id": workspace_id,
        "idempotency_key": key_of(message_id),
        "method": "chat.update",
        "payload": shown,
        "status": "failed",
        "last_error": WAITING,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }


_POSTS_ON_THEIR_WAY = (
    select(Delivery.id, Delivery.workspace_id)
    .where(*UNDER_PREFIX, Delivery.status == "pending", Delivery.method == "chat.postMessage")
    .with_for_update()
)


def follow(session: Session, *, key_prefix: str, shown: dict[str, Any], now: datetime) -> None:
    """The messages under keys starting with `key_prefix` not recorded sent yet (a sender may hold them) show `shown`
    (text, blocks) once they land, though they still go out: each gets a dormant update, or has its update made to
    show `shown` instead of an older change. Their rows are taken in turn with the sender's record of them."""
    statement = upsert(session.get_bind().dialect.name, Delivery, ("idempotency_key",), ("payload",))
    for message_id, workspace_id in session.execute(_POSTS_ON_THEIR_WAY, prefix_bounds(key_prefix)).all():
        session.execute(statement, _dormant(message_id, workspace_id, shown, now))


_DORMANT = (
    select(Delivery)
    .where(
        Delivery.idempotency_key.in_(bindparam("keys", expanding=True)),
        Delivery.status == "failed",
        Delivery.last_error == WAITING,
    )
    .with_for_update()
)


def wake(session: Session, *, sent: dict[int, dict[str, Any]], held_until: datetime) -> list[Delivery]:
    """The updates owed to messages just recorded sent (id -> Slack's channel and ts), made due and held by the caller
    until `held_until`, which sends them next; the background sender sends any it leaves once that has passed."""
    posted = {key_of(message_id): result for message_id, result in sent.items() if "ts" in result}
    if not posted:
        return []
    woken = list(session.scalars(_DORMANT, {"keys": list(posted)}))
    for update in woken:
        where = posted[update.idempotency_key]
        update.payload = {"channel": where["channel"], "ts": where["ts"], **update.payload}
        update.status, update.last_error, update.next_attempt_at = "pending", None, held_until
    return woken
