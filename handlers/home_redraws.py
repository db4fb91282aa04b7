"""Homes published again through the outbox when what they list changed without their reader (a request or
nomination handed over away from them): queued in the caller's transaction, over the Home each was last shown."""

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy.orm import Session

from handlers.delivery import PUBLISH
from handlers.home import build_home
from handlers.sent_answers import HOME_HASH
from models import Employee, Workspace
from services import homes
from services.outbox import Claimed, SendOutcome


def queue_homes_redrawn(
    session: Session, *, workspace: Workspace, people: Iterable[Employee | None], now: datetime, gone: str | None = None
) -> None:
    """One Home each, however many of their items moved at once; none for who was never shown one (services/homes)."""
    for person in homes.to_redraw(people, gone=gone):
        view = build_home(session, person, now)
        homes.queue_redrawn(session, workspace=workspace, person=person, method=PUBLISH, view=view, now=now)


def remember_homes_published(session: Session, sends: list[tuple[Claimed, SendOutcome]]) -> None:
    """A Home the outbox published is what Slack shows its person now: the next one redrawn goes over it."""
    for delivery, outcome in sends:
        view_hash = (outcome.result or {}).get(HOME_HASH) if outcome.ok and delivery.method == PUBLISH else None
        if view_hash:
            user_id = str(delivery.payload["user_id"])
            homes.remember_home(session, workspace_id=delivery.workspace_id, slack_id=user_id, view_hash=view_hash)
