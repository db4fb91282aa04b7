"""Requests nobody decided: remind the decider once, then hand them one level up. Callers commit."""

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy.orm import Session

from models import Employee, Resolution, Workspace
from services import directory, follow_ups
from services.deciders import decider_fits
from services.directory import managers_above
from services.resolutions.decisions import may_decide


@dataclass(frozen=True)
class FollowUp:
    kind: str  # "reminder" or "escalation"
    resolution: Resolution
    recipients: list[Employee]
    waited_on: Employee | None = None
    """Who the request waited on before it went up (an escalation)."""
    send_at: dict[int, datetime] = field(default_factory=dict)
    """When each recipient (by id) is sent it: in their night, their morning (follow_ups.mornings); else now."""


def follow_up_key_prefix(resolution_id: int, kind: str) -> str:
    """Where a request's reminder or escalation DMs are keyed (an escalation's numbered when it goes up again), each
    ending with its recipient's Slack id. Nothing forgets them while the request waits (services/outbox_retention)."""
    return f"resolution:{resolution_id}:{kind}:"


def went_up(session: Session, resolution: Resolution) -> follow_ups.WentUp:
    """How far the request went up, read from its escalation DMs (follow_ups.went_up); before their keys said whom it
    waited on, its reminders did."""
    escalated, reminded = (follow_up_key_prefix(resolution.id, kind) for kind in ("escalation", "reminder"))
    return follow_ups.went_up(session, resolution, escalated, unmarked_from=reminded)


def due_follow_ups(session: Session, *, now: datetime, limit: int = 200) -> list[FollowUp]:
    """Mark and return the reminders and escalations due (services/follow_ups.py says when), each held while the
    night of everyone its DM goes to lasts."""

    def recipients(resolution: Resolution, kind: str) -> list[Employee]:
        """Whose quiet hours hold the step: the decider reminded, or those it would go up to."""
        return _reminded(resolution) if kind == "reminder" else _one_level_up(session, resolution, resolution.decider)

    due = follow_ups.due(session, Resolution, now=now, limit=limit, recipients=recipients)
    return [_follow_up(session, resolution, kind, now) for resolution, kind in due]


def _reminded(resolution: Resolution) -> list[Employee]:
    """One who left is reminded of nothing (Slack no longer lets them read it), nor one who may no longer decide it
    (demoted or moved, services/deciders.py): their request waits for HR to name someone who can take it over, and
    goes to them then (services/handover.py)."""
    decider = resolution.decider
    return [decider] if decider and may_decide(resolution, decider) else []


def _follow_up(session: Session, resolution: Resolution, kind: str, now: datetime) -> FollowUp:
    decider = resolution.decider
    if kind == "reminder":
        return FollowUp("reminder", resolution, _reminded(resolution))
    above = _one_level_up(session, resolution, decider)
    send_at = follow_ups.mornings(session, resolution.workspace_id, above, now)
    if above:  # it waits on one who has it now (another, in their night, gets it in their morning)
        resolution.decider_id = min(above, key=lambda person: send_at[person.id]).id
    session.flush()
    return FollowUp("escalation", resolution, above, waited_on=decider, send_at=send_at)


def _one_level_up(session: Session, resolution: Resolution, decider: Employee | None) -> list[Employee]:
    """The decider's nearest active manager (one who left is stepped over) while the request climbs the
    requester's own chain; else (an admin deciding for someone without a manager, or nobody active above) the other
    admins but any who let it wait before: an admin's manager is nobody above the requester."""
    chain = managers_above(resolution.employee)
    above = chain[chain.index(decider) + 1 :] if decider is not None and decider in chain else []
    manager = next((boss for boss in above if boss.active and boss.id != resolution.employee_id), None)
    if manager is not None:
        return [manager]
    workspace = session.get_one(Workspace, resolution.workspace_id)
    excluded = {resolution.employee_id, decider.id if decider else None}
    admins = [admin for admin in directory.active_admins(session, workspace) if admin.id not in excluded]
    fitting = [a for a in directory.not_answering_to(admins, resolution.employee) if decider_fits(resolution, a)]
    return follow_ups.best_first(fitting, went_up(session, resolution))
