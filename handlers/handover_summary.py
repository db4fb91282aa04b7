"""One DM for many requests handed to one person at once (a manager with a long queue leaves, or an org import moves
their team): past `SUMMARY_OVER`, the new decider gets a single DM saying how many and how long the oldest waited,
pointing to the App Home, which lists the oldest with their buttons, rather than one DM with buttons each. Their
keys are still written (services/unsent.py), never sent, so a later hand-over numbers its messages past them.
"""

from collections import Counter
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.blocks.kit import name_of, text_block
from handlers.blocks.resolutions_waiting import HOME_WAITING
from models import Employee, Resolution, Workspace
from services import outbox
from services.handover import Handover
from services.text import duration_words, plural

SUMMARY_OVER = 5
"""Up to this many requests handed to one person at once come one DM each, with the buttons; more, in one summary."""
KEY_PREFIX = "handover-summary:"
IN_SUMMARY = "told in a summary of the requests handed over at once"
PREVIOUS_NAMED = 3
WHERE_THEY_ARE = (
    "Latitude's Home tab lists what waits for your decision, the oldest first, each with its buttons: the oldest "
    f"{HOME_WAITING}, and the next ones as you decide those."
)


def summarized(handovers: list[Handover]) -> set[int]:
    """The ids of the people handed more than `SUMMARY_OVER` requests at once."""
    counts = Counter(handover.current.id for handover in handovers if handover.kind == "resolution")
    return {person_id for person_id, count in counts.items() if count > SUMMARY_OVER}


def queue_summaries(
    session: Session, *, workspace: Workspace, handovers: list[Handover], people: set[int], now: datetime
) -> None:
    """Each of `people`'s summary DM of the requests `handovers` gave them."""
    for person_id in sorted(people):
        theirs = [h for h in handovers if h.kind == "resolution" and h.current.id == person_id]
        recipient = theirs[0].current
        text, shown = _summary(session, theirs, now)
        # Dated: a count alone would come back down once old summaries are forgotten, and meet a kept one's key.
        prefix = f"{KEY_PREFIX}{recipient.slack_id}:{now.isoformat()}:"
        key = f"{prefix}{outbox.count_under(session, key_prefix=prefix) + 1}"
        payload = {"channel": recipient.slack_id, "text": text, "blocks": [text_block(shown)]}
        outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=now)


def _summary(session: Session, handovers: list[Handover], now: datetime) -> tuple[str, str]:
    """The notification text and the message: who no longer decides them, how many, the oldest's wait, the Home."""
    created = min(session.get_one(Resolution, handover.item_id).created_at for handover in handovers)
    count = plural(len(handovers), "request")
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
