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
from handlers.delivery import OUR_OWN
from handlers.message_updates import queue_updates
from models import Employee, Resolution, Workspace
from services import handover_summaries, outbox, settled_updates
from services.handover import Handover
from services.handover_summaries import SummaryLeft
from services.text import duration_words, plural

SUMMARY_OVER = 5
"""Up to this many requests handed to one person at once come one DM each, with the buttons; more, in one summary."""
KEY_PREFIX = "handover-summary:"
IN_SUMMARY = "told in a summary of the requests handed over at once"
SUMMARY_NOTE = f"{OUR_OWN}summary"
"""On a request's unsent hand-over DM: the key of the summary that told of it instead."""
REQUESTS_NOTE = f"{OUR_OWN}requests"
"""On a summary: the ids of the requests it told of, to say how many still wait as they are decided."""
PREVIOUS_NAMED = 3
WHERE_THEY_ARE = (
    "Latitude's Home tab lists what waits for your decision, the oldest first, each with its buttons: the oldest "
    f"{HOME_WAITING}, and the next ones as you decide those."
)


def summarized(handovers: list[Handover]) -> set[int]:
    """The ids of the people handed more than `SUMMARY_OVER` requests at once."""
    counts = Counter(handover.current.id for handover in handovers if handover.kind == "resolution")
    return {person_id for person_id, count in counts.items() if count > SUMMARY_OVER}


def summary_keys(session: Session, *, handovers: list[Handover], people: set[int], now: datetime) -> dict[int, str]:
    """The key of each of `people`'s summary DM, known before it is queued: each request's unsent DM names it."""
    keys: dict[int, str] = {}
    for handover in handovers:
        person = handover.current
        if person.id in people and person.id not in keys:
            # Dated: a count alone would come back down once old summaries are forgotten, and meet a kept one's key.
            prefix = f"{KEY_PREFIX}{person.slack_id}:{now.isoformat()}:"
            keys[person.id] = f"{prefix}{outbox.count_under(session, key_prefix=prefix) + 1}"
    return keys


def queue_summaries(
    session: Session, *, workspace: Workspace, handovers: list[Handover], keys: dict[int, str], now: datetime
) -> None:
    """Each summary DM (`keys`, by recipient) of the requests `handovers` gave them."""
    for person_id, key in sorted(keys.items()):
        theirs = [h for h in handovers if h.kind == "resolution" and h.current.id == person_id]
        recipient = theirs[0].current
        text, shown = _summary(session, theirs, now)
        told = [handover.item_id for handover in theirs]
        payload = {"channel": recipient.slack_id, "text": text, "blocks": [text_block(shown)], REQUESTS_NOTE: told}
        outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=now)


def queue_summary_updates(session: Session, *, workspace_id: int, resolution_id: int, now: datetime) -> None:
    """A request a summary told of was decided or handed on: the summary says how many still wait on its reader, or
    that none does, rather than go on counting it (updated through the outbox; one not sent yet shows it on landing).
    Two decisions at once take turns, so the later one counts the first."""
    prefix = f"resolution:{resolution_id}:handover:"
    for key in handover_summaries.unsent_notes(session, key_prefix=prefix, reason=IN_SUMMARY, note=SUMMARY_NOTE):
        outbox.take_turns_under(session, workspace_id=workspace_id, key_prefixes=[key])
        summary = handover_summaries.payload_of(session, key=key) or {}
        if REQUESTS_NOTE not in summary:
            continue
        told, reader = [int(item) for item in summary[REQUESTS_NOTE]], str(summary["channel"])
        left = handover_summaries.summary_left(session, workspace_id=workspace_id, resolution_ids=told, reader=reader)
        shown = _left_shown(left)
        sent = outbox.sent_message(session, key=key)
        if sent is None:
            settled_updates.follow(session, key_prefix=key, shown=shown, now=now)
        else:
            queue_updates(session, workspace_id, [sent], {sent: 0.0}, shown, now=now)


def _left_shown(left: SummaryLeft) -> dict[str, object]:
    """The summary once some of its requests are settled: how many still wait, or that none does."""
    told = f"{left.told} requests handed to you at once"
    if left.waiting:
        text = f"{left.waiting} of the {told} still {'waits' if left.waiting == 1 else 'wait'} for your decision"
        return {"text": text, "blocks": [text_block(f"*{text}.* {WHERE_THEY_ARE}")]}
    if left.decided == left.told:
        text = f"All {told} are decided: none waits for you"
    elif left.decided == 0:
        text = f"None of the {told} waits for you now: they were handed on to someone else"
    else:
        others = "the others were" if left.told - left.decided > 1 else "the other was"
        text = f"None of the {told} waits for you now: {left.decided} decided, {others} handed on"
    return {"text": text, "blocks": [text_block(f":white_check_mark: *{text}.*")]}


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
