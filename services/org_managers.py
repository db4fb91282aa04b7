"""Managers an org file names, checked against the people it lists and, in an import that updates only them (no
`--deactivate-missing`), against the stored directory too. Read only.

A file of one region names its head's manager, who is in no row of it: without `--deactivate-missing` that manager
is looked for among the workspace's stored people, and one an org file has listed, active there, is named as they
are; one who left, or one the bot knows only from Slack (a guest of the Slack workspace, or anyone a request of theirs
added that no file has listed yet), is refused. The chains of managers are followed through the
file's rows and the stored people it leaves out together: a loop through stored people is a loop all the same, and
a chain with no top has nobody to decide at its end.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session, lazyload

from models import Employee, Workspace


@dataclass(frozen=True)
class Stored:
    """A stored person as the manager checks see them."""

    name: str
    active: bool
    listed: bool  # an org file has listed them (`in_directory`): one known only from Slack is nobody's manager yet
    guest: bool  # Slack shows them as a guest of the workspace
    manager: str | None  # their manager's Slack id


Directory = Mapping[str, Stored]
"""The workspace's stored people by Slack id."""


def as_stored(people: Iterable[Employee]) -> dict[str, Stored]:
    everyone = list(people)
    slack_id_of = {person.id: person.slack_id for person in everyone}
    return {
        person.slack_id: Stored(
            name=person.name,
            active=person.active,
            listed=person.in_directory,
            guest=bool(person.slack_guest),
            manager=slack_id_of.get(person.manager_id) if person.manager_id is not None else None,
        )
        for person in everyone
    }


def stored_people(session: Session, workspace: Workspace) -> dict[str, Stored]:
    people = select(Employee).where(Employee.workspace_id == workspace.id).options(lazyload("*"))
    return as_stored(session.scalars(people))


def outside_manager_problem(manager: str, directory: Directory | None) -> str | None:
    """What is wrong with naming `manager`, whom no row of the file lists (`directory` None: the file is the whole
    organisation, so every manager must be in it)."""
    if directory is None:
        return (
            f"manager {manager} is not in the file: add their row (with --deactivate-missing the file is the whole "
            "organisation; without it, a manager the file does not list is found in the directory)"
        )
    stored = directory.get(manager)
    if stored is None:
        return f"manager {manager} is neither in the file nor in the directory: add their row, or check the id"
    if not stored.listed and stored.guest:
        return (
            f"manager {manager} ({stored.name}) is a guest of the Slack workspace whom the file has never listed: "
            "add their row to make them staff, or name another manager"
        )
    if not stored.listed:
        return (
            f"manager {manager} ({stored.name}) is known only from Slack, never listed in an org file: add their row, "
            "or name another manager"
        )
    if not stored.active:
        return (
            f"manager {manager} ({stored.name}) is inactive in the directory: add their row to bring them back, or "
            "name an active manager"
        )
    return None


def cycle_problems(
    manager_of: Mapping[str, str | None], line_of: Mapping[str, int], directory: Directory | None
) -> list[str]:
    """A loop of managers through the file's rows (`manager_of`, `line_of`), and through the stored people the file
    leaves out when a `directory` is given, told once at the line of the first of its people the file lists."""
    links = {slack_id: stored.manager for slack_id, stored in (directory or {}).items() if slack_id not in line_of}
    links.update(manager_of)
    reported: set[str] = set()
    problems = []
    for start in line_of:
        seen: list[str] = []
        current: str | None = start
        while current and current not in seen:
            seen.append(current)
            current = links.get(current)  # a manager whose own row has a problem ends the chain
        if current and current == start and not reported & set(seen):
            reported |= set(seen)
            chain = " -> ".join([*seen, start])
            problems.append(f"line {line_of[start]}: manager cycle {chain}{_through_stored(seen, line_of, links)}")
    return problems


def _through_stored(loop: list[str], line_of: Mapping[str, int], links: Mapping[str, str | None]) -> str:
    stored = [f"{slack_id} reports to {links[slack_id]}" for slack_id in loop if slack_id not in line_of]
    if not stored:
        return ""
    return f" (not in the file, the directory has {'; '.join(stored)}): name another manager on a line of the loop"


def heads_detached(people: Iterable[Employee], before: Mapping[int, int | None]) -> list[str]:
    """One line per active person the import left with no manager who had an active one before (`before`: each
    active person's manager id): an empty `manager_slack_id` puts them at the top of the tree, which a file of one
    region may have done only to get its head's manager, not in it, past the checks."""
    everyone = {person.id: person for person in people}
    lines = []
    for person in sorted(everyone.values(), key=lambda p: (p.name, p.slack_id)):
        was = everyone.get(before.get(person.id) or 0)
        if person.active and person.manager_id is None and was is not None and was.active:
            lines.append(
                f"{person.name} ({person.slack_id}) has no manager any more (their manager_slack_id is empty; it was "
                f"{was.name} ({was.slack_id})): a request of theirs over the limit goes to the admins, and nothing "
                f"of theirs goes up to {was.name}; if the cell was emptied to import part of the organisation, write "
                f"{was.slack_id} back: without --deactivate-missing, a manager the file does not list is found in the "
                "directory"
            )
    return lines
