"""What `/suggest list` shows: your own suggestions, what waits on you, your team's open ones and, for HR and admins,
the open ones others hold, which they may answer too. Read-only.

What waits on someone and their team's ideas are shown only while they are active: someone who left answers
nothing and leads nobody, whatever their role and reports still say. Someone's anonymous ideas are found by
matching each one's token (an HMAC apiece), so only those still open or closed in the last `ANONYMOUS_KEPT_IN_LIST`
are tried: the work stays bounded however many ideas the workspace has received.
"""

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from models import Employee, Suggestion, Workspace
from services import directory
from services.rewards.grants import HR_ROLES
from services.suggestions.relay import Relay
from services.suggestions.release import RELEASED

SHOWN = 20
NUMBERED = 60
OPEN = ("open", "under_review", "planned")
ANONYMOUS_KEPT_IN_LIST = timedelta(days=90)


@dataclass(frozen=True)
class Listed:
    """The first suggestions of a list and how many the list holds in all (so a reply can say "and N more")."""

    items: list[Suggestion]
    total: int
    numbers: list[int] = field(default_factory=list)
    """The numbers of the first `NUMBERED` of the list, where a reply names those it had no room to show."""


@dataclass(frozen=True)
class Lists:
    """One person's `/suggest list`: `waiting` None when they answer none, `team` None when they lead no team,
    `others` None unless they are HR or an admin."""

    mine: Listed
    waiting: Listed | None
    team: Listed | None
    others: Listed | None = None


def lists_for(
    session: Session, *, workspace: Workspace, employee: Employee, relay: Relay | None, now: datetime
) -> Lists:
    """Their own always; what waits on them when they own some or answer for a role; their team's, for a role; for
    HR and admins, what waits on others."""
    own = mine(session, workspace=workspace, employee=employee, relay=relay, now=now)
    if not employee.active:
        return Lists(own, None, None)
    waiting = waiting_on(session, workspace=workspace, owner=employee)
    leads = employee.role != "frontline"
    if directory.acts_as(employee, HR_ROLES):  # what waits on others holds their team's too, with a button each
        others = waiting_on_others(session, workspace=workspace, employee=employee)
        return Lists(own, waiting, None, others)
    team = team_open(session, workspace=workspace, manager=employee) if leads else None
    return Lists(own, waiting if waiting.total > 0 or leads else None, team)


def mine(session: Session, *, workspace: Workspace, employee: Employee, relay: Relay | None, now: datetime) -> Listed:
    """The caller's suggestions, newest first: every named one, and the anonymous ones still open or closed since
    `ANONYMOUS_KEPT_IN_LIST` before `now` (found by matching each one's token)."""
    recent = Suggestion.status.in_(OPEN) | (Suggestion.closed_at >= now - ANONYMOUS_KEPT_IN_LIST)
    theirs = _anonymous_of(session, workspace, employee, relay, recent)
    who = (Suggestion.author_id == employee.id) | Suggestion.id.in_(theirs)
    where = (Suggestion.workspace_id == workspace.id) & who
    query = select(Suggestion).where(where).order_by(Suggestion.created_at.desc(), Suggestion.number.desc())
    return Listed(list(session.scalars(query.limit(SHOWN))), _count(session, where))


def _anonymous_of(
    session: Session, workspace: Workspace, employee: Employee, relay: Relay | None, among: ColumnElement[bool]
) -> list[int]:
    """The ids of the anonymous suggestions among `among` this person wrote, found by matching each one's token."""
    if relay is None:
        return []
    anonymous = session.execute(
        select(Suggestion.id, Suggestion.author_token).where(
            Suggestion.workspace_id == workspace.id, Suggestion.anonymous, among
        )
    )
    return [row.id for row in anonymous if relay.matches(row.author_token, workspace.id, employee.id)]


def waiting_on_others(session: Session, *, workspace: Workspace, employee: Employee) -> Listed:
    """Open suggestions someone else holds, oldest first, which HR and admins may answer too (an absent owner's, an
    anonymous one handed back to its author): not their named ones, which nobody answers. Their anonymous ones are
    listed as any other, so that their count is every other HR person's and comparing lists names nobody; *Answer*
    on one is refused to them alone, as on their own card (lifecycle.decidable)."""
    not_theirs = Suggestion.author_id.is_(None) | (Suggestion.author_id != employee.id)
    listed = _open(session, workspace, (Suggestion.owner_id != employee.id) & not_theirs)
    if listed.total <= len(listed.items):
        return listed
    where = _open_where(workspace, (Suggestion.owner_id != employee.id) & not_theirs)
    numbers = select(Suggestion.number).where(where).order_by(Suggestion.created_at, Suggestion.number)
    return replace(listed, numbers=[n for n in session.scalars(numbers.limit(NUMBERED)) if n is not None])


def waiting_on(session: Session, *, workspace: Workspace, owner: Employee) -> Listed:
    """Open suggestions this person owns, oldest first (an anonymous one once released: release.py)."""
    return _open(session, workspace, Suggestion.owner_id == owner.id)


def team_open(session: Session, *, workspace: Workspace, manager: Employee) -> Listed:
    """Open suggestions from anyone in the manager's team that someone else owns (a category's owner), oldest first.

    A named one is the team's if its author is below the manager today. An anonymous one stays with the team it
    was sent from (its author's manager then, the manager or one below them today): following its author to
    a new team would show the new manager an idea that arrived with the one who moved."""
    reports = [person.id for person in directory.all_reports(session, manager)]
    named = ~Suggestion.anonymous & Suggestion.author_id.in_(reports)
    anonymous = Suggestion.anonymous & Suggestion.team_manager_id.in_([manager.id, *reports])
    return _open(session, workspace, (named | anonymous) & (Suggestion.owner_id != manager.id))


def _open(session: Session, workspace: Workspace, whose: ColumnElement[bool]) -> Listed:
    where = _open_where(workspace, whose)
    query = select(Suggestion).where(where).order_by(Suggestion.created_at, Suggestion.number)
    return Listed(list(session.scalars(query.limit(SHOWN))), _count(session, where))


def _open_where(workspace: Workspace, whose: ColumnElement[bool]) -> ColumnElement[bool]:
    return (Suggestion.workspace_id == workspace.id) & whose & Suggestion.status.in_(OPEN) & RELEASED


def _count(session: Session, where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).select_from(Suggestion).where(where)) or 0)
