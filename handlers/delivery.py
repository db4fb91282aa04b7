"""Messages to other people go through the outbox: written once under a key, then sent at once if Slack allows."""

from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from handlers.deps import Deps
from handlers.jobs import drain_outbox
from models import Workspace
from services import outbox


@dataclass(frozen=True)
class Outgoing:
    key: str
    method: str
    payload: dict[str, Any]


def deliver(deps: Deps, client: WebClient, workspace_id: int, messages: list[Outgoing]) -> None:
    """Queue the messages (a key already queued is skipped), then send what is due.

    Call it after the ack: a rate limit or an outage leaves the rest to the scheduled drain.
    """
    if not messages:
        return
    with deps.sessions.begin() as session:
        workspace = session.get_one(Workspace, workspace_id)
        for message in messages:
            outbox.enqueue(
                session,
                workspace=workspace,
                key=message.key,
                method=message.method,
                payload=message.payload,
                now=deps.now(),
            )
    drain_outbox(deps, client)
