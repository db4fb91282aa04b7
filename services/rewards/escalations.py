"""Tangible rewards nobody approved: remind the approver once, then hand the nomination one level up, as a request
goes (services/follow_ups.py says when). Callers commit."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from models import Employee, Nomination, Workspace
from services import follow_ups
from services.deciders import approver_fits
from services.handover import Handover
from services.rewards.approvals import approver_above


@dataclass(frozen=True)
class NominationFollowUps:
    workspace: Workspace
    reminders: list[Nomination]
    """Those whose approver is to be reminded (not one who left, nor one who may no longer approve it: `_reminded`)."""
    escalations: list[Handover]
    """Those gone one level up, from the approver who let them wait to who approves them now."""


def due_follow_ups(session: Session, *, now: datetime, limit: int = 200) -> list[NominationFollowUps]:
    """Mark and return what is due, per workspace. A nomination with nobody above its approver (nobody else may
    approve it: they are the nominator, the nominee or report to them) is marked and stays with its approver. Each
    step waits while its DM's recipient (the approver reminded, the one it goes up to) is in their quiet hours."""

    def recipients(nomination: Nomination, kind: str) -> list[Employee]:
        """Whose quiet hours hold the step: the approver reminded, or the one it would go up to."""
        above = _reminded(nomination) if kind == "reminder" else approver_above(session, nomination)
        return [above] if above is not None else []

    by_workspace: dict[int, NominationFollowUps] = {}
    for nomination, kind in follow_ups.due(session, Nomination, now=now, limit=limit, recipients=recipients):
        workspace = session.get_one(Workspace, nomination.workspace_id)
        due = by_workspace.setdefault(workspace.id, NominationFollowUps(workspace, [], []))
        if kind == "reminder":
            if _reminded(nomination) is not None:
                due.reminders.append(nomination)
            continue
        previous, current = nomination.approver, approver_above(session, nomination)
        if current is not None:
            nomination.approver = current
            handover = Handover("nomination", nomination.id, nomination.nominee, previous, current, went_up=True)
            due.escalations.append(handover)
    session.flush()
    return list(by_workspace.values())


def _reminded(nomination: Nomination) -> Employee | None:
    """One who left is not reminded (Slack no longer lets them read it), nor one who may no longer approve it (demoted
    or moved, with nobody else to take it: services/deciders.py)."""
    approver = nomination.approver
    return approver if approver is not None and approver_fits(nomination, approver) else None
