"""Delete the messages sent long enough ago that nothing reads or updates any more (services/outbox_retention.py)."""

from slack_sdk import WebClient

from handlers.deps import Deps
from services import outbox_retention


def forget_sent_messages(deps: Deps, _client: WebClient, batch: int = outbox_retention.FORGET_BATCH) -> int:
    """One short transaction per batch, so that a backlog (the first run after an upgrade) never holds SQLite's write
    lock for long; returns how many went."""
    gone = 0
    for prefix in outbox_retention.ONE_SHOT_PREFIXES:
        while True:
            with deps.sessions.begin() as session:
                deleted = outbox_retention.forget_old_one_shots(
                    session.connection(), prefix=prefix, now=deps.now(), batch=batch
                )
            gone += deleted
            if deleted < batch:
                break
    return gone
