"""Whether the person something waits on may still decide it. Read only.

A request (a reward nomination) waits on its decider while they fit: active, not the requester, and an admin (HR too,
for a reward) or above the requester in the org. One that no longer fits is handed over (services/handover.py); when
nobody else can take it, it stays with them, but they may no longer decide it (services/resolutions/decisions.py,
services/rewards/approvals.py) and the org import names it to HR (`stuck`).
"""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, Nomination, Resolution, Workspace
from services.directory import managers_above
from services.money import format_money
from services.rewards.grants import HR_ROLES


def still_fits(decider: Employee | None, requester: Employee, extra_roles: tuple[str, ...] = ()) -> bool:
    if decider is None or not decider.active or decider.id == requester.id:
        return False
    return decider.role in ("admin", *extra_roles) or decider in managers_above(requester)


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
        if r.decider is not None and not still_fits(r.decider, r.employee):
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
    """Whether the approver a nomination waits on may still approve it (never its nominator or nominee)."""
    others = approver.id not in (nomination.nominator_id, nomination.nominee_id)
    return others and still_fits(approver, nomination.nominee, HR_ROLES)


def _who(person: Employee) -> str:
    return f"{person.name} ({person.slack_id})"
