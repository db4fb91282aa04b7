"""Relayed pulse messages in the outbox: each waits a random few minutes, its recipient sealed; one the outbox gives
up on is told to its sender, sealed too, with their text (a reply it gives up on is withdrawn: there is nothing to
answer). A reply Slack refuses for good because of its reader (handlers/delivery_refusals.REFUSED_BY_THE_READER) is
not given up: it is recorded as sent, and kept, as any reply delivered.

Slack refuses a DM for good because of its reader (they left, their DM with the app is closed): a manager told their
reply did not reach the comment's author would know the comment is by whoever left the team since, and so would a
reader of the database shown a failed row or a withdrawn reply. Unanswered, it is to them as any reply its author
chose not to answer.

A reply that reached its reader the moment its manager sent it would light up one phone on the floor while the
manager watched; an answer that reached the manager the moment its author sent it would do the same the other way.
So every relayed message waits a random time (services/random_wait.py, drawn with `secrets`) and goes from the
outbox. Its recipient and its sender are sealed (deps.relay, opened only by handlers/delivery.send), and every row
sits under the round's `relayed_key_prefix`: deleted, sent or not, when the relay ends. Log lines name nobody.
"""

import secrets
from datetime import datetime
from typing import Any, Literal

from sqlalchemy.orm import Session

from handlers.blocks import pulse_relay as relay_blocks
from handlers.deps import Deps
from models import Workspace
from services import outbox
from services.outbox import Claimed, SendOutcome
from services.outbox_keys import RELAYED
from services.pulse import relay as pulse_relay
from services.pulse.relay import RELAY_DELAY_MINUTES, Relayed
from services.pulse.relay_keys import NOT_DELIVERED, answer_key_prefix, relayed_key_prefix
from services.random_wait import relay_delay

POST = "chat.postMessage"
Kind = Literal["reply", "answer"]
READER = {"reply": "the comment's author", "answer": "the manager"}


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
    """Queue the message in the caller's transaction, due after `relay_delay`, its recipient and sender sealed."""
    if deps.relay is None:
        raise RuntimeError("relaying a pulse message needs the relay's secret (RELAY_SECRET)")
    under = f"{relayed_key_prefix(relayed.round_id)}{relayed.reply_id}:"
    if kind == "answer":  # kept there, as each reply's one answer (relay_keys.refuse_a_second_answer)
        under = answer_key_prefix(relayed.round_id, relayed.reply_id)
    key = f"{under}{secrets.token_hex(8)}"
    note = {"kind": kind, "sender": deps.relay.seal(workspace.id, sender), "text": relayed.text}
    note["reply"] = str(relayed.reply_id)
    payload = {**message, "channel": deps.relay.seal(workspace.id, relayed.recipient), RELAYED: note}
    outbox.enqueue(
        session, workspace=workspace, key=key, method=POST, payload=payload, now=now, send_at=now + relay_delay()
    )


def on_its_way(kind: Kind) -> str:
    """What the sender is told once their message is queued: when it arrives, and why not at once."""
    low, high = RELAY_DELAY_MINUTES
    return relay_blocks.relay_on_its_way(kind, READER[kind], low, high)


def queue_not_delivered(session: Session, sends: list[tuple[Claimed, SendOutcome]], *, now: datetime) -> int:
    """For each relayed message in `sends` that the outbox gave up on, a notice to its sender (sealed, due now,
    under the same key prefix) with their text, and a refused reply withdrawn; returns how many notices."""
    relayed = {delivery.id: delivery for delivery, outcome in sends if not outcome.ok and RELAYED in delivery.payload}
    if not relayed:
        return 0
    told = 0
    for delivery_id in outbox.given_up(session, ids=list(relayed)):
        delivery = relayed[delivery_id]
        note = delivery.payload[RELAYED]
        kind: Kind = "reply" if note["kind"] == "reply" else "answer"
        if kind == "reply":
            pulse_relay.withdraw_reply(session, reply_id=int(note["reply"]))
        notice = {**relay_blocks.relay_not_delivered(kind, READER[kind], str(note["text"])), "channel": note["sender"]}
        workspace = session.get_one(Workspace, delivery.workspace_id)
        key = f"{delivery.idempotency_key}{NOT_DELIVERED}"
        told += outbox.enqueue(session, workspace=workspace, key=key, method=POST, payload=notice, now=now)
    return told
