"""What waits on one person's decision (a request, a tangible reward's nomination) and nobody decided: when its
reminder is due, and when it goes one level up. Marking happens in the caller's transaction; callers commit."""

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import TypeVar

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from models import Delivery, Employee, Nomination, Resolution, Workspace
from services import directory
from services.outbox_keys import UNDER_PREFIX, prefix_bounds
from services.policy.versions import current_policy

Waiting = TypeVar("Waiting", Resolution, Nomination)


def reminder_after(session: Session, workspace_id: int) -> timedelta:
    active = current_policy(session, session.get_one(Workspace, workspace_id))
    return timedelta(hours=active.policy.escalation_reminder_hours if active else 24)


def due(session: Session, model: type[Waiting], *, now: datetime, limit: int) -> list[tuple[Waiting, str]]:
    """Mark and return what is due, in every workspace the app is installed in, with "reminder" (N hours after it
    was made) or "escalation" (N more hours on, and at least N hours after the reminder, which a scheduler that was
    down may have sent late).

    Only what is due is read, each workspace with its own N, so items waiting for their next step never crowd out
    those that are due. Rows are locked (SKIP LOCKED) and marked in the caller's transaction, and the messages
    carry idempotency keys, so a second scheduler or a rerun sends nothing twice."""
    marked = []
    for workspace in directory.installed_workspaces(session):
        wait = reminder_after(session, workspace.id)
        for item in session.scalars(_due(model, workspace.id, wait, now).limit(limit)).all():
            kind = _step(item, wait, now)
            if kind is not None:
                marked.append((item, kind))
    session.flush()
    return marked


def _due(model: type[Waiting], workspace_id: int, wait: timedelta, now: datetime) -> Select[Waiting]:
    to_remind = and_(model.reminded_at.is_(None), model.created_at <= now - wait)
    to_escalate = and_(model.reminded_at <= now - wait, model.created_at <= now - 2 * wait)
    return (
        select(model)
        .where(
            model.status == "pending",
            model.escalated_at.is_(None),
            model.workspace_id == workspace_id,
            or_(to_remind, to_escalate),
        )
        .order_by(model.created_at)
        .with_for_update(skip_locked=True, of=model.__table__)
    )


def _step(item: Waiting, wait: timedelta, now: datetime) -> str | None:
    if item.reminded_at is None and now >= item.created_at + wait:
        item.reminded_at = now
        return "reminder"
    escalate_at = max(item.created_at + 2 * wait, (item.reminded_at or now) + wait)
    if item.reminded_at is not None and now >= escalate_at:
        item.escalated_at = now
        return "escalation"
    return None


def restart(item: Waiting, now: datetime) -> None:
    """Handed to someone else: the new decider is asked now, by the hand-over's DM. It stands for the reminder the
    one before had, so they get the full wait before it goes up (and may go up again from them), never an escalation
    within the hour that names them as the one who let it wait. Before any reminder, theirs comes when it was due.
    That it went up is not forgotten with `escalated_at`: the DMs it went up by say so (`reached_by_going_up`)."""
    if item.reminded_at is not None:
        item.reminded_at, item.escalated_at = now, None


def reached_by_going_up(session: Session, item: Waiting, key_prefix: str) -> list[Employee]:
    """Everyone `item` went up to, read from the keys of the DMs it went up by (under `key_prefix`, each ending with
    its recipient's Slack id): unlike `escalated_at`, which times the next step and starts again when someone else is
    handed it, they say for good that it went up, and how far. Nothing forgets them while the item is kept."""
    keys = session.scalars(select(Delivery.idempotency_key).where(*UNDER_PREFIX), prefix_bounds(key_prefix))
    slack_ids = {key.rsplit(":", 1)[1] for key in keys}
    if not slack_ids:
        return []
    found = select(Employee).where(Employee.workspace_id == item.workspace_id, Employee.slack_id.in_(slack_ids))
    return list(session.scalars(found))


def still_above(chain: list[Employee], reached: list[Employee], beyond: Callable[[Employee], bool]) -> list[Employee]:
    """Of the requester's managers (`chain`, nearest first), those an item whose decider left may go to: from the
    highest of them it reached going up on, never back down to one who let it wait; none once it reached someone
    `beyond` them (an admin, HR), who stand above every manager: it goes to another of those."""
    if any(beyond(person) for person in reached):
        return []
    heights = [chain.index(person) for person in reached if person in chain]
    return chain[max(heights) :] if heights else chain
