"""A message still waiting in the outbox that a newer one on the same subject replaces before it goes (the news of a
change, held back a random while, overtaken by a later change): the one waiting is given up, and the newer takes its
moment. Callers commit."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Delivery
from services.outbox_keys import UNDER_PREFIX, prefix_bounds

SUPERSEDED = "superseded by newer news"
"""The `last_error` of a message given up so."""

_GIVE_UP_WAITING = (
    update(Delivery)
    .where(Delivery.status == "pending", *UNDER_PREFIX)
    .values(status="failed", last_error=SUPERSEDED)
    .execution_options(synchronize_session=False)
    .returning(Delivery.next_attempt_at)
)
_ROWS_UNDER_PREFIX = select(
    Delivery.idempotency_key, Delivery.status, Delivery.next_attempt_at, Delivery.created_at
).where(*UNDER_PREFIX)


def give_up_waiting(session: Session, *, key_prefix: str) -> datetime | None:
    """Never send the messages still waiting under `key_prefix`; returns when the first of them was due, None if none
    waited. One a sender holds at this moment may still go out: it is then recorded sent (`latest_told`)."""
    due = session.execute(_GIVE_UP_WAITING, prefix_bounds(key_prefix)).scalars().all()
    return min(due, default=None)


@dataclass(frozen=True)
class Told:
    """The news of a series that reached its reader last, or may have (`key`, None when none did), and whether it
    surely did (recorded sent)."""

    key: str | None
    surely: bool


def latest_told(session: Session, *, key_prefix: str) -> Told:
    """Of a numbered series (`key_prefix` + "N:..."), each queued as of the moment it is due (so that a sender taking
    it moves its next attempt off its creation, to its lease's end): the highest N recorded sent or ever taken by a
    sender, given up since or not. A sender may have had Slack deliver one given up while it held it (recorded sent
    once it is back), or crashed once Slack took it (never recorded): either may have told its reader."""
    rows = session.execute(_ROWS_UNDER_PREFIX, prefix_bounds(key_prefix)).all()
    told = [
        (int(number), key, status == "sent")
        for key, status, next_attempt_at, created_at in rows
        if (number := key[len(key_prefix) :].split(":", 1)[0]).isdigit()
        and (status == "sent" or next_attempt_at != created_at)
    ]
    if not told:
        return Told(None, surely=True)
    _number, key, sent = max(told)
    return Told(key, surely=sent)
