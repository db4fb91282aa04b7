"""The reporting trees pulse results are judged on: today's, when a round is sealed, and each closed round's as it
was when it closed, for every read after. Callers commit.

A closed round keeps its counts per cell, filed under the cell leader's employee id. Which groups hold a cell, and
so who may see it, is decided by the tree the seal recorded (`PulseCellGroup`), never by today's org: a lead who
has moved since takes nothing of their old team's answers to their new manager.
"""

from collections.abc import Iterable

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models import Employee, PulseCellGroup, PulseRound, Workspace
from services.pulse.anonymity import Group

ORG = "org"
ORG_LABEL = "the whole organisation"


def groups_of(session: Session, workspace: Workspace, *, leavers: bool = True) -> dict[str, Group]:
    """Today's org and one group per manager (everyone below them, directly or not), keyed by Slack id.

    Without `leavers`, people who left count nowhere: who may ask for a team's results today must not hang on
    whether someone who left is still filed under them. The seal keeps them (their answers stay counted)."""
    everyone = select(Employee).where(Employee.workspace_id == workspace.id)
    people = list(session.scalars(everyone if leavers else everyone.where(Employee.active)))
    children: dict[int, list[Employee]] = {}
    for person in people:
        if person.manager_id is not None:
            children.setdefault(person.manager_id, []).append(person)
    groups: dict[str, Group] = {}
    for person in people:
        if person.id in children:
            below = list(_below(person.id, children))
            managers = frozenset([person.id, *(p.id for p in below)])
            nested = frozenset(p.slack_id for p in below if p.id in children)
            groups[person.slack_id] = Group(person.slack_id, team_label(person), managers, nested, person.id)
    groups[ORG] = Group(ORG, ORG_LABEL, None, frozenset(key for key in groups))
    return groups


def team_label(leader: Employee) -> str:
    team = f" ({leader.team_name})" if leader.team else ""
    return f"{leader.name}'s team{team}"


def _below(manager_id: int, children: dict[int, list[Employee]]) -> Iterable[Employee]:
    stack, seen = list(children.get(manager_id, [])), {manager_id}
    while stack:
        person = stack.pop()
        if person.id not in seen:
            seen.add(person.id)
            yield person
            stack += children.get(person.id, [])


def record_tree(session: Session, pulse_round: PulseRound, groups: dict[str, Group]) -> None:
    """At the seal: every group's leader with each group enclosing it, itself included, in one sorted statement."""
    by_leader = {group.leader: group for group in groups.values() if group.leader is not None}
    pairs = {
        (inner, outer.leader)
        for outer in by_leader.values()
        for inner in (outer.leader, *(groups[key].leader for key in outer.below))
        if inner is not None and outer.leader is not None
    }
    rows = [{"round_id": pulse_round.id, "cell_leader_id": i, "group_manager_id": o} for i, o in sorted(pairs)]
    if rows:
        session.execute(insert(PulseCellGroup), rows)


def trees_at_close(session: Session, rounds: list[PulseRound]) -> dict[int, dict[str, Group]]:
    """Each closed round's groups as they were when it closed, keyed like today's (the leader's Slack id, and the
    org). A group holds the cells of the leaders inside it then: `Group.holds` takes a cell's key, not a person's."""
    ids = [r.id for r in rounds]
    rows = session.execute(
        select(PulseCellGroup.round_id, PulseCellGroup.cell_leader_id, PulseCellGroup.group_manager_id).where(
            PulseCellGroup.round_id.in_(ids)
        )
    )
    inside: dict[int, dict[int, set[int]]] = {round_id: {} for round_id in ids}
    for round_id, leader, outer in rows:
        inside[round_id].setdefault(outer, set()).add(leader)
    leaders = select(PulseCellGroup.group_manager_id).where(PulseCellGroup.round_id.in_(ids))
    people = {person.id: person for person in session.scalars(select(Employee).where(Employee.id.in_(leaders)))}
    return {round_id: _tree(held, people) for round_id, held in inside.items()}


def _tree(inside: dict[int, set[int]], people: dict[int, Employee]) -> dict[str, Group]:
    groups: dict[str, Group] = {}
    for leader, held in inside.items():
        person = people[leader]
        nested = frozenset(people[other].slack_id for other in held if other != leader)
        groups[person.slack_id] = Group(person.slack_id, team_label(person), frozenset(held), nested, leader)
    groups[ORG] = Group(ORG, ORG_LABEL, None, frozenset(groups))
    return groups
