"""Catching up on what Slack's `user_change` events said and the app never heard (an outage longer than Slack's
retries, which end about 5 minutes on): each install has its people listed whole once a day, and whoever Slack shows
deactivated while active here, or back while deactivated here by Slack, is followed as their event would have been
(services/departures.py). Callers commit.

An org-wide install's people span the workspaces of its Grid org an org admin added it to: each of those is listed
(`teams_to_list`), and the install counts as listed once all of them were. Who works only in a workspace Slack removed
from it is no deactivation: the removal's own event follows that (handlers/org_access.py). A workspace migrating into
a Grid org waits until it is done.
"""

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Employee, Workspace
from services.org_takeover import granted_teams

EVERY = timedelta(days=1)
"""How often each workspace's people are listed: Slack limits `users.list` (Tier 2, about 20 pages a minute)."""


def due_for_listing(session: Session, *, now: datetime) -> list[int]:
    """The ids of the installs (of a workspace, or org-wide) whose people were not listed within `EVERY`."""
    return list(
        session.scalars(
            select(Workspace.id)
            .where(Workspace.uninstalled_at.is_(None), Workspace.migrating_since.is_(None))
            .where(or_(Workspace.people_listed_at.is_(None), Workspace.people_listed_at <= now - EVERY))
            .order_by(Workspace.id)
        )
    )


def teams_to_list(session: Session, *, workspace_id: int) -> list[str] | None:
    """The workspaces of the org whose people an org-wide install lists one by one (`users.list` refuses an org token
    naming none) as Slack told of them: added to and not removed from since (the listing adds those `auth.teams.list`
    names, a workspace added while the app was down); None for a workspace's own install, whose token lists its own."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is None or not workspace.org_wide:
        return None
    return sorted(granted_teams(session, workspace))


def out_of_step(session: Session, *, workspace: Workspace, deactivated: dict[str, bool]) -> list[str]:
    """Those of the listing (Slack id -> whether Slack shows them deactivated) whom the directory has in the other
    state: active here and deactivated in Slack, or deactivated here by Slack (not by HR) and active in Slack."""
    rows = session.execute(
        select(Employee.slack_id, Employee.active).where(
            Employee.workspace_id == workspace.id, or_(Employee.active, Employee.left_slack_at.is_not(None))
        )
    )
    return sorted(slack_id for slack_id, active in rows if deactivated.get(slack_id, not active) is active)


def not_read_yet(session: Session, *, workspace: Workspace, stale: list[str], now: datetime) -> list[str]:
    """Of those out of step, whom no read has left as they were since this listing began (the last one ended, within
    `EVERY`): someone a read left out of step (removed from every workspace an org-wide install reaches, still in the
    org) is read once a listing, not at every tick, so that the others are all read within a few ticks. Someone a read
    changed is read again whenever a listing finds them out of step (a later change whose event was lost too)."""
    since = max(filter(None, [workspace.people_listed_at, now - EVERY]))
    rows = session.execute(
        select(Employee.slack_id, Employee.slack_checked_at).where(
            Employee.workspace_id == workspace.id, Employee.slack_id.in_(stale)
        )
    )
    read = {slack_id for slack_id, at in rows if at is not None and at > since}
    return [slack_id for slack_id in stale if slack_id not in read]


def standing(session: Session, *, workspace_id: int, slack_id: str) -> tuple[bool, datetime | None] | None:
    """Whether the directory has them active, and since when Slack shows them gone; None for someone it lacks."""
    row = session.execute(
        select(Employee.active, Employee.left_slack_at).where(
            Employee.workspace_id == workspace_id, Employee.slack_id == slack_id
        )
    ).first()
    return None if row is None else (row[0], row[1])


def read_again(session: Session, *, workspace_id: int, slack_id: str, now: datetime, changed: bool) -> None:
    """Slack answered a read of how it shows them, to catch up on a listing: one that left them as they were is not
    read again until the next listing; one that changed them may be, should the listing still find them out of step."""
    employee = session.scalars(
        select(Employee).where(Employee.workspace_id == workspace_id, Employee.slack_id == slack_id)
    ).first()
    if employee is not None:
        employee.slack_checked_at = None if changed else now
        session.flush()


def listed(session: Session, *, workspace_id: int, now: datetime) -> None:
    """Its people were listed whole: the next listing is due `EVERY` on."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is not None:
        workspace.people_listed_at = now
        session.flush()
