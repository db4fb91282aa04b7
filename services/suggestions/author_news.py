"""The DMs telling an anonymous idea's author of its new status or its new owner, each waiting its random moment in the
outbox (handlers/suggestion_told.py): their keys, and those a workspace still holds when its install stops.

They outlive an install that stops short of an uninstall: its workspace taken over by the org's org-wide install (the
org sends them, as it serves its people now), or stopped until it is installed again (they go then). Dropped with the
rest, they would leave an anonymous author alone unaware of a change a named author heard of at the click. Callers
commit.
"""

import re

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from models import Delivery, Suggestion, Workspace
from services.outbox_keys import UNDER_PREFIX, prefix_bounds
from services.suggestions.relay import is_sealed

SUGGESTIONS = "suggestion:"
_NEWS = re.compile(r"suggestion:(?P<idea>-?\d+):(status|told-moved):\d+(:.*)?")
_WAITING = select(Delivery.id, Delivery.idempotency_key, Delivery.payload).where(
    Delivery.workspace_id == bindparam("workspace"), Delivery.status == "pending", *UNDER_PREFIX
)


def status_key_prefix(suggestion_id: int) -> str:
    """Of the DMs telling its author of a new status."""
    return f"{SUGGESTIONS}{suggestion_id}:status:"


def moves_key_prefix(suggestion_id: int) -> str:
    """Of the DMs telling its author who it goes to now (handlers/handover.py)."""
    return f"{SUGGESTIONS}{suggestion_id}:told-moved:"


def waiting_in(session: Session, workspace: Workspace) -> list[int]:
    """The ids of the anonymous authors' news (sealed: a named author's is sent at the click) still waiting in the
    workspace's outbox."""
    rows = session.execute(_WAITING, {"workspace": workspace.id, **prefix_bounds(SUGGESTIONS)})
    return [
        delivery_id
        for delivery_id, key, payload in rows
        if _NEWS.fullmatch(key) and is_sealed((payload or {}).get("channel"))
    ]


def send_from(session: Session, delivery_ids: list[int], workspace: Workspace) -> None:
    """Have `workspace` send these messages: the org that took their own workspace over, which serves its people."""
    if delivery_ids:
        session.execute(
            update(Delivery)
            .where(Delivery.id.in_(delivery_ids))
            .values(workspace_id=workspace.id)
            .execution_options(synchronize_session=False)
        )


def moved_away(session: Session, workspace: Workspace) -> list[int]:
    """The ids of the news of the workspace's ideas another workspace sends since a takeover (`send_from`): purged
    with the workspace's own rows, which no longer hold them, lest its ideas' words outlive it in the org's outbox."""
    ideas = set(session.scalars(select(Suggestion.id).where(Suggestion.workspace_id == workspace.id)))
    if not ideas:
        return []
    rows = session.execute(
        select(Delivery.id, Delivery.idempotency_key).where(Delivery.workspace_id != workspace.id, *UNDER_PREFIX),
        prefix_bounds(SUGGESTIONS),
    )
    return [delivery_id for delivery_id, key in rows if (news := _NEWS.fullmatch(key)) and int(news["idea"]) in ideas]
