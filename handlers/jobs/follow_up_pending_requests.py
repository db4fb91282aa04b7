"""Requests waiting too long: remind their decider once, then hand them one level up. Reward nominations waiting
as long likewise (the nominator's allowance and the nominee's monthly most wait with them). First, whatever waits
on someone who left or no longer fits moves on, as after an org import."""

from datetime import datetime, timedelta

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers import handover_summary, home_again
from handlers.blocks import nominations as nomination_blocks
from handlers.blocks import resolutions as blocks
from handlers.blocks.kit import name_of, named, text_block
from handlers.deps import Deps
from handlers.handover import queue_handover_messages
from handlers.jobs.drain_outbox import TICK_SENDING_AT_MOST, drain_outbox
from handlers.reward_messages import request_key
from models import Employee, Workspace
from services import directory, follow_ups, outbox, outbox_series
from services.handover import hand_over_missed
from services.resolutions import escalations
from services.rewards import escalations as reward_escalations
from services.text import duration_words

REMINDER_SUFFIX = ":reminder"
FOLLOW_UP_HEADINGS = {
    "reminder": "⏰ *Reminder:* {name} is still waiting for your decision:",
    "escalation": "⏫ {name}'s request has waited too long for {waited_on}, so it comes to you:",
}


def follow_up_pending_requests(deps: Deps, client: WebClient) -> None:
    """Queue each follow-up with the mark that says it was made, then send them (and what else is due, for a while:
    drain_outbox.TICK_SENDING_AT_MOST)."""
    with deps.sessions.begin() as session:
        now = deps.now()
        hand_over_what_waits_on_leavers(session, deps, now)
        homes_of: dict[int, list[Employee | None]] = {}
        for follow_up in escalations.due_follow_ups(session, now=now):
            resolution = follow_up.resolution
            waited_on = named(follow_up.waited_on) if follow_up.waited_on else "a decision"
            heading = FOLLOW_UP_HEADINGS[follow_up.kind].format(name=named(resolution.employee), waited_on=waited_on)
            under = follow_up_key(session, follow_up)
            for person in follow_up.recipients:
                outbox.enqueue(
                    session,
                    workspace=session.get_one(Workspace, resolution.workspace_id),
                    key=_follow_up_dm_key(follow_up, under, person),
                    method="chat.postMessage",
                    payload={
                        "channel": person.slack_id,
                        "text": f"{name_of(resolution.employee)} is waiting: {blocks.fix_words(resolution)}",
                        "blocks": blocks.approval_request(resolution, [], heading=heading),
                    },
                    now=now,
                    send_at=follow_up.send_at.get(person.id),
                )
            if follow_up.kind == "escalation" and follow_up.recipients:
                tell_requester_who_decides(session, follow_up, now)
                # Gone up from whoever a hand-over summary told of it: that summary no longer counts it as theirs.
                key = f"resolution:{resolution.id}"
                handover_summary.queue_summary_updates(
                    session, workspace_id=resolution.workspace_id, item_key=key, now=now
                )
                # Their Homes lose it, and show it.
                homes_of.setdefault(resolution.workspace_id, []).extend([follow_up.waited_on, *follow_up.recipients])
        for workspace_id, people in homes_of.items():
            workspace = session.get_one(Workspace, workspace_id)
            home_again.queue_homes_of(session, workspace=workspace, people=people, now=now)
        follow_up_nominations(session, now)
    drain_outbox(deps, client, at_most=TICK_SENDING_AT_MOST)


def follow_up_key(session: Session, follow_up: escalations.FollowUp) -> str:
    """Where this follow-up's DMs are keyed, the recipient's id to follow. A request handed down again (an org import)
    may go up a second time, to someone who had it before: the later ones are numbered, or theirs would never go."""
    kind = escalations.follow_up_key_prefix(follow_up.resolution.id, follow_up.kind)
    before = outbox_series.count_under(session, key_prefix=kind) if follow_up.kind == "escalation" else 0
    return f"{kind}{before}:" if before else kind


def _follow_up_dm_key(follow_up: escalations.FollowUp, under: str, person: Employee) -> str:
    """An escalation's key says whom the request waited on too: it is never handed back down to them either."""
    if follow_up.kind == "escalation":
        return follow_ups.went_up_key(under, follow_up.waited_on, person)
    return f"{under}{person.slack_id}"


def tell_requester_who_decides(session: Session, follow_up: escalations.FollowUp, now: datetime) -> None:
    """The requester was told who would decide: when it goes up, they hear who does now and how long it waited.
    Numbered: a request handed down again (an org import) may go up a second time."""
    resolution = follow_up.resolution
    if not resolution.employee.active:
        return
    waited_on = f"for {named(follow_up.waited_on)} " if follow_up.waited_on else ""
    deciders = blocks.deciders_words(follow_up.recipients)
    told = (
        f"Your *{blocks.fix_words(resolution)}* has waited {duration_words(now - resolution.created_at)} {waited_on}"
        f"without a decision, so it now goes to {deciders} to decide. I'll tell you the outcome here."
    )
    prefix = f"resolution:{resolution.id}:escalation-told:"
    key = f"{prefix}{outbox_series.count_under(session, key_prefix=prefix) + 1}"
    payload = {"channel": resolution.employee.slack_id, "text": told, "blocks": [text_block(told)]}
    workspace = session.get_one(Workspace, resolution.workspace_id)
    outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=now)


def hand_over_what_waits_on_leavers(session: Session, deps: Deps, now: datetime) -> None:
    """The org import hands over what waits on the people it removes, but not a request, nomination or suggestion
    being written at that moment: its row is not committed yet, so the import cannot see it, and it commits
    waiting on someone who left. Rather than make those requests wait for an import (seconds for a large org), each
    tick moves what the import missed, with the same rules and messages."""
    for workspace in directory.installed_workspaces(session):
        handovers = hand_over_missed(session, workspace=workspace, now=now)
        queue_handover_messages(session, workspace=workspace, handovers=handovers, now=now)


def follow_up_nominations(session: Session, now: datetime) -> None:
    """Remind each approver once (its outbox key too), with the buttons: the reminder is settled with the other
    copies when the nomination is decided. Then what went up is handed over, with the hand-over's messages: the
    new approver's DM, the old copies updated to say where it went, the nominator told who decides now."""
    for due in reward_escalations.due_follow_ups(session, now=now):
        workspace = due.workspace
        for nomination in due.reminders:
            request = nomination_blocks.approval_request(nomination)
            heading = f"⏰ *Reminder:* {_how_long_it_waited(session, nomination.id, now - nomination.created_at)}"
            notification = f"Reminder: {request['text']}"
            payload = {**request, "text": notification, "blocks": [text_block(heading), *request["blocks"]]}
            key = f"{request_key(nomination.id)}{REMINDER_SUFFIX}"
            outbox.enqueue(session, workspace=workspace, key=key, method="chat.postMessage", payload=payload, now=now)
        queue_handover_messages(session, workspace=workspace, handovers=due.escalations, now=now)


def _how_long_it_waited(session: Session, nomination_id: int, waited: timedelta) -> str:
    """Handed over since it was made (its approver left or moved), it has not waited that long for this one."""
    if outbox_series.count_under(session, key_prefix=f"{request_key(nomination_id)}:handover:"):
        return f"this has waited for approval for {duration_words(waited)}, and came to you since."
    return f"this has waited for your approval for {duration_words(waited)}."
