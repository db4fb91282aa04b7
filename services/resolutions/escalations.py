"""Requests nobody decided: remind the decider once, then hand them one level up. Callers commit."""

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from models import Delivery, Employee, Resolution, Workspace
from services import directory
from services.directory import managers_above
from services.outbox_keys import UNDER_PREFIX, prefix_bounds
from services.policy.versions import current_policy


@dataclass(frozen=True)
class FollowUp:
    kind: str  # "reminder" or "escalation"
    resolution: Resolution
    recipients: list[Employee]
    waited_on: Employee | None = None
    """Who the request waited on before it went up (an escalation)."""


def follow_up_key_prefix(resolution_id: int, kind: str) -> str:
    """Where a request's reminder or escalation DMs are keyed (an escalation's numbered when it goes up again), each
    ending with its recipient's Slack id. Nothing forgets them while the request is kept (services/outbox_retention)."""
    return f"resolution:{resolution_id}:{kind}:"


def reached_by_going_up(session: Session, resolution: Resolution) -> list[Employee]:
    """Everyone the request went up to, read from its escalation DMs' keys: unlike `escalated_at`, which times the
    next step and starts again when someone else is handed it, they say for good that it went up, and how far."""
    keys = session.scalars(
        select(Delivery.idempotency_key).where(*UNDER_PREFIX),
        prefix_bounds(follow_up_key_prefix(resolution.id, "escalation")),
    )
    slack_ids = {key.rsplit(":", 1)[1] for key in keys}
    if not slack_ids:
        return []
    found = select(Employee).where(Employee.workspace_id == resolution.workspace_id, Employee.slack_id.in_(slack_ids))
    return list(session.scalars(found))


def due_follow_ups(session: Session, *, now: datetime, limit: int = 200) -> list[FollowUp]:
    """Mark and return what is due, in every workspace the app is installed in: a reminder N hours after the
    request, an escalation N more hours on and at least N hours after the reminder (which a scheduler that
    was down may have sent late).

    Only what is due is read, each workspace with its own N, so requests waiting for their next step never
    crowd out those that are due. Marking happens in the caller's transaction, and the messages carry
    idempotency keys, so a second scheduler or a rerun sends nothing twice.
    """
    follow_ups: list[FollowUp] = []
    for workspace in directory.installed_workspaces(session):
        wait = reminder_after(session, workspace.id)
        for resolution in session.scalars(_due(workspace.id, wait, now).limit(limit)):
            follow_up = _follow_up(session, resolution, wait, now)
            if follow_up is not None:
                follow_ups.append(follow_up)
    session.flush()
    return follow_ups


def _due(workspace_id: int, wait: timedelta, now: datetime) -> Select[Resolution]:
    to_remind = and_(Resolution.reminded_at.is_(None), Resolution.created_at <= now - wait)
    to_escalate = and_(Resolution.reminded_at <= now - wait, Resolution.created_at <= now - 2 * wait)
    return (
        select(Resolution)
        .where(
            Resolution.status == "pending",
            Resolution.escalated_at.is_(None),
            Resolution.workspace_id == workspace_id,
            or_(to_remind, to_escalate),
        )
        .order_by(Resolution.created_at)
        .with_for_update(skip_locked=True, of=Resolution)
    )


def reminder_after(session: Session, workspace_id: int) -> timedelta:
    active = current_policy(session, session.get_one(Workspace, workspace_id))
    return timedelta(hours=active.policy.escalation_reminder_hours if active else 24)


def _follow_up(session: Session, resolution: Resolution, wait: timedelta, now: datetime) -> FollowUp | None:
    decider = resolution.decider
    if resolution.reminded_at is None and now >= resolution.created_at + wait:
        resolution.reminded_at = now
        # One who left is reminded of nothing (Slack no longer lets them read it); their request waits for HR to name
        # someone who can take it over, and goes to them then (services/handover.py).
        return FollowUp("reminder", resolution, [decider] if decider and decider.active else [])
    escalate_at = max(resolution.created_at + 2 * wait, (resolution.reminded_at or now) + wait)
    if resolution.reminded_at is not None and now >= escalate_at:
        resolution.escalated_at = now
        above = _one_level_up(session, resolution, decider)
        if above:
            resolution.decider_id = above[0].id
        return FollowUp("escalation", resolution, above, waited_on=decider)
    return None


def _one_level_up(session: Session, resolution: Resolution, decider: Employee | None) -> list[Employee]:
    """The decider's nearest active manager (one who left is stepped over) while the request climbs the
    requester's own chain; else (an admin deciding for someone without a manager, or nobody active above) the other
    admins: an admin's manager is nobody above the requester."""
    chain = managers_above(resolution.employee)
    above = chain[chain.index(decider) + 1 :] if decider is not None and decider in chain else []
    manager = next((boss for boss in above if boss.active and boss.id != resolution.employee_id), None)
    if manager is not None:
        return [manager]
    workspace = session.get_one(Workspace, resolution.workspace_id)
    excluded = {resolution.employee_id, decider.id if decider else None}
    admins = [admin for admin in directory.active_admins(session, workspace) if admin.id not in excluded]
    return directory.not_answering_to(admins, resolution.employee)
