"""Delete the messages sent long enough ago that nothing reads or updates any more: the one-shots, and every message of
a request or nomination settled long enough ago (services/outbox_retention.py)."""

from datetime import datetime
from functools import partial

from slack_sdk import WebClient

from handlers.deps import Deps
from models import Nomination, Resolution
from services import outbox_retention
from services.batches import delete_in_batches


def forget_sent_messages(deps: Deps, _client: WebClient, batch: int = outbox_retention.FORGET_BATCH) -> int:
    """Under each prefix in turn, a batch at a time; returns how many went."""
    now = deps.now()
    forget = partial(outbox_retention.forget_old_one_shots, now=now, batch=batch)
    one_shots = sum(
        delete_in_batches(deps.sessions, partial(forget, prefix=prefix), batch)
        for prefix in outbox_retention.ONE_SHOT_PREFIXES
    )
    per_page = min(batch, outbox_retention.SETTLED_PAGE)
    settled = sum(
        _forget_settled(deps, prefix, model, now, per_page) for prefix, model in outbox_retention.SETTLED_ITEMS
    )
    return one_shots + settled


def _forget_settled(
    deps: Deps, prefix: str, model: type[Resolution] | type[Nomination], now: datetime, batch: int
) -> int:
    """A page of old messages at a time, each page in a short transaction of its own, along the prefix once."""
    gone, after = 0, ""
    while True:
        with deps.sessions.begin() as session:
            page = outbox_retention.forget_settled_items(
                session.connection(), prefix=prefix, model=model, after=after, now=now, batch=batch
            )
        gone += page.gone
        if page.after is None:
            return gone
        after = page.after
