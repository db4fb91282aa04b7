"""Whose App Home an org import changes without handing anything over. Read only.

A manager's Home lists the requests waiting of her reports besides those she decides (services/resolutions/
decisions.py): a requester the import moves to another manager, whose request still waits on a decider who may keep
it (one above both), leaves the one Home and joins the other. Nominations are on their approver's Home alone.
"""

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models import Employee, Resolution, Workspace
from services.suggestions.teams import Managers

_WITH_A_REQUEST_WAITING = (
    select(Resolution.employee_id)
    .where(
        Resolution.workspace_id == bindparam("workspace_id"),
        Resolution.status == "pending",
        Resolution.employee_id.in_(bindparam("moved", expanding=True)),
    )
    .distinct()
)


def managers_left_and_joined(
    session: Session, *, workspace: Workspace, before: Managers, after: Managers
) -> list[Employee]:
    """The managers, before and after, of the people moved to another manager who have a request waiting."""
    moved = {
        person: (before[person], now) for person, now in after.items() if person in before and before[person] != now
    }
    if not moved:
        return []
    waiting = session.scalars(_WITH_A_REQUEST_WAITING, {"workspace_id": workspace.id, "moved": list(moved)})
    managers = {manager for person in waiting for manager in moved[person] if manager is not None}
    return list(session.scalars(select(Employee).where(Employee.id.in_(managers)))) if managers else []
