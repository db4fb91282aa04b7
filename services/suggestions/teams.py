"""Whose team an open suggestion comes from, as an org import moves people. Callers commit.

A suggestion keeps the manager of the team it was sent from (`team_manager_id`): that manager lists its open ideas
and holds its anonymous ones. When an import moves the team under another manager (its manager moved to lead another
team, left, or had a new lead put between them and the team), its open ideas follow the people, not the manager who
was moved: the team is whoever most of its people report to now. Nobody asks who wrote an idea: a team moves with all
its ideas, named or anonymous. The team itself (`team_id`) stays: a new manager sitting in another team does not make
the idea that team's, so its channel and the people told of it are still those of the team it came from.
"""

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee, Suggestion, Workspace
from models.suggestion import CLOSED_STATUSES

Managers = dict[int, int | None]
"""Each active person's manager, by employee id."""


def managers_of(people: Iterable[Employee]) -> Managers:
    return {person.id: person.manager_id for person in people if person.active}


def follow_moved_teams(session: Session, *, workspace: Workspace, before: Managers, after: Managers) -> None:
    """Point each open suggestion at the manager its team reports to after the import."""
    leads = new_leads(before, after)
    if not leads:
        return
    moved = session.scalars(
        select(Suggestion).where(
            Suggestion.workspace_id == workspace.id,
            Suggestion.team_manager_id.in_(leads),
            Suggestion.status.not_in(CLOSED_STATUSES),
        )
    )
    for suggestion in moved:
        assert suggestion.team_manager_id is not None
        suggestion.team_manager_id = leads[suggestion.team_manager_id]
    session.flush()


def new_leads(before: Managers, after: Managers) -> dict[int, int]:
    """Each manager whose team (their direct reports before, still active) now mostly reports to one other manager,
    and that manager. A team split evenly, or mostly still with its manager, stays theirs."""
    teams: dict[int, list[int]] = {}
    for person, manager in before.items():
        if manager is not None:
            teams.setdefault(manager, []).append(person)
    leads = {}
    for manager, people in teams.items():
        now = Counter(after[person] for person in people if person in after)
        most = max(now.values(), default=0)
        leaders = [lead for lead, count in now.items() if count == most]
        lead = leaders[0] if len(leaders) == 1 else None
        if lead is not None and lead != manager:
            leads[manager] = lead
    return leads
