"""A pulse question or round a click names that is not one of the clicker's workspace. One a workspace's own directory
held when the org's org-wide install took the workspace over takes nothing more (it stays with the stopped directory,
its results there), and whoever that round asked there is pointed at the org's round, the one that counts now. Anyone
else, with a forwarded message or a click forged with such an id, hears what a missing id gets: nothing of the round,
not even its number. Any other id is missing or another workspace's, and the two are told alike. Read-only."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, PulseQuestion, PulseReceipt, PulseRound, Workspace
from services import org_takeover, request_viewers
from services.errors import NotFound

NOT_YOUR_QUESTION = "That pulse question isn't one you can answer or change. Nothing changed."
NOT_YOUR_ROUND = "That pulse round isn't one you can comment on. Nothing changed."
"""Said alike of an id missing and of another workspace's: ids are counted up across an install's workspaces, so
telling the two apart would tell how many questions or rounds other workspaces have."""


def round_not_here(
    session: Session, *, workspace: Workspace, employee: Employee, round_id: int, now: datetime
) -> NotFound:
    """What to tell someone answering or commenting in round `round_id`, not one of their workspace (`workspace`)."""
    return _left_behind(session, workspace, employee, round_id, now) or NotFound(NOT_YOUR_ROUND)


def question_not_here(
    session: Session, *, workspace: Workspace, employee: Employee, question_id: int, now: datetime
) -> NotFound:
    """What to tell someone answering or changing question `question_id`, not one of their workspace."""
    round_id = session.scalar(select(PulseQuestion.round_id).where(PulseQuestion.id == question_id))
    left = None if round_id is None else _left_behind(session, workspace, employee, round_id, now)
    return left or NotFound(NOT_YOUR_QUESTION)


def _left_behind(
    session: Session, workspace: Workspace, employee: Employee, round_id: int, now: datetime
) -> NotFound | None:
    """Of a round of a workspace the org (`workspace`) took over, that it takes nothing more, to one it asked there;
    None of any other, and to anyone else."""
    left = org_takeover.left_behind(session, PulseRound, round_id, workspace.id)
    if left is None or not _asked_there(session, left, employee):
        return None
    said = (
        f"Pulse round {left.number} was opened before your org's Latitude took this workspace over. It stays with the "
        "workspace's own Latitude, which has stopped, so it takes no more answers or comments, and nothing changed."
    )
    return NotFound(f"{said} {_the_orgs_round(session, workspace, employee, now)}")


def _asked_there(session: Session, left: PulseRound, employee: Employee) -> bool:
    """Whether the round asked this person as they were in its workspace's directory (a receipt of theirs there)."""
    there = request_viewers.as_there(session, employee, left.workspace_id)
    if there is None:
        return False
    asked = select(PulseReceipt.id).where(PulseReceipt.round_id == left.id, PulseReceipt.employee_id == there.id)
    return session.scalar(asked) is not None


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
