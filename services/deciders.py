"""Whether the person something waits on may still decide it. Read only.

A request (a reward nomination) waits on its decider while they fit: active, not the requester, and an admin (HR too,
for a reward) or above the requester in the org; an admin (or HR person) who reports to the requester only as routing
would choose them (`decider_fits`, `approver_fits`). One that no longer fits is handed over (services/handover.py); when
nobody else can take it, it stays with them, but they may no longer decide it (services/resolutions/decisions.py,
services/rewards/approvals.py) and the org import names it to HR (`stuck`).
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, object_session

from models import Employee, Nomination, Resolution, Workspace
from services import directory
from services.directory import managers_above
from services.money import format_money
from services.rewards.grants import HR_ROLES


def still_fits(decider: Employee | None, requester: Employee, extra_roles: tuple[str, ...] = ()) -> bool:
    if decider is None or not decider.active or decider.id == requester.id:
        return False
    return decider.role in ("admin", *extra_roles) or decider in managers_above(requester)


def decider_fits(resolution: Resolution, decider: Employee | None) -> bool:
    """`still_fits`, and not an admin who reports to the requester while someone who does not may decide it: the
    requester's active manager, or another admin who does not report to them (routing's "when anyone else can":
    fixes.deciders_for; a manager higher up decides only what went up to them)."""
    requester = resolution.employee
    if decider is None or not still_fits(decider, requester):
        return False
    if not directory.answers_to(decider, requester):
        return True
    session = object_session(resolution)
    return session is not None and not _someone_else_decides(session, requester, decider)


def _someone_else_decides(session: Session, requester: Employee, decider: Employee) -> bool:
    manager = requester.manager
    if manager is not None and manager.active and manager.id not in (requester.id, decider.id):
        return True
    admins = directory.active_admins(session, session.get_one(Workspace, requester.workspace_id))
    others = [admin for admin in admins if admin.id not in (requester.id, decider.id)]
    return any(not directory.answers_to(admin, requester) for admin in others)


@dataclass(frozen=True)
class Stuck:
    """What waits on someone who may no longer decide it, whom nobody else can take it from: in words for HR, and
    those it waits on (their Home, published again, no longer lists it)."""

    lines: list[str]
    people: list[Employee]


def stuck(session: Session, workspace: Workspace) -> Stuck:
    requests = session.scalars(
        select(Resolution)
        .where(Resolution.workspace_id == workspace.id, Resolution.status == "pending")
        .order_by(Resolution.id)
    )
    nominations = session.scalars(
        select(Nomination)
        .where(Nomination.workspace_id == workspace.id, Nomination.status == "pending")
        .order_by(Nomination.id)
    )
    lines, people = [], []
    for r in requests:
        if r.decider is not None and not decider_fits(r, r.decider):
            lines.append(
                f"request {r.id} of {_who(r.employee)} ({r.category}, {format_money(r.amount, r.currency)}) still "
                f"waits on {_who(r.decider)}, who may no longer decide it, and nobody else can: name a manager above "
                f"{r.employee.name} in `manager_slack_id`, or another admin"
            )
            people.append(r.decider)
    for n in nominations:
        if n.approver is not None and not approver_fits(n, n.approver):
            lines.append(
                f"nomination {n.id} of {_who(n.nominee)}, for {n.title}, still waits on {_who(n.approver)}, who may no "
                f"longer approve it, and nobody else can: name a manager above {n.nominee.name} in "
                "`manager_slack_id`, or an HR person or admin who does not report to them"
            )
            people.append(n.approver)
    return Stuck(lines, [person for person in dict.fromkeys(people) if person.active])


def approver_fits(nomination: Nomination, approver: Employee) -> bool:
    """Whether the approver a nomination waits on may still approve it: never its nominator or nominee, nor HR or an
    admin who reports to the nominee (routing passes them by: approvals._first_able)."""
    others = approver.id not in (nomination.nominator_id, nomination.nominee_id)
    fits = others and still_fits(approver, nomination.nominee, HR_ROLES)
    return fits and not reports_to_nominee(nomination, approver)


def reports_to_nominee(nomination: Nomination, approver: Employee) -> bool:
    """HR or an admin below the nominee, not above them: whom routing never chooses to approve their reward."""
    nominee = nomination.nominee
    return approver not in managers_above(nominee) and directory.answers_to(approver, nominee)


def _who(person: Employee) -> str:
    return f"{person.name} ({person.slack_id})"
