"""What `/suggest list` shows: your own suggestions, what waits on you, and your team's open ones. Read-only."""

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from models import Employee, Suggestion, Workspace
from services import directory
from services.suggestions.relay import Relay


def mine(session: Session, *, workspace: Workspace, employee: Employee, relay: Relay | None) -> list[Suggestion]:
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
    query = select(Suggestion).where(Suggestion.workspace_id == workspace.id, who)
    return list(session.scalars(query.order_by(Suggestion.created_at.desc(), Suggestion.id.desc()).limit(20)))


def waiting_on(session: Session, *, workspace: Workspace, owner: Employee) -> list[Suggestion]:
    """Open suggestions this person owns, oldest first."""
    return _open(session, workspace, Suggestion.owner_id == owner.id)


def team_open(session: Session, *, workspace: Workspace, manager: Employee) -> list[Suggestion]:
    """Open suggestions from anyone in the manager's team that someone else owns (a category's owner), oldest first."""
    teams = [manager.id, *(person.id for person in directory.all_reports(session, manager))]
    return _open(session, workspace, Suggestion.team_manager_id.in_(teams) & (Suggestion.owner_id != manager.id))


def _open(session: Session, workspace: Workspace, whose: ColumnElement[bool]) -> list[Suggestion]:
    query = select(Suggestion).where(
        Suggestion.workspace_id == workspace.id, whose, Suggestion.status.in_(("open", "under_review", "planned"))
    )
    return list(session.scalars(query.order_by(Suggestion.created_at, Suggestion.id).limit(50)))
