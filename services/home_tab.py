"""Whether Slack takes a workspace's Homes: with the app's Home tab off it refuses every one. Callers commit.

The workspace row remembers it (`homes_off_since`), so that no process queues a Home there to publish again while it
is off. Someone opening the Home tab, or a Home Slack took, shows it is on again. Slack answers a Home some time after
the sender took it: a refusal says the tab was off when it was sent, so it marks the tab off only if nobody opened it
since the Home was taken; a Home taken after the mark and published clears it.
"""

from datetime import datetime, timedelta

from sqlalchemy import bindparam, exists, inspect, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from models import Employee, Workspace
from services import tab_flags
from services.config_cache import put_once_committed

OPENING_NOTED_EVERY = timedelta(minutes=10)
_NOTE_OPENING = (
    update(Employee)
    .where(Employee.id == bindparam("person_id"))
    .values(home_opened_at=bindparam("opened_at"))
    .execution_options(synchronize_session=False)
)


def mark_off(session: Session, *, workspace_ids: set[int], taken_at: datetime, now: datetime) -> list[int]:
    """Slack refused a Home taken at `taken_at` because the Home tab is off: those of these workspaces not marked
    before (to warn once), and where nobody opened the Home tab since (it was on then)."""
    if not workspace_ids:
        return []
    opened_since = exists().where(Employee.workspace_id == Workspace.id, Employee.home_opened_at >= taken_at)
    statement = (
        update(Workspace)
        .where(Workspace.id.in_(workspace_ids), Workspace.homes_off_since.is_(None), ~opened_since)
        .values(homes_off_since=now)
        .returning(Workspace.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(session.scalars(statement))


def mark_on(session: Session, *, workspace_ids: set[int], sent_from: datetime | None = None) -> list[int]:
    """The Home tab is on (opened, or Slack took a Home): those of these workspaces marked off are no longer. With
    `sent_from` (when the Home Slack took was taken to send), only those marked before it: one on its way when the
    tab was turned off may have been taken by Slack before."""
    return tab_flags.clear(session, Workspace.homes_off_since, workspace_ids=workspace_ids, sent_from=sent_from)


def opened(session: Session, *, workspace: Workspace, person: Employee, now: datetime) -> bool:
    """`person` opened the Home tab: it is on; True when the workspace was marked off. The opening is written once
    per `OPENING_NOTED_EVERY` at most: a Home opened is otherwise a read alone (on SQLite, a write would hold every
    other writer while the Home renders). A refusal comes within a batch's lease of its taking, so an opening noted
    earlier than that may, at worst, let a stale refusal mark the tab off until the next opening."""
    if opening_due(person, now):
        _note_opening(session, person, now)
        put_once_committed(session, "employee", workspace, person.slack_id, person)  # or each opening writes
    if workspace.homes_off_since is None:
        return False
    session.flush()  # the person's row before the workspace's, in the order an org import locks them
    return bool(mark_on(session, workspace_ids={workspace.id}))


def opening_due(person: Employee, now: datetime) -> bool:
    """Whether this opening of the person's Home is to be noted: none was for `OPENING_NOTED_EVERY`."""
    return person.home_opened_at is None or now - person.home_opened_at >= OPENING_NOTED_EVERY


def _note_opening(session: Session, person: Employee, now: datetime) -> None:
    """One UPDATE of the column, sent now, rather than the person's row flushed through the unit of work before the
    Home's first read (which cost more than the statement); a person not yet written is written as any other row."""
    if not inspect(person).persistent:
        person.home_opened_at = now
        return
    session.execute(_NOTE_OPENING, {"person_id": person.id, "opened_at": now})
    set_committed_value(person, "home_opened_at", now)


def off_among(session: Session, *, workspace_ids: set[int]) -> set[int]:
    """Which of these workspaces are marked with the Home tab off, as things stand."""
    return tab_flags.marked_among(session, Workspace.homes_off_since, workspace_ids=workspace_ids)
