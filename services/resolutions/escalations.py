"""Requests nobody decided: remind the decider once, then hand them one level up. Callers commit."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, Resolution, Workspace
from services import directory
from services.policy.versions import current_policy


@dataclass(frozen=True)
class FollowUp:
    kind: str  # "reminder" or "escalation"
    resolution: Resolution
    recipients: list[Employee]


def due_follow_ups(session: Session, *, now: datetime, limit: int = 200) -> list[FollowUp]:
    """Mark and return what is due: a reminder after N hours, an escalation after N more.

    Marking happens in the caller's transaction, and the messages carry idempotency keys, so a
    second scheduler or a rerun sends nothing twice.
    """
    follow_ups: list[FollowUp] = []
    pending = session.scalars(
        select(Resolution)
        .where(Resolution.status == "pending", Resolution.escalated_at.is_(None))
        .order_by(Resolution.created_at)
        .limit(limit)
        .with_for_update(skip_locked=True, of=Resolution)
    )
    hours_by_workspace: dict[int, timedelta] = {}
    for resolution in pending:
        wait = hours_by_workspace.get(resolution.workspace_id) or _reminder_after(session, resolution.workspace_id)
        hours_by_workspace[resolution.workspace_id] = wait
        follow_up = _follow_up(session, resolution, wait, now)
        if follow_up is not None:
            follow_ups.append(follow_up)
    session.flush()
    return follow_ups


def _reminder_after(session: Session, workspace_id: int) -> timedelta:
    active = current_policy(session, session.get_one(Workspace, workspace_id))
    return timedelta(hours=active.policy.escalation_reminder_hours if active else 24)


def _follow_up(session: Session, resolution: Resolution, wait: timedelta, now: datetime) -> FollowUp | None:
    decider = resolution.decider
    if resolution.reminded_at is None and now >= resolution.created_at + wait:
        resolution.reminded_at = now
        return FollowUp("reminder", resolution, [decider] if decider else [])
    if resolution.reminded_at is not None and now >= resolution.created_at + 2 * wait:
        resolution.escalated_at = now
        above = _one_level_up(session, resolution, decider)
        if above:
            resolution.decider_id = above[0].id
        return FollowUp("escalation", resolution, above)
    return None


def _one_level_up(session: Session, resolution: Resolution, decider: Employee | None) -> list[Employee]:
    manager = decider.manager if decider is not None else None
    if manager is not None and manager.active and manager.id != resolution.employee_id:
        return [manager]
    workspace = session.get_one(Workspace, resolution.workspace_id)
    excluded = {resolution.employee_id, decider.id if decider else None}
    return [admin for admin in directory.active_admins(session, workspace) if admin.id not in excluded]
