"""Which boundary profiles the directory uses, that a new policy must keep; the teams a policy names that it lacks."""

from collections.abc import Collection

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, Workspace
from services.policy.file import PolicyText
from services.teams import team_names


def check_directory_profiles(session: Session, workspace: Workspace, profiles: Collection[str], text: str) -> None:
    """Everyone active in the directory must have their profile in the policy."""
    source = PolicyText.parse(text)
    for profile, names in sorted(profiles_in_use(session, workspace).items()):
        if profile not in profiles:
            people = ", ".join(names[:3]) + (f" and {len(names) - 3} more" if len(names) > 3 else "")
            source.problem(
                ("profiles",), f"profile {profile!r} is used by {people} but the policy has no [profiles.{profile}]"
            )
    source.raise_if_problems()


def teams_unknown(session: Session, workspace: Workspace, names: Collection[str]) -> list[str]:
    """The team names the policy gives that no team of the directory bears, whatever the letter case."""
    known = {name.casefold() for name in team_names(session, workspace)}
    return [name for name in names if name.strip().casefold() not in known]


def profiles_in_use(session: Session, workspace: Workspace) -> dict[str, list[str]]:
    used: dict[str, list[str]] = {}
    query = select(Employee).where(Employee.workspace_id == workspace.id, Employee.active, Employee.in_directory)
    for employee in session.scalars(query.order_by(Employee.name)):
        used.setdefault(employee.boundary_profile, []).append(f"{employee.name} ({employee.slack_id})")
    return used
