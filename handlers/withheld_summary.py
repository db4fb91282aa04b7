"""The requests withheld from someone whose org-file Slack id was marked as Slack's nobody, once Slack shows it knows
them (handlers/unknown_ids.py): up to `SUMMARY_OVER` waiting on them, the DM that asked them to decide each goes again
with its buttons (services/withheld_requests.py); more, one DM says how many wait and points to the Home, which lists
them with their buttons, as a hand-over summary does (handlers/handover_summary.py). Their own DMs stay given up. The
summary is keyed on the person and the time of the mark lifted: a second lift of it, or two processes lifting it at
once, queue it once.
"""

from collections.abc import Mapping
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.blocks.kit import text_block
from handlers.blocks.summaries import SUMMARY_OVER, WHERE_THEY_ARE, counted
from handlers.home_readers import DM_TOLD_IN_WITHHELD_SUMMARY, DM_WITHHELD_UNKNOWN
from models import Workspace
from services import outbox, withheld_requests
from services.withheld_requests import Waiting


def send_again(session: Session, workspace: Workspace, marks: Mapping[str, datetime], now: datetime) -> int:
    """Send again what asked these people (by Slack id, with when their id was marked) to decide what still waits on
    them, or one summary each of those with more than `SUMMARY_OVER`; how many DMs are due."""
    waiting = withheld_requests.waiting_on(session, workspace, marks.keys(), given_up_as=DM_WITHHELD_UNKNOWN)
    many = [one for one in waiting if sum(one.told.values()) > SUMMARY_OVER]
    few = [one for one in waiting if sum(one.told.values()) <= SUMMARY_OVER]
    summaries = sum(_queue_summary(session, workspace, one, marks[one.person.slack_id], now) for one in many)
    return summaries + withheld_requests.send_again(session, few, given_up_as=DM_WITHHELD_UNKNOWN, now=now)


def _queue_summary(session: Session, workspace: Workspace, waiting: Waiting, marked_at: datetime, now: datetime) -> int:
    """One DM saying how many wait; the DMs it tells of instead are marked told, so that no later lift sends them."""
    key = withheld_requests.summary_key(workspace, waiting.person, marked_at)
    text = f"{counted(dict(waiting.told))} sent while Latitude could not reach you wait for your decision"
    payload = {"channel": waiting.person.slack_id, "text": text, "blocks": [text_block(f"*{text}.* {WHERE_THEY_ARE}")]}
    queued = outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=now)
    if queued:  # else another lift of the mark told of what it found; anything withheld since waits for the next
        withheld_requests.told_in_summary(
            session, waiting, given_up_as=DM_WITHHELD_UNKNOWN, told_as=DM_TOLD_IN_WITHHELD_SUMMARY
        )
    return int(queued)
