"""Delete the messages sent long enough ago that nothing reads or updates any more: the one-shots, every message of
an item settled long enough ago, the updates of copies left alone that long (services/outbox_retention.py), and the
hand-over summaries whose requests and nominations are all settled long enough ago (services/summary_retention.py)."""

from collections.abc import Callable
from datetime import datetime
from functools import partial

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from handlers.deps import Deps
from services import outbox_retention, summary_retention
from services.batches import delete_in_batches
from services.outbox_retention import Page, SettledKind


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
        _page_along(deps, partial(_settled_page, kind=kind, now=now, batch=per_page))
        for kind in outbox_retention.SETTLED_ITEMS
    )
    updates = _page_along(deps, partial(outbox_retention.forget_old_updates, now=now, batch=per_page))
    owed = _page_along(deps, partial(outbox_retention.forget_old_owed_updates, now=now, batch=per_page))
    summaries = _page_along(deps, partial(_summaries_page, now=now, batch=per_page))
    return one_shots + settled + updates + owed + summaries


def _settled_page(session: Session, after: str, *, kind: SettledKind, now: datetime, batch: int) -> Page:
    return outbox_retention.forget_settled_items(session.connection(), kind=kind, after=after, now=now, batch=batch)


def _summaries_page(session: Session, after: str, *, now: datetime, batch: int) -> Page:
    return summary_retention.forget_old_summaries(session.connection(), after=after, now=now, batch=batch)


def _page_along(deps: Deps, forget_a_page: Callable[..., Page]) -> int:
    """A page of old messages at a time, each page in a short transaction of its own, along the prefix once."""
    gone, after = 0, ""
    while True:
        with deps.sessions.begin() as session:
            page = forget_a_page(session, after=after)
        gone += page.gone
        if page.after is None:
            return gone
        after = page.after
