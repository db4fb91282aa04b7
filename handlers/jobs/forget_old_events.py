"""Forget the event ids kept to drop Slack's retried deliveries, once Slack has stopped retrying them."""

from datetime import timedelta

from slack_sdk import WebClient
from sqlalchemy import delete

from handlers.deps import Deps
from models import ProcessedEvent

EVENT_MEMORY = timedelta(days=1)


def forget_old_events(deps: Deps, _client: WebClient) -> None:
    with deps.sessions.begin() as session:
        session.execute(delete(ProcessedEvent).where(ProcessedEvent.received_at < deps.now() - EVENT_MEMORY))
