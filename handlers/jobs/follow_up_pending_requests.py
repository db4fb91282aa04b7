"""Requests waiting too long: remind their decider once, then hand them one level up."""

from slack_sdk import WebClient

from handlers.blocks import resolutions as blocks
from handlers.deps import Deps
from handlers.jobs.drain_outbox import drain_outbox
from models import Workspace
from services import outbox
from services.resolutions import escalations
from services.text import escape_mrkdwn

FOLLOW_UP_HEADINGS = {
    "reminder": "⏰ *Reminder:* {name} is still waiting for your decision:",
    "escalation": "⏫ {name}'s request has waited too long for their manager, so it comes to you:",
}


def follow_up_pending_requests(deps: Deps, client: WebClient) -> None:
    """Queue each follow-up with the mark that says it was made, then send."""
    with deps.sessions.begin() as session:
        now = deps.now()
        for follow_up in escalations.due_follow_ups(session, now=now):
            resolution = follow_up.resolution
            heading = FOLLOW_UP_HEADINGS[follow_up.kind].format(name=escape_mrkdwn(resolution.employee.name))
            for person in follow_up.recipients:
                outbox.enqueue(
                    session,
                    workspace=session.get_one(Workspace, resolution.workspace_id),
                    key=f"resolution:{resolution.id}:{follow_up.kind}:{person.slack_id}",
                    method="chat.postMessage",
                    payload={
                        "channel": person.slack_id,
                        "text": f"{escape_mrkdwn(resolution.employee.name)} is waiting",
                        "blocks": blocks.approval_request(resolution, [], heading=heading),
                    },
                    now=now,
                )
    drain_outbox(deps, client)
