"""Events the app runs again itself when their listener failed after the ack (models/event_retry.py).

Each is kept as it arrives, with its event id recorded as handled, and forgotten once its listener is done: a
listener that fails on something that may pass, or a process that stops in the middle of one, leaves it to be tried
again after growing waits, through the same listener. Callers commit.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, delete, select, update
from sqlalchemy.orm import Session

from models import EventRetry, ProcessedEvent
from services.rows import insert_new

WAITS = (timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(minutes=60))
"""How long after each failure the event is tried again: after the last, it is given up."""
TRIES = len(WAITS)
LEASE = timedelta(minutes=15)
"""How long a run of the event is given before it is due again: one still running or queued is not run twice, and
one a stopping process cut short is run again after it. A run that fails on something that may pass sets the wait."""
CLAIM_BATCH = 50


@dataclass(frozen=True)
class Due:
    """An event to run again: its body as Slack sent it, and which try this is (1 to `TRIES`)."""

    event_id: str
    event_type: str
    body: dict[str, Any]
    attempt: int

    @property
    def last(self) -> bool:
        return self.attempt >= TRIES


@dataclass(frozen=True)
class GivenUp:
    event_id: str
    event_type: str


def keep(connection: Connection, *, event_id: str, event_type: str, body: dict[str, Any], now: datetime) -> None:
    """Keep an event as its listener starts; nothing when it is kept already."""
    row = {
        "event_id": event_id,
        "event_type": event_type,
        "body": body,
        "attempts": 0,
        "next_attempt_at": now + LEASE,
        "received_at": now,
    }
    insert_new(connection, EventRetry, EventRetry.event_id, row)


def keep_for_its_tries(
    connection: Connection, *, event_id: str, event_type: str, body: dict[str, Any], now: datetime
) -> bool:
    """Keep an event Slack delivered that could not reach its listener now, its id recorded as handled (Slack's
    retries are then dropped), due for its first try after the first of `WAITS`; False when its id was handled."""
    if (
        insert_new(connection, ProcessedEvent, ProcessedEvent.event_id, {"event_id": event_id, "received_at": now})
        is None
    ):
        return False
    keep(connection, event_id=event_id, event_type=event_type, body=body, now=now)
    waited = update(EventRetry).where(EventRetry.event_id == event_id).values(next_attempt_at=now + WAITS[0])
    connection.execute(waited)
    return True


def claim_due(session: Session, *, now: datetime, limit: int = CLAIM_BATCH) -> tuple[list[Due], list[GivenUp]]:
    """The events due to be tried again, each put off for `LEASE` (a process that stops in the middle of one leaves
    it to the try after); those tried as often as allowed already (the last try was cut short) are deleted."""
    query = (
        select(EventRetry)
        .where(EventRetry.next_attempt_at <= now)
        .order_by(EventRetry.next_attempt_at)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    due, given_up = [], []
    for row in session.scalars(query):
        if row.attempts >= TRIES:
            given_up.append(GivenUp(row.event_id, row.event_type))
            session.delete(row)
            continue
        row.attempts += 1
        row.next_attempt_at = now + LEASE
        due.append(Due(row.event_id, row.event_type, dict(row.body), row.attempts))
    return due, given_up


def forget(session: Session, *, event_id: str) -> bool:
    """Delete the event and the body kept with it; whether it was still kept."""
    result = session.execute(delete(EventRetry).where(EventRetry.event_id == event_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def wait_for_next_try(session: Session, *, event_id: str, now: datetime) -> None:
    """A run failed on something that may pass: the event is due after the wait for the tries it has had."""
    row = session.get(EventRetry, event_id, with_for_update=True)
    if row is not None:
        row.next_attempt_at = now + WAITS[min(row.attempts, TRIES - 1)]


def received_at(session: Session, *, event_id: str) -> datetime | None:
    """When Slack's delivery of a kept event was received; None once it is no longer kept."""
    return session.scalar(select(EventRetry.received_at).where(EventRetry.event_id == event_id))
