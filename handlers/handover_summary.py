"""One DM for many requests or reward nominations handed to one person at once (a manager with a long queue leaves,
or an org import moves their team): past `SUMMARY_OVER` of a kind, the new decider gets a single DM saying how many
and how long the oldest waited, pointing to the App Home, which lists the oldest with their buttons, rather than one
DM with buttons each. Their keys are still written (services/unsent.py), never sent, so a later hand-over numbers its
messages past them, and each names the summary, which keeps count as what it told of is decided or handed on. One
that went up for waiting too long is never summarized: its own DM says whom it waited on.
"""

from collections import Counter
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.blocks.kit import name_of, text_block
from handlers.blocks.summaries import SUMMARIZED_KINDS, SUMMARY_OVER, WHERE_THEY_ARE, counted
from handlers.message_updates import queue_updates
from models import Employee, Nomination, Resolution, Workspace
from services import follow_ups, handover_summaries, outbox, outbox_series, settled_updates
from services.handover import Handover
from services.handover_summaries import SummaryLeft
from services.outbox_keys import HANDOVER_SUMMARY, IN_SUMMARY, IN_SUMMARY_OF, SUMMARY_TOLD_NOTES
from services.settling import Settled
from services.text import duration_words, plural

KEY_PREFIX = HANDOVER_SUMMARY
SUMMARY_NOTE = IN_SUMMARY_OF
PREVIOUS_NAMED = 3


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


def summary_keys(session: Session, *, handovers: list[Handover], people: Summarized, now: datetime) -> dict[int, str]:
    """The key of each of `people`'s summary DM (by their id), known before it is queued: the unsent DM of each
    request or nomination it tells of names it."""
    keys: dict[int, str] = {}
    for handover in handovers:
        person = handover.current
        if in_summary(handover, people) and person.id not in keys:
            # Dated: a count alone would come back down once old summaries are forgotten, and meet a kept one's key.
            prefix = f"{KEY_PREFIX}{person.slack_id}:{now.isoformat()}:"
            keys[person.id] = f"{prefix}{outbox_series.count_under(session, key_prefix=prefix) + 1}"
    return keys


def queue_summaries(
    session: Session,
    *,
    workspace: Workspace,
    handovers: list[Handover],
    people: Summarized,
    keys: dict[int, str],
    now: datetime,
) -> None:
    """Each summary DM (`keys`, by recipient) of the requests and nominations `handovers` gave them: one DM for both."""
    for person_id, key in sorted(keys.items()):
        theirs = [h for h in handovers if h.current.id == person_id and in_summary(h, people)]
        recipient = theirs[0].current
        text, shown = _summary(session, theirs, now)
        told = {
            SUMMARY_TOLD_NOTES[kind]: [h.item_id for h in theirs if h.kind == kind] for kind in {h.kind for h in theirs}
        }
        payload = {"channel": recipient.slack_id, "text": text, "blocks": [text_block(shown)], **told}
        outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=now)


def _summarizable(handover: Handover) -> bool:
    return handover.kind in SUMMARIZED_KINDS and not handover.went_up


def told_in(settled: Settled) -> list[str]:
    """The keys of the summaries that told of a request or nomination, from its messages as it was settled."""
    return handover_summaries.notes_in(settled.unsent.get(IN_SUMMARY, []), note=SUMMARY_NOTE)


def queue_summary_updates(
    session: Session, *, workspace_id: int, item_key: str, now: datetime, summaries: list[str] | None = None
) -> None:
    """A request or nomination (its messages keyed under `item_key`) a summary told of was decided or handed on: the
    summary says how many still wait on its reader, or that none does, rather than go on counting it (updated
    through the outbox; one not sent yet shows it on landing). Two decisions at once take turns, so the later
    counts the first. `summaries`: the keys of those that told of it (`told_in`), when its messages were read."""
    if summaries is None:
        prefix = f"{item_key}:handover:"
        summaries = handover_summaries.unsent_notes(session, key_prefix=prefix, reason=IN_SUMMARY, note=SUMMARY_NOTE)
    if summaries:  # all at once, in one order: two decisions sharing two summaries must not wait on each other
        outbox_series.take_turns_under(session, workspace_id=workspace_id, key_prefixes=summaries)
    for key in summaries:
        summary = handover_summaries.payload_of(session, key=key) or {}
        told = {
            kind: [int(item) for item in summary[note]] for kind, note in SUMMARY_TOLD_NOTES.items() if note in summary
        }
        reader = str(summary.get("channel", ""))
        if not told or not handover_summaries.still_here(session, workspace_id=workspace_id, reader=reader):
            continue  # a reader who left: Slack no longer lets the app reach their DMs
        left = handover_summaries.summary_left(session, workspace_id=workspace_id, told=told, reader=reader)
        shown = _left_shown(left)
        sent = outbox.sent_message(session, key=key)
        if sent is None:
            settled_updates.follow(session, key_prefix=key, shown=shown, now=now)
        else:
            queue_updates(session, workspace_id, [sent], {sent: 0.0}, shown, now=now)


def _left_shown(left: SummaryLeft) -> dict[str, object]:
    """The summary once some of what it told of is settled: how many of each kind still wait, or that none does."""
    waiting = sum(left.waiting.values())
    if waiting:
        still = " and ".join(_still(left.waiting.get(kind, 0), left.told[kind], kind) for kind in _kinds(left))
        verb = "waits" if waiting == 1 else "wait"
        text = f"{still[0].upper()}{still[1:]} handed to you at once still {verb} for your decision"
        return {"text": text, "blocks": [text_block(f"*{text}.* {WHERE_THEY_ARE}")]}
    told, count = counted(left.told), sum(left.told.values())
    if left.decided == count:
        text = f"All {told} handed to you at once are decided: none waits for you"
    elif left.decided == 0:
        text = f"None of the {told} handed to you at once waits for you now: they were handed on to someone else"
    else:
        others = "the others were" if count - left.decided > 1 else "the other was"
        text = f"None of the {told} handed to you at once waits for you now: {left.decided} decided, {others} handed on"
    return {"text": text, "blocks": [text_block(f":white_check_mark: *{text}.*")]}


def _kinds(left: SummaryLeft) -> list[str]:
    """The kinds the summary told of, requests first."""
    return [kind for kind in SUMMARIZED_KINDS if left.told.get(kind)]


def _still(waiting: int, told: int, kind: str) -> str:
    """ "3 of the 6 requests", "all 6 reward nominations", "none of the 6 requests" (beside nominations that wait)."""
    them = plural(told, SUMMARIZED_KINDS[kind])
    if waiting == told:
        return f"all {them}"
    return f"{waiting or 'none'} of the {them}"


def _summary(session: Session, handovers: list[Handover], now: datetime) -> tuple[str, str]:
    """The notification text and the message: who no longer decides them, how many, the oldest's wait, the Home."""
    created = min(_created_at(session, handover) for handover in handovers)
    count = counted(Counter(handover.kind for handover in handovers))
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
