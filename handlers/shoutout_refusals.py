"""A shout-out Slack refuses to post: the HR people and admins of the workspace hear what to fix, once.

Slack refuses every post in a channel that does not exist or is private without the app in it
(`channel_not_found`), one the app must first be invited to (`not_in_channel`), or an archived one
(`is_archived`). Each later shout-out there is refused the same way: the notice's key names the channel
and the error, so each HR person is told once, not once per shout-out. The recipients' DMs go out anyway.
"""

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy.orm import Session

from handlers.blocks import rewards as blocks
from models import Workspace
from services import outbox
from services.outbox import Claimed, SendOutcome
from services.rewards import approvals

SHOUTOUT_KEY = "reward-shoutout:"
CHANNEL_REFUSALS = frozenset({"channel_not_found", "not_in_channel", "is_archived"})
NOTICE_KEY = "shoutout-refused:"
POST = "chat.postMessage"


class Refusal(NamedTuple):
    workspace_id: int
    channel: str
    error: str


def refusals(sends: list[tuple[Claimed, SendOutcome]]) -> list[Refusal]:
    """The shout-outs Slack refused because of their channel, once each per workspace, channel and error."""
    found = [
        Refusal(delivery.workspace_id, str(delivery.payload.get("channel", "")), outcome.error or "")
        for delivery, outcome in sends
        if delivery.idempotency_key.startswith(SHOUTOUT_KEY) and outcome.error in CHANNEL_REFUSALS
    ]
    return list(dict.fromkeys(found))


class Notice(NamedTuple):
    workspace: Workspace
    key: str
    payload: dict[str, Any]


def notices(session: Session, sends: list[tuple[Claimed, SendOutcome]]) -> list[Notice]:
    """A DM to each HR person and admin of the workspace for each refusal among `sends`, keyed by channel, error
    and person: a notice queued once is not queued again."""
    found = []
    for refusal in refusals(sends):
        workspace = session.get_one(Workspace, refusal.workspace_id)
        for person in approvals.hr_people(session, workspace.id):
            key = f"{NOTICE_KEY}{refusal.channel}:{refusal.error}:{person.slack_id}"
            found.append(
                Notice(workspace, key, blocks.refused_channel_notice(person.slack_id, refusal.channel, refusal.error))
            )
    return found


def queue_held(session: Session, sends: list[tuple[Claimed, SendOutcome]], *, now: datetime) -> list[Claimed]:
    """The new notices, for a listener to send right after its commit (`send_now`)."""
    held = [
        outbox.enqueue_held(
            session, workspace_id=notice.workspace.id, key=notice.key, method=POST, payload=notice.payload, now=now
        )
        for notice in notices(session, sends)
    ]
    return [claimed for claimed in held if claimed is not None]


def queue_due(session: Session, sends: list[tuple[Claimed, SendOutcome]], *, now: datetime) -> int:
    """The new notices, due now for the background sender; how many there are."""
    return sum(
        outbox.enqueue(
            session, workspace=notice.workspace, key=notice.key, method=POST, payload=notice.payload, now=now
        )
        for notice in notices(session, sends)
    )
