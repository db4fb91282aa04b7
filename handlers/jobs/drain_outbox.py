"""The background sender: sends whatever the outbox holds that is due, batch by batch."""

from slack_sdk import WebClient

from handlers.delivery import send
from handlers.deps import Deps
from services import outbox


def drain_outbox(deps: Deps, client: WebClient, *, batch: int = 50) -> int:
    """Send what is due, batch by batch, until nothing is; returns how many were sent.

    Unlike `delivery.send_now` (a listener's few messages), each outcome is recorded right after its
    send: a crash in a batch of 50 then resends at most the one in flight.
    """
    sent = 0
    while True:
        with deps.sessions.begin() as session:
            claimed = outbox.claim_due(session, now=deps.now(), limit=batch)
        for delivery in claimed:
            outcome = send(client, delivery, deps.relay)
            with deps.sessions.begin() as session:
                outbox.record_outcome(session, delivery_id=delivery.id, outcome=outcome, now=deps.now())
            sent += outcome.ok
        if len(claimed) < batch:
            return sent
