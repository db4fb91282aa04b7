"""Whether Slack takes a workspace's Homes: with the app's Home tab off it refuses every one. Callers commit.

The workspace row remembers it (`homes_off_since`), so that no process queues a Home there to publish again while it
is off; someone opening the Home tab shows it is on again.
"""

from datetime import datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from models import Workspace


def mark_off(session: Session, *, workspace_ids: set[int], now: datetime) -> list[int]:
    """Slack refused a Home because the Home tab is off: those of these workspaces not marked before (to warn once)."""
    if not workspace_ids:
        return []
    statement = (
        update(Workspace)
        .where(Workspace.id.in_(workspace_ids), Workspace.homes_off_since.is_(None))
        .values(homes_off_since=now)
        .returning(Workspace.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(session.scalars(statement))


def mark_on(session: Session, *, workspace_id: int) -> bool:
    """Someone opened the Home tab: it is on; True when the workspace was marked off."""
    statement = (
        update(Workspace)
        .where(Workspace.id == workspace_id, Workspace.homes_off_since.is_not(None))
        .values(homes_off_since=None)
        .execution_options(synchronize_session=False)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]
