"""The outbox: messages are written once under an idempotency key, then sent and retried. Callers commit."""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, case, delete, func, or_, select, update
from sqlalchemy.orm import Session

from models import Delivery, Workspace
from services import settled_updates, unordered_ids
from services.outbox_keys import HOME_AGAIN, NOT_ASKER_TOLD, UNDER_PREFIX, forgotten, prefix_bounds
from services.rows import insert_new_rows

MAX_ATTEMPTS = 8
BASE_BACKOFF = timedelta(seconds=30)
MAX_BACKOFF = timedelta(hours=1)
LEASE = timedelta(minutes=5)


@dataclass(frozen=True)
class SendOutcome:
    """How one send went. A rate limit carries Slack's Retry-After; it is a wait, not a failed attempt. An `error`
    beside `ok`: a sealed DM Slack refused because of its reader, recorded as done (handlers/delivery_refusals.py); the
    error is not kept."""

    ok: bool
    error: str | None = None
    retry_after: float | None = None
    permanent: bool = False
    result: dict[str, Any] | None = None


def enqueue(
    session: Session,
    *,
    workspace: Workspace,
    key: str,
    method: str,
    payload: dict[str, Any],
    now: datetime,
    send_at: datetime | None = None,
) -> bool:
    """Add a delivery for the scheduled drain unless one with this key exists; True when it was added."""
    return _insert(session, workspace.id, key, method, payload, now, due=send_at or now) is not None


def enqueue_held(
    session: Session, *, workspace_id: int, key: str, method: str, payload: dict[str, Any], now: datetime
) -> "Claimed | None":
    """Add a delivery that this process sends itself right after the commit; None when the key exists.

    It is held for one lease: if the process dies before sending, the scheduled drain sends it later.
    """
    held = enqueue_all_held(session, workspace_id=workspace_id, messages=[(key, method, payload)], now=now)
    return held[0] if held else None


def enqueue_all_held(
    session: Session, *, workspace_id: int, messages: list[tuple[str, str, dict[str, Any]]], now: datetime
) -> "list[Claimed]":
    """`enqueue_held` of each (key, method, payload) in one INSERT; a key queued before is skipped, and one given twice
    here is queued as first given."""
    due = now + LEASE
    rows: dict[str, dict[str, Any]] = {}
    for key, method, payload in messages:
        rows.setdefault(key, _row(workspace_id, key, method, payload, now, due))
    ids = _inserted(session, list(rows.values()))
    return [Claimed(ids[k], workspace_id, k, row["method"], row["payload"], due) for k, row in rows.items() if k in ids]


def _insert(
    session: Session, workspace_id: int, key: str, method: str, payload: dict[str, Any], now: datetime, *, due: datetime
) -> int | None:
    """The new delivery's id, or None when one with this key exists (a concurrent insert included)."""
    return _inserted(session, [_row(workspace_id, key, method, payload, now, due)]).get(key)


def _inserted(session: Session, rows: list[dict[str, Any]]) -> dict[str, int]:
    """The id of each new delivery by its key, a key there already missing: INSERT ... ON CONFLICT DO NOTHING RETURNING,
    one statement; one by one where a key is forgotten later (its id must leave no gap: outbox_keys.FORGOTTEN), the
    batch's other rows then given such ids too (should the process die before sending them, the drain sends them in no
    set order)."""
    if not any(forgotten(row["idempotency_key"]) for row in rows):
        return insert_new_rows(session.connection(), Delivery, Delivery.idempotency_key, Delivery.id, rows)
    found = {
        row["idempotency_key"]: unordered_ids.insert_new(session, Delivery, row, key=Delivery.idempotency_key)
        for row in rows
    }
    return {key: int(found_id) for key, found_id in found.items() if found_id is not None}


def _row(
    workspace_id: int, key: str, method: str, payload: dict[str, Any], now: datetime, due: datetime
) -> dict[str, Any]:
    return {
        "workspace_id": workspace_id,
        "idempotency_key": key,
        "method": method,
        "payload": payload,
        "status": "pending",
        "attempts": 0,
        "next_attempt_at": due,
        "created_at": now,
    }


@dataclass(frozen=True)
class Claimed:
    """A delivery in one sender's hands until `lease_until`: its `next_attempt_at` while nobody else claimed it."""

    id: int
    workspace_id: int
    idempotency_key: str
    method: str
    payload: dict[str, Any]
    lease_until: datetime

    @classmethod
    def of(cls, delivery: Delivery) -> "Claimed":
        """The delivery in the sender's hands until its `next_attempt_at` (just set to the end of the lease)."""
        row = delivery
        return cls(row.id, row.workspace_id, row.idempotency_key, row.method, row.payload, row.next_attempt_at)


NOT_SERVED_NOW = or_(Workspace.uninstalled_at.is_not(None), Workspace.migrating_since.is_not(None))
"""Workspaces whose messages are not sent: uninstalled (they are dropped), or migrating into a Grid org (they wait)."""


HOMES_AGAIN_LAST = case((Delivery.idempotency_key.startswith(HOME_AGAIN), 1), else_=0)
"""Homes published again after a hand-over (up to one per person of a large import) go after the other messages due."""


def claim_due(session: Session, *, now: datetime, limit: int = 50, lease: timedelta = LEASE) -> list[Claimed]:
    """Take due deliveries for a while (the lease): a sender that dies mid-way frees them when it ends.

    Rows are locked only while claiming (other workers skip them on PostgreSQL), so the slow
    Slack calls happen outside any transaction. Every workspace with messages due takes its turn in
    each claim (the oldest of each, then the next of each...), each workspace's in the order queued, but for the
    Homes to publish again, which wait behind its other messages due: one workspace's fan-out, paced for that
    workspace, never holds up another workspace's messages, nor a large import's Homes a DM.
    """
    in_turn = (HOMES_AGAIN_LAST, Delivery.next_attempt_at, Delivery.id)
    turn = func.row_number().over(partition_by=Delivery.workspace_id, order_by=in_turn)
    due = (Delivery.status == "pending", Delivery.next_attempt_at <= now)
    ranked = (
        select(Delivery.id, turn.label("turn"))
        .where(*due)
        .where(Delivery.workspace_id.not_in(select(Workspace.id).where(NOT_SERVED_NOW)))
        .subquery()
    )
    # The rows are locked in turn order, skipping those another sender holds, until `limit` are taken; `due` is
    # checked again on each row as locked (one another sender claimed or sent meanwhile is no longer due).
    query = (
        select(Delivery)
        .join(ranked, ranked.c.id == Delivery.id)
        .where(*due)
        .order_by(ranked.c.turn, Delivery.next_attempt_at, Delivery.id)
        .limit(limit)
        .with_for_update(of=Delivery, skip_locked=True)
    )
    claimed = []
    for delivery in session.scalars(query):
        delivery.next_attempt_at = now + lease
        claimed.append(Claimed.of(delivery))
    return claimed


# Every message sent is recorded so: built once, since building a statement costs more than running it.
# A message already recorded sent (by a sender that took it over when this one's lease ended) keeps that
# record, which later updates of the message go by; one given up meanwhile went out all the same.
_MARK_SENT = (
    update(Delivery)
    .where(Delivery.id == bindparam("delivery"), Delivery.status != "sent")
    .values(status="sent", sent_at=bindparam("at"), result=bindparam("answer"), last_error=None)
    .values(attempts=Delivery.attempts + 1)
)


def record_outcomes(session: Session, *, outcomes: list[tuple[Claimed, SendOutcome]], now: datetime) -> list[Claimed]:
    """Record a batch of sends in one go: sent (one UPDATE each), retried later, or given up. Returns the updates
    owed to messages sent after they were settled (services/settled_updates.py), held for the caller to send next.

    A failure counts only while the delivery is still pending and in this sender's lease: once the lease
    ended, another sender may have taken it (and sent it), and a late failure must not undo that.
    """
    sent = [
        {"delivery": delivery.id, "at": now, "answer": outcome.result} for delivery, outcome in outcomes if outcome.ok
    ]
    owed: list[Delivery] = []
    if sent:
        session.connection().execute(_MARK_SENT, sent)
        answers = {delivery.id: outcome.result or {} for delivery, outcome in outcomes if outcome.ok}
        owed = settled_updates.wake(session, sent=answers, held_until=now + LEASE)
    failed = {delivery.id: (delivery, outcome) for delivery, outcome in outcomes if not outcome.ok}
    if failed:
        # Rows forgotten while being sent (a pulse round closed meanwhile) are simply not found.
        for row in session.scalars(_STILL_PENDING.where(Delivery.id.in_(failed)).with_for_update()):
            delivery, outcome = failed[row.id]
            if row.next_attempt_at == delivery.lease_until:
                _apply(row, outcome, now)
    return [Claimed.of(delivery) for delivery in owed]


_STILL_PENDING = select(Delivery).where(Delivery.status == "pending")


def _apply(delivery: Delivery, outcome: SendOutcome, now: datetime) -> None:
    """Record a failed send: wait out a rate limit (Retry-After, no attempt counted); back off; or give up."""
    if outcome.retry_after is not None:
        delivery.last_error = outcome.error
        delivery.next_attempt_at = now + timedelta(seconds=outcome.retry_after)
        return
    delivery.attempts += 1
    delivery.last_error = outcome.error
    if outcome.permanent or delivery.attempts >= MAX_ATTEMPTS:
        delivery.status = "failed"
        return
    delivery.next_attempt_at = now + min(BASE_BACKOFF * 2 ** (delivery.attempts - 1), MAX_BACKOFF)


def sent_message(session: Session, *, key: str) -> tuple[str, str] | None:
    """(channel, ts) of the message sent under exactly this key, if it was sent."""
    delivery = session.scalar(select(Delivery).where(Delivery.idempotency_key == key, Delivery.status == "sent"))
    result = delivery.result if delivery is not None else None
    return (str(result["channel"]), str(result["ts"])) if result and "ts" in result else None


# Whether each was sent is checked here, not in SQL, where SQLite would rather use the status index (most deliveries
# are sent).
_SENT_UNDER_PREFIX = select(Delivery).where(*UNDER_PREFIX)


def sent_messages(session: Session, *, key_prefix: str, asker_told: bool = True) -> list[tuple[str, str]]:
    """(channel, ts) of the messages sent under keys starting with `key_prefix`, e.g. to update them later; without
    those telling its asker where it went (outbox_keys.ASKER_TOLD) unless `asker_told`."""
    query = _SENT_UNDER_PREFIX if asker_told else _SENT_UNDER_PREFIX.where(*NOT_ASKER_TOLD)
    sent = [d for d in session.scalars(query, prefix_bounds(key_prefix)) if d.status == "sent"]
    return [(str(d.result["channel"]), str(d.result["ts"])) for d in sent if d.result and "ts" in d.result]


def not_given_up(session: Session, *, key_prefix: str) -> list[str]:
    """The keys under `key_prefix` of the messages still waiting to go or sent: all but those given up."""
    found = session.scalars(_SENT_UNDER_PREFIX, prefix_bounds(key_prefix))
    return [delivery.idempotency_key for delivery in found if delivery.status != "failed"]


def sent_payload(session: Session, *, key_prefix: str, channel: str, ts: str) -> dict[str, Any] | None:
    """What was sent as the message `channel`/`ts`, among the messages under keys starting with `key_prefix`."""
    for delivery in session.scalars(_SENT_UNDER_PREFIX, prefix_bounds(key_prefix)):
        result = delivery.result or {}
        if delivery.status == "sent" and result.get("channel") == channel and result.get("ts") == ts:
            return delivery.payload
    return None


_GIVE_UP = (
    update(Delivery)
    .where(Delivery.status == "pending")
    .values(status="failed", last_error=bindparam("reason"))
    .execution_options(synchronize_session=False)
)
_GIVE_UP_UNDER_PREFIX = _GIVE_UP.where(*UNDER_PREFIX)


_FORGET_UNDER_PREFIX = delete(Delivery).where(*UNDER_PREFIX).execution_options(synchronize_session=False)


def forget(session: Session, *, key_prefix: str) -> None:
    """Delete every message under keys starting with `key_prefix`, sent or not: when who was sent what must not
    outlive its purpose (a round's reminders say who had not answered). Keys in outbox_keys.FORGOTTEN: no id gap."""
    session.execute(_FORGET_UNDER_PREFIX, prefix_bounds(key_prefix))


def give_up_pending(session: Session, *, key_prefix: str, reason: str) -> int:
    """Never send the messages still waiting under keys starting with `key_prefix` (what they announce is over).

    One in the sender's hands at this moment may still go out; it is then recorded as sent.
    """
    result = session.execute(_GIVE_UP_UNDER_PREFIX, {**prefix_bounds(key_prefix), "reason": reason})
    return int(result.rowcount)  # type: ignore[attr-defined]


def given_up(session: Session, *, ids: list[int]) -> list[int]:
    """Which of these deliveries are given up (refused for good, or out of attempts), in id order."""
    return list(session.scalars(select(Delivery.id).where(Delivery.id.in_(ids), Delivery.status == "failed")))
