"""Messages to other people go through the outbox: written under a key with the state change, then sent at once.

A listener queues its messages in its own transaction (so the message exists exactly when the state
change does) and sends them after the commit and the ack; a rate limit, an outage or a crash leaves
them to the scheduled drain, and the key makes sure nothing is sent twice.
"""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers.deps import Deps
from handlers.jobs import send
from services import outbox
from services.outbox import Claimed


@dataclass(frozen=True)
class Outgoing:
    key: str
    method: str
    payload: dict[str, Any]


def queue(session: Session, *, workspace_id: int, messages: list[Outgoing], now: datetime) -> list[Claimed]:
    """Write the messages in the caller's transaction (a key already queued is skipped)."""
    held = [
        outbox.enqueue_held(
            session, workspace_id=workspace_id, key=message.key, method=message.method, payload=message.payload, now=now
        )
        for message in messages
    ]
    return [claimed for claimed in held if claimed is not None]


def send_now(deps: Deps, client: WebClient, claimed: list[Claimed]) -> None:
    """Send queued messages after the commit, and record how each went in one transaction."""
    if not claimed:
        return
    outcomes = [(delivery.id, send(client, delivery)) for delivery in claimed]
    with deps.sessions.begin() as session:
        for delivery_id, outcome in outcomes:
            outbox.record_outcome(session, delivery_id=delivery_id, outcome=outcome, now=deps.now())


def deliver(deps: Deps, client: WebClient, workspace_id: int, messages: list[Outgoing]) -> None:
    """Queue in a transaction of its own, then send: for callers with no transaction at hand."""
    if not messages:
        return
    with deps.sessions.begin() as session:
        claimed = queue(session, workspace_id=workspace_id, messages=messages, now=deps.now())
    send_now(deps, client, claimed)
