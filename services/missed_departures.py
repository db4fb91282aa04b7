"""Catching up on what Slack's `user_change` events said and the app never heard (an outage longer than Slack's
retries, which end about 5 minutes on): each workspace installed on its own has its people listed whole once a day,
and whoever Slack shows deactivated while active here, or back while deactivated here by Slack, is followed as their
event would have been (services/departures.py). Callers commit.

An org-wide install is left out: its people span workspaces an org admin adds and removes, which it learns by the
events of their own (handlers/org_access.py); a workspace migrating into a Grid org waits until it is done.
"""

from datetime import datetime, timedelta

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Employee, Workspace

EVERY = timedelta(days=1)
"""How often each workspace's people are listed: Slack limits `users.list` (Tier 2, about 20 pages a minute)."""


def due_for_listing(session: Session, *, now: datetime) -> list[int]:
    """The ids of the workspaces installed on their own whose people were not listed within `EVERY`."""
    return list(
        session.scalars(
            select(Workspace.id)
            .where(Workspace.uninstalled_at.is_(None), Workspace.org_wide.is_(False))
            .where(Workspace.migrating_since.is_(None))
            .where(or_(Workspace.people_listed_at.is_(None), Workspace.people_listed_at <= now - EVERY))
            .order_by(Workspace.id)
        )
    )


def out_of_step(session: Session, *, workspace: Workspace, deactivated: dict[str, bool]) -> list[str]:
    """Those of the listing (Slack id -> whether Slack shows them deactivated) whom the directory has in the other
    state: active here and deactivated in Slack, or deactivated here by Slack (not by HR) and active in Slack."""
    rows = session.execute(
        select(Employee.slack_id, Employee.active).where(
            Employee.workspace_id == workspace.id, or_(Employee.active, Employee.left_slack_at.is_not(None))
        )
    )
    return sorted(slack_id for slack_id, active in rows if deactivated.get(slack_id, not active) is active)


def listed(session: Session, *, workspace_id: int, now: datetime) -> None:
    """Its people were listed whole: the next listing is due `EVERY` on."""
    workspace = session.get(Workspace, workspace_id)
    if workspace is not None:
        workspace.people_listed_at = now
        session.flush()
