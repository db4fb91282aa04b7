"""Forget the event ids kept to drop Slack's retried deliveries, once Slack has stopped retrying them."""

from functools import partial

from slack_sdk import WebClient

from handlers.deps import Deps
from services import replays
from services.batches import delete_in_batches


def forget_old_events(deps: Deps, _client: WebClient, batch: int = replays.FORGET_BATCH) -> None:
    """A batch at a time: requests (which record their events too) go on in between."""
    delete_in_batches(deps.sessions, partial(replays.forget_old_events, now=deps.now(), batch=batch), batch)
