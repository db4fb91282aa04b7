"""What `/suggest list` shows: your own suggestions, what waits on you, and your team's open ones. Read-only."""

from dataclasses import dataclass

from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session

from models import Employee, Suggestion, Workspace
from services import directory
from services.suggestions.relay import Relay

SHOWN = 20
OPEN = ("open", "under_review", "planned")


@dataclass(frozen=True)
class Listed:
    """The first suggestions of a list and how many the list holds in all (so a reply can say "and N more")."""

    items: list[Suggestion]
    total: int


def mine(session: Session, *, workspace: Workspace, employee: Employee, relay: Relay | None) -> Listed:
    """The caller's suggestions, anonymous ones included (found by matching each one's token), newest first."""
    who = Suggestion.author_id == employee.id
    if relay is not None:
        anonymous = session.execute(
            select(Suggestion.id, Suggestion.author_token).where(
                Suggestion.workspace_id == workspace.id, Suggestion.anonymous
            )
        )
        theirs = [row.id for row in anonymous if relay.matches(row.author_token, workspace.id, employee.id)]
        who = who | Suggestion.id.in_(theirs)
    where = (Suggestion.workspace_id == workspace.id) & who
    query = select(Suggestion).where(where).order_by(Suggestion.created_at.desc(), Suggestion.id.desc())
    return Listed(list(session.scalars(query.limit(SHOWN))), _count(session, where))


def waiting_on(session: Session, *, workspace: Workspace, owner: Employee) -> Listed:
    """Open suggestions this person owns, oldest first."""
    return _open(session, workspace, Suggestion.owner_id == owner.id)


def team_open(session: Session, *, workspace: Workspace, manager: Employee) -> Listed:
    """Open suggestions from anyone in the manager's team that someone else owns (a category's owner), oldest first."""
    teams = [manager.id, *(person.id for person in directory.all_reports(session, manager))]
    return _open(session, workspace, Suggestion.team_manager_id.in_(teams) & (Suggestion.owner_id != manager.id))


def _open(session: Session, workspace: Workspace, whose: ColumnElement[bool]) -> Listed:
    where = (Suggestion.workspace_id == workspace.id) & whose & Suggestion.status.in_(OPEN)
    query = select(Suggestion).where(where).order_by(Suggestion.created_at, Suggestion.id)
    return Listed(list(session.scalars(query.limit(SHOWN))), _count(session, where))


def _count(session: Session, where: ColumnElement[bool]) -> int:
    return int(session.scalar(select(func.count()).select_from(Suggestion).where(where)) or 0)
