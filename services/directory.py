"""The org directory: who works here, their role, team and manager. Callers commit."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models import Employee, Workspace
from services.calendar import is_time_zone
from services.config_cache import attached, bump, cache_of, detached_copy
from services.errors import NotAllowed
from services.rows import get_or_create, take_turns
from services.text import escape_mrkdwn, with_labels


@dataclass(frozen=True)
class Identity:
    """The caller: their directory entry and the workspace they act in."""

    employee: Employee
    workspace: Workspace
    newly_added: bool
    # What Slack said of a newcomer when asked whether they are of the workspace: their profile, not asked again.
    slack_person: "SlackPerson | None" = None

    @property
    def slack_profile_wanted(self) -> bool:
        """A newcomer, or someone the org file gave no time zone: Slack's `users.info` fills what is missing
        (their day and month for the limits, when their digest and pulse reach them)."""
        return self.newly_added or self.employee.tz is None

    @property
    def may_be_a_guest(self) -> bool:
        """Someone the org file does not list, whom Slack was never asked about: before they act, Slack must say
        whether they are a guest of the workspace (HR lists employees, never guests)."""
        return unvetted(self.employee)


class Named(Protocol):
    """Anyone a message names: a directory entry, or the digest's read of one."""

    @property
    def slack_id(self) -> str: ...
    @property
    def name(self) -> str: ...
    @property
    def in_directory(self) -> bool: ...


def name_of(person: Named) -> str:
    """A person as mrkdwn: their directory name, or for someone the org file does not list (a newcomer, named by
    their Slack handle until Slack is asked after the ack) a mention, which Slack shows with their current name."""
    return escape_mrkdwn(person.name) if person.in_directory else f"<@{person.slack_id}>"


@dataclass(frozen=True)
class SlackPerson:
    """What Slack says about someone the directory does not know yet."""

    slack_id: str
    exists: bool
    is_bot: bool = False
    name: str = ""
    email: str | None = None
    tz: str | None = None
    guest: bool = False
    """A guest of the workspace (Slack's `is_restricted`; a single-channel guest is `is_ultra_restricted` too)."""


# Every request runs these two: built once, since building a statement costs more than running it.
_WORKSPACE_BY_TEAM = select(Workspace).where(Workspace.slack_team_id == bindparam("team"))
_EMPLOYEE_BY_SLACK_ID = select(Employee).where(
    Employee.workspace_id == bindparam("workspace_id"), Employee.slack_id == bindparam("slack_id")
)
# The lock space of people in `rows.take_turns` (customers use their workspace's id, which is positive).
PEOPLE_LOCKS = -1


def find_workspace(session: Session, slack_team_id: str) -> Workspace | None:
    return session.scalar(_WORKSPACE_BY_TEAM, {"team": slack_team_id})


def ensure_workspace(
    session: Session,
    *,
    slack_team_id: str,
    now: datetime,
    name: str = "",
    enterprise_id: str | None = None,
    org_wide: bool = False,
) -> Workspace:
    """The workspace kept under `slack_team_id` (a team, or for an org-wide install the enterprise), added if new."""
    workspace, _ = get_or_create(
        session,
        lambda: find_workspace(session, slack_team_id),
        lambda: Workspace(
            slack_team_id=slack_team_id, name=name, created_at=now, enterprise_id=enterprise_id, org_wide=org_wide
        ),
    )
    return workspace


def find_employee(session: Session, workspace: Workspace, slack_id: str) -> Employee | None:
    """Someone by Slack id; from this process's copy while the workspace's config version holds."""
    cache = cache_of(session)
    copy = cache.get("employee", workspace, slack_id) if cache is not None else None
    if copy is not None:
        return attached(session, copy)  # type: ignore[no-any-return]
    employee = session.scalar(_EMPLOYEE_BY_SLACK_ID, {"workspace_id": workspace.id, "slack_id": slack_id})
    if cache is not None and employee is not None:
        cache.put("employee", workspace, slack_id, detached_copy(employee))
    return employee


def names_of(session: Session, workspace: Workspace, slack_ids: Sequence[str]) -> dict[str, str]:
    """The directory's names of these people, by Slack id (those it knows)."""
    found = (find_employee(session, workspace, slack_id) for slack_id in slack_ids)
    return {person.slack_id: person.name for person in found if person is not None}


def vetted_names_of(session: Session, workspace: Workspace, slack_ids: Sequence[str]) -> dict[str, str]:
    """`names_of`, leaving out those the org file does not list whom Slack was never asked about (`may_be_a_guest`):
    before anyone names them, Slack must say whether they are guests."""
    found = (find_employee(session, workspace, slack_id) for slack_id in slack_ids)
    return {p.slack_id: p.name for p in found if p is not None and not unvetted(p)}


def labelled_for_strangers(session: Session, workspace: Workspace, text: str, labels: Mapping[str, str]) -> str:
    """Text to store, where each person the directory does not know yet keeps the name Slack sent with the mention
    (`labels`, by Slack id: `<@U123|sam>`), so that text read outside Slack (HR's export, the digest's dry run) can
    name them. Whoever the directory knows keeps a bare mention: the directory's name wins, from the org file or
    learnt from `users.info`, and a later one wins over a label stored before it (`services.text.as_slack_shows`)."""
    if not labels:
        return text
    known = names_of(session, workspace, list(labels))
    return with_labels(text, {slack_id: label for slack_id, label in labels.items() if slack_id not in known})


def slack_names(session: Session, workspace: Workspace) -> dict[str, str]:
    """Everyone in the workspace's directory by Slack user id, those who left included: how text read outside
    Slack names the people it mentions (`services.text.as_slack_shows`)."""
    people = select(Employee.slack_id, Employee.name).where(Employee.workspace_id == workspace.id)
    return {slack_id: name for slack_id, name in session.execute(people)}


def identify(session: Session, *, workspace: Workspace, slack_id: str, name: str, now: datetime) -> Identity:
    """The employee behind a Slack user; someone not in the directory is added as frontline."""
    employee, created = get_or_create(
        session,
        lambda: find_employee(session, workspace, slack_id),
        lambda: Employee(
            workspace_id=workspace.id,
            slack_id=slack_id,
            name=name or slack_id,
            role="frontline",
            active=True,
            in_directory=False,
            created_at=now,
            updated_at=now,
        ),
    )
    return Identity(employee=employee, workspace=workspace, newly_added=created)


def lock_people(session: Session, people: list[Employee]) -> None:
    """Make writes that count against these people's limits take turns until the caller commits.

    A limit is checked by counting what is already written; two requests at once would each count
    without the other.
    """
    take_turns(session, PEOPLE_LOCKS, (person.id for person in people))


def update_slack_profile(
    employee: Employee,
    *,
    name: str | None,
    email: str | None,
    tz: str | None,
    now: datetime,
    guest: bool | None = None,
) -> bool:
    """Fill what Slack knows and the directory does not; the directory's own values win. An email the org file does
    not give follows Slack's (HR's export names the one they use now); so does a time zone (someone who moved, or
    travels with Slack setting theirs), unless this server's time zone database does not know it (one newer than
    the database): the zone they had stays; whether they are a guest is always Slack's to say. True if it changed."""
    changed = False
    if guest is not None and employee.slack_guest is not guest:
        employee.slack_guest, changed = guest, True
    if name and not employee.in_directory and employee.name != name:
        employee.name, changed = name, True
    if email and (not employee.email or employee.email_from_slack) and employee.email != email:
        employee.email, employee.email_from_slack, changed = email, True, True
    if tz and is_time_zone(tz) and (not employee.tz or employee.tz_from_slack) and employee.tz != tz:
        employee.tz, employee.tz_from_slack, changed = tz, True, True
    if changed:
        employee.updated_at = now
    return changed


def profile_updated(session: Session, employee: Employee) -> None:
    """Every process's copy of this person is stale now (services/config_cache.py)."""
    bump(session, session.get_one(Workspace, employee.workspace_id))


NO_LONGER_ACTIVE = (
    "You are no longer active in Latitude's directory, so you can't do this any more. Nothing changed. "
    "If that is a mistake, ask HR to add you back to the org file."
)

GUEST_REFUSED = (
    "Slack shows you as a guest of this workspace, and HR's org file does not list you, so Latitude is not for you: "
    "such guests log no fixes, nominate nobody and get no pulse polls. If you work here, ask HR to add you to the "
    "org file (or your Slack admin to make you a member)."
)


INSTALLED = select(Workspace).where(Workspace.uninstalled_at.is_(None)).order_by(Workspace.id)
"""The workspaces the app is installed in: scheduled work runs for these only (an uninstalled one's would all go
out at once on a reinstall)."""


def installed_workspaces(session: Session) -> list[Workspace]:
    return list(session.scalars(INSTALLED))


def require_active(employee: Employee) -> None:
    """Someone who left the org file keeps their history and can read it, but acts no more."""
    if not employee.active:
        raise NotAllowed(NO_LONGER_ACTIVE)


def require_member(employee: Employee) -> None:
    """`require_active`, and no guest of the Slack workspace the org file leaves out: such a guest is no employee,
    with no limits to fix within and no place in recognition."""
    require_active(employee)
    if unlisted_guest(employee):
        raise NotAllowed(GUEST_REFUSED)


def unvetted(employee: Employee) -> bool:
    """Someone the org file does not list, whom Slack was never asked about: whether they are a guest is not known."""
    return not employee.in_directory and employee.slack_guest is None


def unlisted_guest(employee: Employee) -> bool:
    """A guest of the Slack workspace whom the org file does not list. One it lists is staff, whatever Slack calls
    them (an outsourced agent invited as a guest): HR wrote their limits down."""
    return bool(employee.slack_guest) and not employee.in_directory


def acts_as(employee: Employee, roles: tuple[str, ...]) -> bool:
    """Whether this person holds one of these roles now: someone who left holds none."""
    return employee.active and employee.role in roles


def managers_above(employee: Employee) -> list[Employee]:
    """Their manager, that one's manager, and so on up (a cycle in stored data ends the walk)."""
    chain, seen, current = [], {employee.id}, employee.manager
    while current is not None and current.id not in seen:
        chain.append(current)
        seen.add(current.id)
        current = current.manager
    return chain


def answers_to(person: Employee, boss: Employee) -> bool:
    """Whether `boss` is above `person` in the manager chain: nobody decides a request or approves a reward for
    someone they answer to, when anyone else can."""
    return any(above.id == boss.id for above in managers_above(person))


def not_answering_to(deciders: list[Employee], person: Employee) -> list[Employee]:
    """Those of `deciders` who do not report to `person`; when every one does, the first (nobody else can)."""
    return [decider for decider in deciders if not answers_to(decider, person)] or deciders[:1]


def direct_reports(session: Session, manager_id: int) -> list[Employee]:
    """A manager's active direct reports (the team an anonymous author hides in)."""
    return list(session.scalars(select(Employee).where(Employee.manager_id == manager_id, Employee.active)))


def all_reports(session: Session, manager: Employee) -> list[Employee]:
    """Everyone below a manager, direct and indirect, active or not."""
    level = select(Employee.id).where(Employee.manager_id == manager.id).cte("reports", recursive=True)
    level = level.union_all(select(Employee.id).where(Employee.manager_id == level.c.id))
    return list(session.scalars(select(Employee).where(Employee.id.in_(select(level.c.id))).order_by(Employee.name)))


def active_admins(session: Session, workspace: Workspace) -> list[Employee]:
    return list(
        session.scalars(
            select(Employee)
            .where(Employee.workspace_id == workspace.id, Employee.role == "admin", Employee.active)
            .order_by(Employee.name)
        )
    )
