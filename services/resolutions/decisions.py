"""Deciding requests outside the boundaries: who may, and what a decision records. Callers commit."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, Resolution, Workspace
from services import audit, directory
from services.errors import AlreadyDone, InvalidInput, NotAllowed, NotFound
from services.text import escape_mrkdwn

MAX_REASON = 1000


def may_decide(resolution: Resolution, decider: Employee) -> bool:
    if decider.id == resolution.employee_id or decider.workspace_id != resolution.workspace_id or not decider.active:
        return False
    if decider.role == "admin":
        return True
    return decider.id in (resolution.decider_id, resolution.employee.manager_id)


def decidable(session: Session, *, resolution_id: int, decider: Employee) -> Resolution:
    """The pending request this person may decide now, or the reason they can't."""
    resolution = session.scalar(
        select(Resolution)
        .where(Resolution.id == resolution_id, Resolution.workspace_id == decider.workspace_id)
        .with_for_update(of=Resolution)
    )
    if resolution is None:
        raise NotFound("I can't find that request any more.")
    if resolution.status != "pending":
        raise AlreadyDone(already_decided(resolution))
    if decider.id == resolution.employee_id:
        raise NotAllowed("You can't decide your own request.")
    if not decider.active:
        raise NotAllowed(directory.NO_LONGER_ACTIVE)
    if not may_decide(resolution, decider):
        waits_on = f" It waits on {escape_mrkdwn(resolution.decider.name)}." if resolution.decider else ""
        raise NotAllowed(
            f"Only {escape_mrkdwn(resolution.employee.name)}'s manager or an admin can decide this "
            f"request.{waits_on} Nothing changed."
        )
    return resolution


def decide(
    session: Session, *, resolution_id: int, decider: Employee, approve: bool, reason: str | None, now: datetime
) -> Resolution:
    """Approve or decline a pending request; a second decision changes nothing and says who decided."""
    resolution = decidable(session, resolution_id=resolution_id, decider=decider)
    if not approve and not (reason or "").strip():
        raise InvalidInput("Say why you decline, so that the employee can learn from it.")
    resolution.status = "approved" if approve else "declined"
    resolution.decided_by, resolution.decided_at = decider, now
    resolution.decline_reason = None if approve else (reason or "").strip()[:MAX_REASON]
    audit.record(
        session,
        workspace=session.get_one(Workspace, decider.workspace_id),
        actor=decider.slack_id,
        action=f"resolution.{resolution.status}",
        subject=f"resolution {resolution.id}",
        now=now,
    )
    session.flush()
    return resolution


def already_decided(resolution: Resolution) -> str:
    who = resolution.decided_by.name if resolution.decided_by else "someone"
    when = f" on {resolution.decided_at:%Y-%m-%d %H:%M} UTC" if resolution.decided_at else ""
    return f"This request was already {resolution.status} by {escape_mrkdwn(who)}{when}. Nothing changed."


def waiting_for(session: Session, decider: Employee, limit: int = 20) -> list[Resolution]:
    """Pending requests this person may decide, oldest first."""
    if not decider.active:
        return []
    query = select(Resolution).where(Resolution.workspace_id == decider.workspace_id, Resolution.status == "pending")
    if decider.role != "admin":
        reports = select(Employee.id).where(Employee.manager_id == decider.id)
        query = query.where((Resolution.decider_id == decider.id) | Resolution.employee_id.in_(reports))
    query = query.where(Resolution.employee_id != decider.id)
    return list(session.scalars(query.order_by(Resolution.created_at, Resolution.id).limit(limit)))
