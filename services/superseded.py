"""A message still waiting in the outbox that a newer one on the same subject replaces before it goes (the news of a
change, held back a random while, overtaken by a later change): the one waiting is given up, and the newer takes its
moment. Callers commit."""

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
_KEYS_UNDER_PREFIX = select(Delivery.idempotency_key, Delivery.status).where(*UNDER_PREFIX)


def give_up_waiting(session: Session, *, key_prefix: str) -> datetime | None:
    """Never send the messages still waiting under `key_prefix`; returns when the first of them was due, None if none
    waited. One a sender holds at this moment may still go out: it is then recorded sent."""
    due = session.execute(_GIVE_UP_WAITING, prefix_bounds(key_prefix)).scalars().all()
    return min(due, default=None)


def latest_sent(session: Session, *, key_prefix: str) -> str | None:
    """The key of the message sent last of a numbered series (`key_prefix` + "N:..."): the highest N recorded sent,
    None when none was."""
    keys = session.execute(_KEYS_UNDER_PREFIX, prefix_bounds(key_prefix)).all()
    numbered = [(key[len(key_prefix) :].split(":", 1)[0], key) for key, status in keys if status == "sent"]
    return max(((int(number), key) for number, key in numbered if number.isdigit()), default=(0, None))[1]
