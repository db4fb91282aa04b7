"""Who a suggestion goes to, and whether whoever holds it still should. Read-only.

A suggestion is held for one reason: its holder owns its category, manages its author (for an anonymous one,
leads the team it was sent from, or is above its manager: nobody asks who wrote it; an import that moves the team
under another manager moves it with its ideas, services/suggestions/teams.py), or is HR or an admin. Someone who
no longer fits that reason neither answers it nor keeps it: the next org import, or a policy load naming
another owner for its category, hands it over (services/handover.py) as when its holder leaves.
"""

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, Suggestion, Workspace
from services import directory
from services.errors import NotAllowed
from services.policy.suggestions import SuggestionSettings
from services.rewards.approvals import hr_people
from services.rewards.grants import HR_ROLES
from services.suggestions.anonymity import owns_the_category


def owner_for(
    session: Session,
    workspace: Workspace,
    settings: SuggestionSettings,
    author: Employee | None,
    category: str | None,
) -> Employee:
    """The category's owner from the policy, else the author's manager, else HR; never a named author. Without
    an author (an anonymous suggestion whose owner left), the category's owner or HR, whoever wrote it."""
    candidates: list[Employee | None] = []
    if category and category in settings.owners:
        owner_id = settings.owners[category]
        candidates.append(
            session.scalar(select(Employee).where(Employee.workspace_id == workspace.id, Employee.slack_id == owner_id))
        )
    candidates.append(author.manager if author is not None else None)
    candidates += hr_people(session, workspace.id)
    for candidate in candidates:
        if candidate is not None and candidate.active and (author is None or candidate.id != author.id):
            return candidate
    besides = " besides you" if author is not None and directory.acts_as(author, HR_ROLES) else ""
    raise NotAllowed(
        f"Nobody can receive your suggestion: you have no manager on file and there is no HR person{besides}. "
        "Ask HR to add you to the org file."
    )


def still_fits(session: Session, settings: SuggestionSettings, suggestion: Suggestion, holder: Employee) -> bool:
    """Whether `holder` is still someone this suggestion could be with (see the module's docstring)."""
    if not holder.active:
        return False
    if directory.acts_as(holder, HR_ROLES) or owns_the_category(settings, holder, suggestion.category):
        return True
    if suggestion.author is not None:
        return holder in directory.managers_above(suggestion.author)
    team_manager = suggestion.team_manager
    if team_manager is None:
        return False
    leads = team_manager.id == holder.id and bool(directory.direct_reports(session, holder.id))
    return leads or holder in directory.managers_above(team_manager)
