"""Replay protection: each signed request is acted on once while its signature is valid, each event id once
while Slack may retry it. Callers commit."""

from datetime import datetime, timedelta

from sqlalchemy import Connection, bindparam, delete, select

from models import ProcessedEvent, SeenRequest
from services.rows import insert_new

# slack_sdk's SignatureVerifier refuses a timestamp more than five minutes away from now; a minute
# more covers clock skew between the workers that share the table.
REMEMBER_SECONDS = 6 * 60
# Slack retries an event three times, the last about five minutes after the first try
# (https://api.slack.com/apis/events-api#retries): a day is plenty.
EVENT_MEMORY = timedelta(days=1)
FORGET_BATCH = 5_000

_OLD_EVENTS = select(ProcessedEvent.event_id).where(ProcessedEvent.received_at < bindparam("before"))
_FORGET_OLD_EVENTS = delete(ProcessedEvent).where(
    ProcessedEvent.event_id.in_(_OLD_EVENTS.limit(bindparam("batch")).scalar_subquery())
)


def first_sighting(connection: Connection, *, timestamp: int, signature: str) -> bool:
    """True the first time this (timestamp, signature) is seen, in any process sharing the database.

    Every request pays for this, so it is one Core statement on a plain connection, no ORM session.
    """
    row = {"timestamp": timestamp, "signature": signature}
    return insert_new(connection, SeenRequest, SeenRequest.timestamp, row) is not None


def forget_sighting(connection: Connection, *, timestamp: int, signature: str) -> None:
    """Forget one request seen, so that the same signed request is taken again (Slack's retry of a failed event)."""
    connection.execute(
        delete(SeenRequest).where(SeenRequest.timestamp == timestamp, SeenRequest.signature == signature)
    )


def forget_expired(connection: Connection, *, now_epoch: int) -> int:
    """Drop what a replay could no longer use (its timestamp is stale); returns how many rows went."""
    result = connection.execute(delete(SeenRequest).where(SeenRequest.timestamp < now_epoch - REMEMBER_SECONDS))
    return int(result.rowcount or 0)


def forget_old_events(connection: Connection, *, now: datetime, batch: int = FORGET_BATCH) -> int:
    """Drop up to `batch` event ids Slack no longer retries; returns how many went (fewer: none are left).

    A batch at a time, so that a backlog never holds SQLite's write lock for long.
    """
    result = connection.execute(_FORGET_OLD_EVENTS, {"before": now - EVENT_MEMORY, "batch": batch})
    return int(result.rowcount or 0)
