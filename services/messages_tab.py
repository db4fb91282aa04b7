"""Whether Slack delivers a workspace's DMs: with the app's Messages tab off it refuses every one. Callers commit.

The workspace row remembers it (`dms_off_since`), so every process and every restart agree: no DM is sent there
while it is off, but one try every `RETRY_AFTER` (`dms_retry_at`), claimed by one sender alone, which finds out it
was turned back on; a person opening the Messages tab says so too.
"""

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Workspace

RETRY_AFTER = timedelta(minutes=10)


def mark_off(session: Session, *, workspace_id: int, now: datetime) -> bool:
    """Slack refused a DM because the Messages tab is off; True for whoever learned it first (to warn once)."""
    statement = (
        update(Workspace)
        .where(Workspace.id == workspace_id, Workspace.dms_off_since.is_(None))
        .values(dms_off_since=now, dms_retry_at=now + RETRY_AFTER)
        .execution_options(synchronize_session=False)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def mark_on(session: Session, *, workspace_ids: set[int], sent_from: datetime | None = None) -> list[int]:
    """A DM went through (or someone opened the Messages tab): those of these workspaces marked off are on again;
    with `sent_from` (when the DM was taken to send), only those marked off before it: Slack may have delivered a DM
    on its way when the flag was set before the tab was turned off."""
    if not workspace_ids:
        return []
    since = Workspace.dms_off_since < sent_from if sent_from is not None else Workspace.dms_off_since.is_not(None)
    statement = (
        update(Workspace)
        .where(Workspace.id.in_(workspace_ids), since)
        .values(dms_off_since=None, dms_retry_at=None)
        .returning(Workspace.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(session.scalars(statement))


def off_among(session: Session, *, workspace_ids: set[int]) -> set[int]:
    """Which of these workspaces' DMs Slack refuses as things stand."""
    query = select(Workspace.id).where(Workspace.id.in_(workspace_ids), Workspace.dms_off_since.is_not(None))
    return set(session.scalars(query))


def take_retry(session: Session, *, workspace_id: int, now: datetime) -> bool:
    """Whether this sender tries one DM now to find the tab turned back on: due every `RETRY_AFTER`, one sender's."""
    statement = (
        update(Workspace)
        .where(Workspace.id == workspace_id, Workspace.dms_off_since.is_not(None), Workspace.dms_retry_at <= now)
        .values(dms_retry_at=now + RETRY_AFTER)
        .execution_options(synchronize_session=False)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]
