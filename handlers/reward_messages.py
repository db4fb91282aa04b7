"""Who hears about a reward: the shout-out channel, the recipients, the approver and HR; rendered as outbox messages."""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from handlers import handover_summary
from handlers.blocks import nominations as blocks
from handlers.blocks import rewards as reward_blocks
from handlers.channel_refusals import SHOUTOUT_KEY
from handlers.delivery import Outgoing
from handlers.deps import Deps
from models import Nomination, Resolution, RewardGrant, Workspace
from services import settling
from services.rewards import approvals as reward_approvals
from services.rewards import grants as rewards
from services.rewards.nominations import NominationOutcome

Shown = dict[str, Any]
"""What a settled message shows instead of its buttons: its text and blocks."""


def story_of(session: Session, nomination: Nomination) -> str | None:
    if nomination.resolution_id is None:
        return None
    return session.get_one(Resolution, nomination.resolution_id).summary


def shoutout_channel(session: Session, deps: Deps, workspace: Workspace) -> str | None:
    """The workspace's policy says where its shout-outs go (`[rewards] channel`); else RECOGNITION_CHANNEL, which
    bot/ passes on only with one workspace (a channel id belongs to one workspace)."""
    return rewards.reward_policy(session, workspace).channel or deps.recognition_channel


def granted_messages(session: Session, deps: Deps, granted: list[Nomination]) -> list[Outgoing]:
    """The shout-out in the channel (when public) and a DM to each recipient."""
    messages = []
    public = bool(granted) and granted[0].public
    channel = shoutout_channel(session, deps, session.get_one(Workspace, granted[0].workspace_id)) if public else None
    if channel:
        shoutout = blocks.shoutout(channel, granted, story_of(session, granted[0]))
        messages.append(Outgoing(f"{SHOUTOUT_KEY}{granted[0].id}", "chat.postMessage", shoutout))
    return messages + [
        Outgoing(f"reward-dm:{nomination.id}", "chat.postMessage", blocks.recipient_dm(nomination))
        for nomination in granted
    ]


def nomination_messages(session: Session, deps: Deps, outcome: NominationOutcome) -> list[Outgoing]:
    """What a nomination causes: shout-outs and DMs for what was granted, requests for what waits on an approver."""
    granted = [grant.nomination for grant in outcome.grants]
    return granted_messages(session, deps, granted) + [
        Outgoing(request_key(nomination.id), "chat.postMessage", blocks.approval_request(nomination))
        for nomination in outcome.waiting
    ]


def hr_messages(session: Session, grant: RewardGrant) -> list[Outgoing]:
    """A tangible grant goes to HR to fulfil, with buttons."""
    hr_people = [
        person for person in reward_approvals.hr_people(session, grant.workspace_id) if person.id != grant.recipient_id
    ]
    return [
        Outgoing(
            f"{hr_key(grant.id)}:{person.slack_id}",
            "chat.postMessage",
            {"channel": person.slack_id, **reward_blocks.hr_grant(grant)},
        )
        for person in hr_people
    ]


def request_key(nomination_id: int) -> str:
    """The approval request's key; one handed over to another approver is keyed under it (handlers/handover.py)."""
    return f"{reward_approvals.REQUEST_KEY}{nomination_id}"


def hr_key(grant_id: int) -> str:
    return f"reward-hr:{grant_id}"


def request_copies(session: Session, nomination_id: int, shown: Shown, now: datetime) -> list[tuple[str, str]]:
    """Every approval request of a nomination just decided that was sent, to show the decision (`shown`); one still
    waiting is never sent, and one on its way is updated so once it lands. A hand-over summary that told of it counts
    it as decided."""
    key = request_key(nomination_id)
    # The decision is all its nominator hears now: their "it now goes to ..." DMs not sent yet are given up too.
    settled = settling.settle(session, key=key, reason="nomination decided", shown=shown, now=now, decided=True)
    workspace_id = session.get_one(Nomination, nomination_id).workspace_id
    summaries = handover_summary.told_in(settled)
    handover_summary.queue_summary_updates(
        session, workspace_id=workspace_id, item_key=key, now=now, summaries=summaries
    )
    return settled.copies


def hr_copies(session: Session, grant_id: int, shown: Shown, now: datetime) -> list[tuple[str, str]]:
    """Every HR person's copy of a grant just fulfilled or revoked that was sent, to show that (`shown`); one still
    waiting is never sent, and one on its way is updated so once it lands."""
    return settling.settle(session, key=hr_key(grant_id), reason="grant settled", shown=shown, now=now).copies
