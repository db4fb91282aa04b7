"""One DM for many requests or reward nominations handed to one person at once (a manager with a long queue leaves,
or an org import moves their team): past `SUMMARY_OVER` of a kind, the new decider gets a single DM saying how many
and how long the oldest waited, pointing to the App Home, which lists the oldest with their buttons, rather than one
DM with buttons each. Their keys are still written (services/unsent.py), never sent, so a later hand-over numbers its
messages past them. One that went up for waiting too long is never summarized: its own DM says whom it waited on.
"""

from collections import Counter
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.blocks.kit import name_of, text_block
from handlers.blocks.resolutions_waiting import HOME_WAITING
from models import Employee, Nomination, Resolution, Workspace
from services import follow_ups, outbox
from services.handover import Handover
from services.text import duration_words, plural

SUMMARY_OVER = 5
"""Up to this many requests (or nominations) handed to one person at once come one DM each, with the buttons; more, in
one summary."""
SUMMARIZED_KINDS = {"resolution": "request", "nomination": "reward nomination"}
KEY_PREFIX = "handover-summary:"
IN_SUMMARY = "told in a summary of the requests or nominations handed over at once"
PREVIOUS_NAMED = 3
WHERE_THEY_ARE = (
    "Latitude's Home tab lists what waits for your decision, the oldest first, each with its buttons: the oldest "
    f"{HOME_WAITING}, and the next ones as you decide those."
)


Summarized = set[tuple[int, str]]
"""Who was handed more than `SUMMARY_OVER` of a kind at once: (their id, the kind)."""


def summarized(handovers: list[Handover]) -> Summarized:
    """The people handed more than `SUMMARY_OVER` requests, or nominations, at once, with the kind."""
    counts = Counter((handover.current.id, handover.kind) for handover in handovers if _summarizable(handover))
    return {person_and_kind for person_and_kind, count in counts.items() if count > SUMMARY_OVER}


def in_summary(handover: Handover, people: Summarized) -> bool:
    return _summarizable(handover) and (handover.current.id, handover.kind) in people


def count_as_reminded(session: Session, handover: Handover, now: datetime) -> None:
    """The summary stands for the reminder of each request or nomination it tells of (follow_ups.summarized)."""
    if handover.kind == "resolution":
        follow_ups.summarized(session.get_one(Resolution, handover.item_id), now)
    else:
        follow_ups.summarized(session.get_one(Nomination, handover.item_id), now)


def _created_at(session: Session, handover: Handover) -> datetime:
    if handover.kind == "resolution":
        return session.get_one(Resolution, handover.item_id).created_at
    return session.get_one(Nomination, handover.item_id).created_at


def queue_summaries(
    session: Session, *, workspace: Workspace, handovers: list[Handover], people: Summarized, now: datetime
) -> None:
    """Each of `people`'s summary DM of the requests and nominations `handovers` gave them: one DM for both."""
    for person_id in sorted({person_id for person_id, _kind in people}):
        theirs = [h for h in handovers if h.current.id == person_id and in_summary(h, people)]
        recipient = theirs[0].current
        text, shown = _summary(session, theirs, now)
        # Dated: a count alone would come back down once old summaries are forgotten, and meet a kept one's key.
        prefix = f"{KEY_PREFIX}{recipient.slack_id}:{now.isoformat()}:"
        key = f"{prefix}{outbox.count_under(session, key_prefix=prefix) + 1}"
        payload = {"channel": recipient.slack_id, "text": text, "blocks": [text_block(shown)]}
        outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=now)


def _summarizable(handover: Handover) -> bool:
    return handover.kind in SUMMARIZED_KINDS and not handover.went_up


def _summary(session: Session, handovers: list[Handover], now: datetime) -> tuple[str, str]:
    """The notification text and the message: who no longer decides them, how many, the oldest's wait, the Home."""
    created = min(_created_at(session, handover) for handover in handovers)
    kinds = Counter(handover.kind for handover in handovers)
    count = " and ".join(plural(kinds[kind], word) for kind, word in SUMMARIZED_KINDS.items() if kinds[kind])
    waited = duration_words(now - created)
    text = f"{count} now wait for your decision; the oldest has waited {waited}"
    previous = list({h.previous.id: h.previous for h in handovers if h.previous is not None}.values())
    return text, f"*{_who_went(previous)}: {text}.* {WHERE_THEY_ARE}"


def _who_went(previous: list[Employee]) -> str:
    """ "Maya Manager left", or "Maya Manager and Bo Boss no longer decide them" when one is still here."""
    if not previous:
        return "The person they waited on left"
    names = [name_of(person) for person in previous[:PREVIOUS_NAMED]]
    if len(previous) > PREVIOUS_NAMED:
        names.append(plural(len(previous) - PREVIOUS_NAMED, "other"))
    who = names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"
    if not any(person.active for person in previous):
        return f"{who} left"
    return f"{who} no longer {'decides' if len(previous) == 1 else 'decide'} them"
