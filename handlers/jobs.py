"""Scheduled ticks. Each job is query -> decide (services) -> send; bot/scheduler.py registers them."""

import logging
from datetime import timedelta

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import delete

from handlers.deps import Deps
from models import ProcessedEvent
from services import outbox
from services.outbox import Claimed, SendOutcome

log = logging.getLogger(__name__)

PERMANENT_ERRORS = frozenset(
    {"channel_not_found", "user_not_found", "not_in_channel", "is_archived", "invalid_blocks", "account_inactive"}
)
EVENT_MEMORY = timedelta(days=1)


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
            outcome = send(client, delivery)
            with deps.sessions.begin() as session:
                outbox.record_outcome(session, delivery_id=delivery.id, outcome=outcome, now=deps.now())
            sent += outcome.ok
        if len(claimed) < batch:
            return sent


def send(client: WebClient, delivery: Claimed) -> SendOutcome:
    try:
        response = client.api_call(delivery.method, json=delivery.payload)
    except SlackApiError as error:
        code = str(error.response.get("error", "unknown_error"))
        retry_after = error.response.headers.get("retry-after") or error.response.headers.get("Retry-After")
        log.warning("delivery %s: Slack %s failed: %s", delivery.idempotency_key, delivery.method, code)
        return SendOutcome(
            ok=False,
            error=code,
            retry_after=float(retry_after) if retry_after else None,
            permanent=code in PERMANENT_ERRORS,
        )
    data = response.data if isinstance(response.data, dict) else {}
    return SendOutcome(ok=True, result={key: data[key] for key in ("channel", "ts") if key in data})


def forget_old_events(deps: Deps) -> None:
    with deps.sessions.begin() as session:
        session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < deps.now() - EVENT_MEMORY))
