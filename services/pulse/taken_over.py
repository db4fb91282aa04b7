"""An answer or comment to a pulse round a workspace's own directory held when the org's org-wide install took the
workspace over: that round takes nothing more (it stays with the stopped directory, its results there), and the person
is pointed at the org's round, the one that counts now. A round or question of no such workspace is told of as the
caller says. Read-only."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, PulseQuestion, PulseReceipt, PulseRound, Workspace
from services import org_takeover
from services.errors import NotFound


def round_not_here(
    session: Session, *, workspace: Workspace, employee: Employee, round_id: int | None, now: datetime, otherwise: str
) -> NotFound:
    """What to tell someone answering round `round_id`, not one open in their workspace (`workspace`): of a workspace
    the org took over, that it takes nothing more; `otherwise` else (also when they named no round)."""
    left = None if round_id is None else org_takeover.left_behind(session, PulseRound, round_id, workspace.id)
    if left is None:
        return NotFound(otherwise)
    said = (
        f"Pulse round {left.number} was opened before your org's Latitude took this workspace over. It stays with the "
        "workspace's own Latitude, which has stopped, so it takes no more answers or comments, and nothing changed."
    )
    return NotFound(f"{said} {_the_orgs_round(session, workspace, employee, now)}")


def question_not_here(
    session: Session, *, workspace: Workspace, employee: Employee, question_id: int, now: datetime, otherwise: str
) -> NotFound:
    """`round_not_here` of the round that asked question `question_id`."""
    round_id = session.scalar(select(PulseQuestion.round_id).where(PulseQuestion.id == question_id))
    return round_not_here(
        session, workspace=workspace, employee=employee, round_id=round_id, now=now, otherwise=otherwise
    )


def _the_orgs_round(session: Session, org: Workspace, employee: Employee, now: datetime) -> str:
    asking = (
        select(PulseRound)
        .join(PulseReceipt, PulseReceipt.round_id == PulseRound.id)
        .where(PulseRound.workspace_id == org.id, PulseRound.status == "open", PulseRound.closes_at > now)
        .where(PulseReceipt.employee_id == employee.id)
    )
    current = session.scalars(asking.limit(1)).first()
    if current is None:
        return "Your org's next pulse round will come to you in a DM."
    return f"Your org's pulse round {current.number} is open and asks you too: type `/pulse` to get its questions."
