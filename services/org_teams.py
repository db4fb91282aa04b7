"""The workspace's teams as an org file names them. Writers add and change rows; callers commit."""

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Employee, RewardGrant, Team, Workspace
from services.teams import spaced


class FileTeams:
    """The workspace's teams by the names the file gives them, whatever their letter case or spacing, as HR's
    searches for a team read them (`teams.find_team`): a file writing a stored team's name in other letters renames
    that team rather than start a second one beside it. Within one file the first spelling wins."""

    def __init__(self, session: Session, workspace: Workspace) -> None:
        self.session, self.workspace = session, workspace
        self.stored = list(session.scalars(select(Team).where(Team.workspace_id == workspace.id).order_by(Team.id)))
        self.chosen: dict[str, Team] = {}
        self.renamed: list[str] = []

    def named(self, typed: str) -> Team:
        name = " ".join(typed.split())  # `Support  East`, as a spreadsheet edit may leave it, is Support East
        key = spaced(name)
        if key not in self.chosen:
            self.chosen[key] = self._stored(name) or self._new(name)
        return self.chosen[key]

    def _stored(self, name: str) -> Team | None:
        """The team of that name, written alike if one is (two may differ only in case or spacing, from before)."""
        alike = [team for team in self.stored if spaced(team.name) == spaced(name)]
        team = next((team for team in alike if team.name == name), alike[0] if alike else None)
        for other in alike:
            if team is not None and other is not team:
                self._merge(other, into=team, name=name)
        if team is not None and team.name != name:
            self.renamed.append(f"team {team.name!r} -> {name!r}")
            team.name = name
        return team

    def _merge(self, other: Team, *, into: Team, name: str) -> None:
        """A team stored twice in different letter case (before this rule): its people, and the grants filed under it,
        join the one the file names."""
        self.session.execute(update(Employee).where(Employee.team_id == other.id).values(team_id=into.id))
        self.session.execute(update(RewardGrant).where(RewardGrant.team_id == other.id).values(team_id=into.id))
        self.renamed.append(f"team {other.name!r} -> {name!r}")
        self.stored.remove(other)
        self.session.delete(other)

    def _new(self, name: str) -> Team:
        team = Team(workspace_id=self.workspace.id, name=name)
        self.session.add(team)
        return team
