"""The flag a workspace row keeps while Slack refuses one of the app's tabs (Home, Messages): when it was marked off,
cleared when the tab is found on again. services/home_tab.py and services/messages_tab.py say what each one means."""

from datetime import datetime
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import InstrumentedAttribute, Session

from models import Workspace


def clear(
    session: Session,
    flag: InstrumentedAttribute[datetime | None],
    *,
    workspace_ids: set[int],
    sent_from: datetime | None,
    also: dict[str, Any] | None = None,
) -> list[int]:
    """Those of these workspaces whose `flag` is set are on again (setting `also` too); with `sent_from`, only those
    marked before it: what was on its way when the tab was turned off may have been taken by Slack."""
    if not workspace_ids:
        return []
    since = flag < sent_from if sent_from is not None else flag.is_not(None)
    statement = (
        update(Workspace)
        .where(Workspace.id.in_(workspace_ids), since)
        .values({flag.key: None, **(also or {})})
        .returning(Workspace.id)
        .execution_options(synchronize_session=False)
    )
    return sorted(session.scalars(statement))


def marked_among(
    session: Session, flag: InstrumentedAttribute[datetime | None], *, workspace_ids: set[int]
) -> set[int]:
    """Which of these workspaces have `flag` set, as things stand."""
    if not workspace_ids:
        return set()
    return set(session.scalars(select(Workspace.id).where(Workspace.id.in_(workspace_ids), flag.is_not(None))))
