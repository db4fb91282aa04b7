"""Numbered series of messages (the updates of one message, a request's hand-overs): counting what was queued under a
prefix, and taking turns so that two changes at once never number a message alike. Callers commit."""

import zlib

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Delivery
from services.outbox_keys import UNDER_PREFIX, prefix_bounds
from services.rows import take_turns

_COUNT_UNDER_PREFIX = select(func.count()).select_from(Delivery).where(*UNDER_PREFIX)


MESSAGE_LOCKS = -3
"""The lock space of messages queued in series in `rows.take_turns` (people use -1, policy changes -2)."""


def take_turns_under(session: Session, *, workspace_id: int, key_prefixes: list[str], wait: bool = True) -> bool:
    """Until the caller commits, another transaction queuing under any of these prefixes waits: what it then gives
    up and counts (`count_under`) includes this one's, so two changes at once never number a message alike.

    Keyed by a 32-bit hash of workspace and prefix: a rare collision only makes two series take turns. `wait`: as in
    `rows.take_turns` (False: says whether it got every turn, waiting for none)."""
    digests = [zlib.crc32(f"{workspace_id}:{prefix}".encode()) for prefix in key_prefixes]
    locks = [digest - 2**32 if digest >= 2**31 else digest for digest in digests]
    return take_turns(session, MESSAGE_LOCKS, locks, wait=wait)


def count_under(session: Session, *, key_prefix: str) -> int:
    """How many messages were ever queued under keys starting with `key_prefix`: numbering each new one keeps
    a repeated change (a request handed back, a status set again) from reusing the key of the first."""
    return int(session.scalar(_COUNT_UNDER_PREFIX, prefix_bounds(key_prefix)) or 0)


def highest_number_under(session: Session, *, key_prefix: str) -> int:
    """The highest number N among the keys `key_prefix` + "N" or "N:...", 0 if none: the latest of a numbered series
    whose numbers may skip (a number shared with another series that took it alone)."""
    keys = session.scalars(select(Delivery.idempotency_key).where(*UNDER_PREFIX), prefix_bounds(key_prefix))
    numbers = [key[len(key_prefix) :].split(":", 1)[0] for key in keys]
    return max((int(number) for number in numbers if number.isdigit()), default=0)
