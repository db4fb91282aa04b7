"""Who may see which digest preview: managers their own team's, HR and admins any team's by name. Read-only."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, Team, Workspace
from services import directory, teams
from services.digest.weekly import Digest, weekly_digests
from services.errors import InvalidInput, NotAllowed, NotFound
from services.text import echoed, escape_mrkdwn
from services.unlisted import refused_by_role

PURPOSE = (
    "`/digest` is for managers: it sums up your team's week — fixes for customers, requests waiting on "
    "you, and what needs your attention — and arrives every week as a DM."
)
LOOKERS = ("hr", "admin")


def preview_for(session: Session, *, caller: Employee, team_name: str | None, now: datetime) -> Digest:
    """This week so far, for the caller's own team or (HR and admins) for the named team."""
    workspace = session.get_one(Workspace, caller.workspace_id)
    if not caller.active:
        raise NotAllowed(directory.NO_LONGER_ACTIVE)
    head = _head_for(session, workspace, caller, team_name) if team_name is not None else caller
    digests = weekly_digests(session, workspace=workspace, now=now, managers=[head.id], so_far=True)
    if digests:
        return digests[0]
    if head is not caller:
        raise NotFound(f"Nobody leads a team in *{escape_mrkdwn(team_name or '')}* yet, so it has no digest.")
    hint = " As HR or an admin, you can ask for a team: `/digest team:NAME`." if caller.role in LOOKERS else ""
    raise NotAllowed(f"{PURPOSE} Nobody reports to you in the directory, so there is no digest for you.{hint}")


def _head_for(session: Session, workspace: Workspace, caller: Employee, name: str) -> Employee:
    """Whose digest a team's name asks for: its leader's (HR and admins), or the caller's own when it is their team.
    Anyone else learns nothing of the other teams, not even which exist."""
    if caller.role in LOOKERS:
        return _team_head(session, _named_team(session, workspace, name))
    if not name.strip():
        raise InvalidInput("Name the team after `team:`, or send `/digest` on its own for your own team's.")
    team = teams.find_team(session, workspace, name)
    if team is not None and team.id == caller.team_id:
        return caller
    raise refused_by_role(
        caller,
        what="Another team's digest",
        refusal="Only HR and admins can see another team's digest. `/digest` on its own shows your own team's.",
    )


def _named_team(session: Session, workspace: Workspace, name: str) -> Team:
    if not name.strip():
        raise InvalidInput(f"Name the team after `team:`. Teams: {_team_names(session, workspace)}.")
    team = teams.find_team(session, workspace, name)
    if team is None:
        raise NotFound(f"There is no team called *{echoed(name, 100)}*. Teams: {_team_names(session, workspace)}.")
    return team


def _team_head(session: Session, team: Team) -> Employee:
    """The team's leader: a member with reports whose own manager is outside the team."""
    members = list(
        session.scalars(select(Employee).where(Employee.team_id == team.id, Employee.active).order_by(Employee.name))
    )
    ids = {member.id for member in members}
    leading = set(
        session.scalars(select(Employee.manager_id).where(Employee.manager_id.in_(ids), Employee.active).distinct())
    )
    heads = [m for m in members if m.id in leading and m.manager_id not in ids] or [
        m for m in members if m.id in leading
    ]
    if not heads:
        raise NotFound(f"Nobody in *{escape_mrkdwn(team.name)}* has reports, so the team has no digest.")
    return heads[0]


def _team_names(session: Session, workspace: Workspace) -> str:
    return teams.team_names_in_words(session, workspace, lambda name: f"`{escape_mrkdwn(name)}`")
