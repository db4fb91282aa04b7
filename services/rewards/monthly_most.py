"""A reward's monthly most (`max_per_month`) when someone is put forward for it: what they received this month and
what still waits for approval count. The caller holds the nominee's lock and commits."""

from datetime import datetime

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from models import Employee, Nomination, RewardGrant
from services import directory
from services.calendar import moment_words
from services.errors import NotAllowed
from services.policy.rewards import RewardItem
from services.rewards.grants import month_start, next_month_start
from services.text import escape_mrkdwn, plural, truncate

TITLE_SHOWN = 60
"""Of a reward's title (up to 200 characters) in a refusal: a form shows 300 characters of an error, and when the
reward frees up, at its end, must survive."""

_WAITING_OF_ITEM = select(func.count(Nomination.id)).where(
    Nomination.nominee_id == bindparam("nominee_id"),
    Nomination.item_key == bindparam("item_key"),
    Nomination.status == "pending",  # whenever made: approved now, it is granted this month
)


def check_item_limit(session: Session, item: RewardItem, nominator: Employee, nominee: Employee, now: datetime) -> None:
    if item.max_per_month is None:
        return
    waiting = int(session.scalar(_WAITING_OF_ITEM, {"nominee_id": nominee.id, "item_key": item.key}) or 0)
    received = waiting + granted_this_month(session, nominee.id, item.key, now)
    if received >= item.max_per_month:
        raise NotAllowed(
            f"{directory.name_of(nominee)} has already received or been put forward for "
            f"{escape_mrkdwn(truncate(item.title, TITLE_SHOWN))} "
            f"{times_this_month(received, item.max_per_month)}. "
            + _when_again(item.max_per_month, waiting, nominator, now)
        )


def _when_again(most: int, waiting: int, nominator: Employee, now: datetime) -> str:
    """The month is UTC's, so the next one starts on the nominator's clock (the evening before in New York); what
    still waits for approval counts whenever it is approved, so while it fills the most a new month frees nothing."""
    if waiting >= most:
        return (
            f"Until the ones still waiting for approval ({waiting}) are decided, a new month frees none. "
            "Try a shout-out, or another reward."
        )
    starts = moment_words(next_month_start(now), nominator.tz)
    return f"Try a shout-out or another reward, or this one again from {starts}."


_GRANTED_OF_ITEM = select(func.count(RewardGrant.id)).where(
    RewardGrant.recipient_id == bindparam("recipient_id"),
    RewardGrant.item_key == bindparam("item_key"),
    RewardGrant.status != "revoked",
    RewardGrant.granted_at >= bindparam("since"),
)


def granted_this_month(session: Session, recipient_id: int, item_key: str, now: datetime) -> int:
    """How many of an item a person was granted this month (and still has)."""
    values = {"recipient_id": recipient_id, "item_key": item_key, "since": month_start(now)}
    return int(session.scalar(_GRANTED_OF_ITEM, values) or 0)


def times_this_month(received: int, most: int) -> str:
    """How often someone had a reward this month against its monthly most, which HR may have lowered below it."""
    if received > most:
        return f"{plural(received, 'time')} this month, more than the {most} the catalog allows"
    return f"{plural(most, 'time')} this month, the most the catalog allows"
