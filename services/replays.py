"""Replay protection: each signed request is acted on once while its signature is valid, each event id once
while Slack may retry it. Callers commit."""

from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, bindparam, delete, select, update

from models import ProcessedEvent, SeenRequest
from services.rows import insert_of

# slack_sdk's SignatureVerifier refuses a timestamp more than five minutes away from now; a minute
# more covers clock skew between the workers that share the table.
REMEMBER_SECONDS = 6 * 60
# Slack retries an event three times, the last about five minutes after the first try
# (https://api.slack.com/apis/events-api#retries): a day is plenty.
EVENT_MEMORY = timedelta(days=1)
MOST_PASSES = 4
"""Times a signed request is let through while the app fails it: Slack's first try of an event and its 3 retries,
should they all come within the same second. A copy sent again after that costs the app nothing more (no install
read, no token check with Slack) for the rest of the 5 minutes its signature is good for."""
FORGET_BATCH = 5_000

_OLD_EVENTS = select(ProcessedEvent.event_id).where(ProcessedEvent.received_at < bindparam("before"))
_FORGET_OLD_EVENTS = delete(ProcessedEvent).where(
    ProcessedEvent.event_id.in_(_OLD_EVENTS.limit(bindparam("batch")).scalar_subquery())
)


def let_through(connection: Connection, *, timestamp: int, signature: str) -> bool:
    """True the first time this (timestamp, signature) is seen, in any process sharing the database, and again while
    every time it was let through was failed (`note_failure`), up to `MOST_PASSES` times in all.

    Every request pays for this, so it is one Core statement on a plain connection, no ORM session.
    """
    row = {"timestamp": timestamp, "signature": signature}
    return connection.scalar(_let_through(connection.dialect.name), row) is not None


@cache
def _let_through(dialect: str) -> Any:
    return (
        insert_of(dialect, SeenRequest)
        .on_conflict_do_update(
            index_elements=[SeenRequest.timestamp, SeenRequest.signature],
            set_={"passes": SeenRequest.passes + 1},
            where=(SeenRequest.failures == SeenRequest.passes) & (SeenRequest.passes < MOST_PASSES),
        )
        .returning(SeenRequest.passes)
    )


def note_failure(connection: Connection, *, timestamp: int, signature: str) -> None:
    """The app failed the request it let through (a 5xx): the same signed request may be let through again, as Slack's
    retry of an event sent within the same second has the same signature (the event id still runs it once)."""
    connection.execute(
        update(SeenRequest)
        .where(
            SeenRequest.timestamp == timestamp,
            SeenRequest.signature == signature,
            SeenRequest.failures < SeenRequest.passes,
        )
        .values(failures=SeenRequest.failures + 1)
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
