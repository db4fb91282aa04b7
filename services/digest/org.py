"""The digest's view of the org: everyone in the workspace and the managers above each, read in one query."""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Employee


@dataclass(frozen=True)
class Person:
    """Someone as the digest names them: `in_directory` False for a newcomer the org file does not list (named
    as Slack shows them, `services.directory.name_of`, not by the handle they were added under)."""

    id: int
    slack_id: str
    name: str
    manager_id: int | None
    tz: str | None
    active: bool
    in_directory: bool = True
    listed_at: datetime | None = None
    """When Latitude first knew them (the org file listed them, or their first use)."""
    role: str = "frontline"


@dataclass(frozen=True)
class Org:
    """The workspace's people and, for each, every manager above them."""

    people: dict[int, Person]
    above: dict[int, tuple[int, ...]]

    def managers(self) -> list[Person]:
        """Active people with at least one active direct report, by name."""
        heads = {p.manager_id for p in self.people.values() if p.active and p.manager_id is not None}
        return sorted((self.people[i] for i in heads if self.people[i].active), key=lambda p: (p.name, p.id))

    def teams(self, managers: Collection[int]) -> dict[int, frozenset[int]]:
        """Each given manager's team: everyone below them, directly or not."""
        members: dict[int, set[int]] = {manager: set() for manager in managers}
        for person, chain in self.above.items():
            for manager in chain:
                if manager in members:
                    members[manager].add(person)
        return {manager: frozenset(ids) for manager, ids in members.items()}

    def may_decide(self, decider: int, requester: int, sent_to: int | None) -> bool:
        """Whether `decider` may decide a request of `requester` waiting on `sent_to`, as
        services/resolutions/decisions.may_decide says: an active admin, any of someone they do not report to, and
        one of someone they report to only when sent to them while nobody else may (services/deciders.decider_fits);
        the requester's direct manager; a manager higher up, one sent to them."""
        person = self.people.get(decider)
        if person is None or not person.active or decider == requester:
            return False
        if person.role == "admin":
            if requester not in self.above.get(decider, ()):
                return True
            return decider == sent_to and not self._someone_else_decides(requester, decider)
        asker = self.people.get(requester)
        if asker is not None and decider == asker.manager_id:
            return True
        return decider == sent_to and decider in self.above.get(requester, ())

    def _someone_else_decides(self, requester: int, decider: int) -> bool:
        """The requester's active manager, or an active admin who does not report to them (deciders, in memory)."""
        asker = self.people.get(requester)
        manager = self.people.get(asker.manager_id) if asker and asker.manager_id is not None else None
        if manager is not None and manager.active and manager.id not in (requester, decider):
            return True
        return any(
            p.role == "admin" and p.active and p.id not in (requester, decider) and requester not in self.above[p.id]
            for p in self.people.values()
        )

    def active_people(self) -> dict[int, Person]:
        return {p.id: p for p in self.people.values() if p.active}


def read_org(session: Session, workspace_id: int) -> Org:
    columns = (
        Employee.id,
        Employee.slack_id,
        Employee.name,
        Employee.manager_id,
        Employee.tz,
        Employee.active,
        Employee.in_directory,
        Employee.created_at,
        Employee.role,
    )
    rows = session.execute(select(*columns).where(Employee.workspace_id == workspace_id))
    people = {row.id: Person(*row) for row in rows}
    return Org(people=people, above={person: _chain(people, person) for person in people})


def _chain(people: dict[int, Person], person: int) -> tuple[int, ...]:
    chain: list[int] = []
    current = people[person].manager_id
    while current is not None and current in people and current not in chain and current != person:
        chain.append(current)
        current = people[current].manager_id
    return tuple(chain)
