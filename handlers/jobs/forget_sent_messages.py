"""Delete the messages sent long enough ago that nothing reads or updates any more (services/outbox_retention.py)."""

from functools import partial

from slack_sdk import WebClient

from handlers.deps import Deps
from services import outbox_retention
from services.batches import delete_in_batches


def forget_sent_messages(deps: Deps, _client: WebClient, batch: int = outbox_retention.FORGET_BATCH) -> int:
    """Under each prefix in turn, a batch at a time; returns how many went."""
    forget = partial(outbox_retention.forget_old_one_shots, now=deps.now(), batch=batch)
    return sum(
        delete_in_batches(deps.sessions, partial(forget, prefix=prefix), batch)
        for prefix in outbox_retention.ONE_SHOT_PREFIXES
    )
