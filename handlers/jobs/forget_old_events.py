"""Forget the event ids kept to drop Slack's retried deliveries, once Slack has stopped retrying them."""

from slack_sdk import WebClient

from handlers.deps import Deps
from services import replays


def forget_old_events(deps: Deps, _client: WebClient, batch: int = replays.FORGET_BATCH) -> None:
    """One short transaction per batch: requests (which record their events too) go on in between."""
    while True:
        with deps.sessions.begin() as session:
            gone = replays.forget_old_events(session.connection(), now=deps.now(), batch=batch)
        if gone < batch:
            return
