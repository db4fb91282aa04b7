"""Finding outbox messages by the start of their idempotency key (a request and its reminders, a round's invitations).

Every key starting with a prefix sorts between the prefix and the prefix followed by the last code point, so the
key's unique index serves the range (a LIKE alone reads every delivery ever made); the LIKE keeps the answer exact
whatever the collation.
"""

from datetime import datetime

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models import Delivery

PAST_EVERY_CHARACTER = "\U0010ffff"
UNDER_PREFIX = (
    Delivery.idempotency_key >= bindparam("prefix"),
    Delivery.idempotency_key < bindparam("past_prefix"),
    Delivery.idempotency_key.like(bindparam("pattern"), escape="/"),
)


HOME = "home:"
"""A person's App Home that Slack rate-limited, published once it allows (handlers/home.py)."""


HOME_AGAIN = "home-again:"
"""A person's App Home published again after a hand-over took items from them or gave them some, rendered as it is
sent (handlers/home_again.py); apart from `HOME`, which a round's seal forgets."""


def home_key_prefix(slack_team_id: str, user_id: str = "") -> str:
    """Of the Homes queued in a workspace, or of one person's there."""
    return f"{HOME}{slack_team_id}:{user_id + ':' if user_id else ''}"


OUR_OWN = "latitude_"
"""A payload key starting so is Latitude's own note on the message (handlers/pulse_relay_outbox.py): never sent."""
HANDOVER_SUMMARY = "handover-summary:"
"""One DM telling a person of the many requests or nominations handed to them at once (handlers/handover_summary.py)."""
REQUEST_UNREACHED = "request-unreached:"
"""What HR and a requester hear of a decision request Slack would not deliver to its decider: one-shot, kept no longer
than any other (services/outbox_retention)."""
SUMMARY_TOLD_NOTES = {"resolution": f"{OUR_OWN}requests", "nomination": f"{OUR_OWN}nominations"}
"""On a hand-over summary: the ids of the requests, and of the nominations, it told of, to say how many still wait as
they are decided (handlers/handover_summary.py), and how many a summary Slack refused covered
(handlers/request_refusals.py)."""


def prefix_bounds(key_prefix: str) -> dict[str, str]:
    """The parameters of `UNDER_PREFIX` for keys starting with `key_prefix`."""
    pattern = key_prefix.replace("/", "//").replace("%", "/%").replace("_", "/_") + "%"
    return {"prefix": key_prefix, "past_prefix": key_prefix + PAST_EVERY_CHARACTER, "pattern": pattern}


ASKER_TOLD = (":told-moved:", ":escalation-told:")
"""Under a request's or nomination's key, its asker's DMs saying where it went: theirs, not copies of the request,
so a decision or a later hand-over updating the copies leaves them as they are (keys of every release so far)."""
NOT_ASKER_TOLD = tuple(Delivery.idempotency_key.not_like(f"%{mark}%") for mark in ASKER_TOLD)


def reachable_recipients(session: Session, *, key_prefix: str) -> list[str]:
    """Whom the messages under `key_prefix` went to (their channel), but for those Slack refused for good."""
    found = session.scalars(select(Delivery).where(*UNDER_PREFIX), prefix_bounds(key_prefix))
    return [str(d.payload.get("channel")) for d in found if d.status != "failed" and d.payload.get("channel")]


_DUE_UNDER_PREFIX = (
    select(Delivery.idempotency_key)
    .where(*UNDER_PREFIX, Delivery.status == "pending", Delivery.next_attempt_at <= bindparam("now"))
    .order_by(Delivery.idempotency_key)  # locked in one order: two callers at once wait, never deadlock
    .with_for_update()
)


def due_keys(session: Session, *, key_prefix: str, now: datetime) -> list[str]:
    """The keys under `key_prefix` of messages due and in no sender's hands (one held may be rendered already), locked
    until the caller commits: no sender takes them before what the caller writes can be read."""
    return list(session.scalars(_DUE_UNDER_PREFIX, {**prefix_bounds(key_prefix), "now": now}))
