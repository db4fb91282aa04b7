"""Relayed pulse messages in the outbox: each waits a random few minutes, its recipient sealed.

A reply that reached its reader the moment its manager sent it would light up one phone on the floor while the
manager watched; an answer that reached the manager the moment its author sent it would do the same the other way.
So every relayed message waits a random time in `RELAY_DELAY_MINUTES`, drawn with `secrets`, and goes from the
outbox. Its recipient is sealed (deps.relay, opened only by handlers/delivery.send), and every row
sits under the round's `relayed_key_prefix`: deleted, sent or not, when the relay ends. Log lines name nobody.
"""

import secrets
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy.orm import Session

from handlers.blocks import pulse_results as result_blocks
from handlers.deps import Deps
from models import Workspace
from services import outbox
from services.pulse import relay as pulse_relay
from services.pulse.relay import RELAY_DELAY_MINUTES, Relayed

POST = "chat.postMessage"
Kind = Literal["reply", "answer"]
READER = {"reply": "the comment's author", "answer": "the manager"}


def relay_delay() -> timedelta:
    """A random wait in the window, to the second, unpredictable to anyone watching."""
    low, high = RELAY_DELAY_MINUTES
    return timedelta(seconds=low * 60 + secrets.randbelow((high - low) * 60 + 1))


def queue_relayed(
    session: Session,
    deps: Deps,
    *,
    workspace: Workspace,
    relayed: Relayed,
    message: dict[str, Any],
    sender: str,
    kind: Kind,
    now: datetime,
) -> None:
    """Queue the message in the caller's transaction, due after `relay_delay`, its recipient sealed."""
    if deps.relay is None:
        raise RuntimeError("relaying a pulse message needs the relay's secret (RELAY_SECRET)")
    key = f"{pulse_relay.relayed_key_prefix(relayed.round_id)}{relayed.reply_id}:{secrets.token_hex(8)}"
    payload = {**message, "channel": deps.relay.seal(workspace.id, relayed.recipient)}
    outbox.enqueue(
        session, workspace=workspace, key=key, method=POST, payload=payload, now=now, send_at=now + relay_delay()
    )


def on_its_way(kind: Kind) -> str:
    """What the sender is told once their message is queued: when it arrives, and why not at once."""
    low, high = RELAY_DELAY_MINUTES
    return result_blocks.relay_on_its_way(kind, READER[kind], low, high)
