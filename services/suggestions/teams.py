"""Whose team an open suggestion comes from, as an org import moves people. Callers commit.

A suggestion keeps the manager of the team it was sent from (`team_manager_id`): that manager lists its open ideas
and holds its anonymous ones. When an import moves the team under another manager (its manager moved to lead another
team, left, or had a new lead put between them and the team), its open ideas follow the people, not the manager who
was moved: the team is whoever most of its people report to now. Nobody asks who wrote an idea: a team moves with all
its ideas, named or anonymous. The team itself (`team_id`) stays: a new manager sitting in another team does not make
the idea that team's, so its channel and the people told of it are still those of the team it came from. Unless the
import left that team with nobody and more than half of its people are in one other team now: teams are matched by
name, so a file renaming a team makes a new one, and the open ideas go with the people (`follow_renamed_teams`).
"""

from collections import Counter
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Employee, Suggestion, Workspace
from models.suggestion import CLOSED_STATUSES

Managers = dict[int, int | None]
"""Each active person's manager, by employee id."""
Teams = dict[int, int | None]
"""Each active person's team, by employee id."""


def managers_of(people: Iterable[Employee]) -> Managers:
    return {person.id: person.manager_id for person in people if person.active}


def teams_of(people: Iterable[Employee]) -> Teams:
    return {person.id: person.team_id for person in people if person.active}


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


def follow_renamed_teams(session: Session, *, workspace: Workspace, before: Teams, after: Teams) -> None:
    """Point the open suggestions (held anonymous ones too) of each team the import left with nobody at the team
    most of its people are in now, a team at a time: nobody asks who wrote an idea."""
    for old, new in successors(before, after).items():
        session.execute(
            update(Suggestion)
            .where(
                Suggestion.workspace_id == workspace.id,
                Suggestion.team_id == old,
                Suggestion.status.not_in(CLOSED_STATUSES),
            )
            .values(team_id=new)
        )


def successors(before: Teams, after: Teams) -> dict[int, int]:
    """Each team with active people before and none after, and the one other team holding more than half of those
    people now (a team the file renamed). A team split in halves, or left by half its people or more, has none:
    no other team is more its own than the rest, and its ideas stay with it."""
    members: dict[int, list[int]] = {}
    for person, team in before.items():
        if team is not None:
            members.setdefault(team, []).append(person)
    occupied = set(after.values())
    found = {}
    for team, people in members.items():
        now = Counter(joined for joined in (after.get(person) for person in people) if joined is not None)
        most = [joined for joined, count in now.items() if 2 * count > len(people)]
        if team not in occupied and most:
            found[team] = most[0]
    return found
