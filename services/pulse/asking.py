"""Whose pulse results a viewer may ask for, checked on today's org (its active people only). Read-only."""

from sqlalchemy.orm import Session

from models import Employee, Workspace
from services import directory
from services.errors import NotAllowed, NotFound
from services.pulse.anonymity import Group
from services.pulse.rounds import ROUND_STARTERS
from services.pulse.trees import ORG


def allowed_key(
    session: Session, workspace: Workspace, viewer: Employee, team: str | None, groups: dict[str, Group]
) -> str:
    if not viewer.active:
        raise NotAllowed(directory.NO_LONGER_ACTIVE)
    staff = viewer.role in ROUND_STARTERS
    if team is None:
        if staff:
            return ORG
        if viewer.slack_id not in groups:
            raise NotAllowed(
                "Nobody reports to you, so there are no team results for you. Your answers count in your manager's."
            )
        return viewer.slack_id
    if team == ORG:
        if not staff:
            raise NotAllowed(
                "Only HR and admins see the whole organisation's results. Try `/pulse results` for your team."
            )
        return ORG
    if team not in groups:
        raise NotFound(_no_team_of(session, workspace, team))
    if staff or team == viewer.slack_id or (viewer.slack_id in groups and team in groups[viewer.slack_id].below):
        return team
    raise NotAllowed("You can see results for your own team and the teams inside it, not for other teams.")


def _no_team_of(session: Session, workspace: Workspace, slack_id: str) -> str:
    if (person := directory.find_employee(session, workspace, slack_id)) is None or not person.in_directory:
        return "That person is not in Latitude's directory (the org file does not list them): mention a manager."
    return "That person has nobody reporting to them, so they have no team results."
