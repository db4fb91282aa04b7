"""The reward nominations waiting for one person's approval, oldest first, for their App Home. Read only."""

from dataclasses import dataclass

from sqlalchemy import bindparam, func, select
from sqlalchemy.orm import Session

from models import Employee, Nomination
from services import deciders, directory
from services.rewards.grants import HR_ROLES

# Built once, as every App Home runs it. The count rides along with the rows, as a subquery run once (a window
# would read and sort every row before the limit): one statement however many wait, both parts read from
# ix_nominations_approver_waiting.
_THEIRS = (Nomination.approver_id == bindparam("approver_id"), Nomination.status == "pending")
_AS_HR = (*_THEIRS, Nomination.nominee_id.not_in(bindparam("bosses", expanding=True)))  # deciders.approver_fits
_COUNT = select(func.count()).select_from(Nomination).where(*_AS_HR).scalar_subquery()
_WAITING_FOR = (
    select(Nomination, _COUNT).where(*_AS_HR).order_by(Nomination.created_at, Nomination.id).limit(bindparam("shown"))
)


@dataclass(frozen=True)
class WaitingNominations:
    """The oldest nominations waiting on a person's approval, and how many wait on them in all."""

    oldest: list[Nomination]
    total: int


_ALL_THEIRS = select(Nomination).where(*_THEIRS).order_by(Nomination.created_at, Nomination.id)


def waiting_for(session: Session, approver: Employee, *, shown: int) -> WaitingNominations:
    """The `shown` oldest nominations only `approver` may decide now (services/rewards/approvals.find_pending)."""
    if not approver.active:
        return WaitingNominations([], 0)
    if not directory.acts_as(approver, HR_ROLES):
        return _waiting_for_a_manager(session, approver, shown)
    bosses = [boss.id for boss in directory.managers_above(approver)]  # nobody approves their own boss's reward
    rows = session.execute(_WAITING_FOR, {"approver_id": approver.id, "shown": shown, "bosses": bosses}).all()
    return WaitingNominations([nomination for nomination, _total in rows], int(rows[0][1]) if rows else 0)


def _waiting_for_a_manager(session: Session, approver: Employee, shown: int) -> WaitingNominations:
    """A manager's, each of a nominee they are still above: one they no longer are (demoted or moved, nobody else to
    take it) still waits on them but is left out, as they may no longer approve it (services/deciders.py). Their own
    team's: never many."""
    theirs = session.scalars(_ALL_THEIRS, {"approver_id": approver.id})
    fitting = [nomination for nomination in theirs if deciders.approver_fits(nomination, approver)]
    return WaitingNominations(fitting[:shown], len(fitting))
