"""Whether Slack delivers a workspace's DMs: with the app's Messages tab off it refuses every one. Callers commit.

The workspace row remembers it (`dms_off_since`), so every process and every restart agree: no DM is sent there
while it is off, but one try every `RETRY_AFTER` (`dms_retry_at`), claimed by one sender alone, which finds out it
was turned back on; a person opening the Messages tab says so too.
"""

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import not_, select, update
from sqlalchemy.orm import Session

from models import Delivery, Workspace
from services import tab_flags
from services.outbox import NOT_SERVED_NOW

RETRY_AFTER = timedelta(minutes=10)
TAB_ON_AGAIN = "messages-tab-on:"
"""The DMs telling HR and admins the Messages tab is on again: queued (again) at each try due, so a workspace with no
other DM due has one to try, and delivered only once Slack takes one."""


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
    flag, also = Workspace.dms_off_since, {"dms_retry_at": None}
    return tab_flags.clear(session, flag, workspace_ids=workspace_ids, sent_from=sent_from, also=also)


def off_among(session: Session, *, workspace_ids: set[int]) -> set[int]:
    """Which of these workspaces' DMs Slack refuses as things stand."""
    return tab_flags.marked_among(session, Workspace.dms_off_since, workspace_ids=workspace_ids)


def take_retry(session: Session, *, workspace_id: int, now: datetime) -> bool:
    """Whether this sender tries one DM now to find the tab turned back on: due every `RETRY_AFTER`, one sender's."""
    statement = (
        update(Workspace)
        .where(Workspace.id == workspace_id, Workspace.dms_off_since.is_not(None), Workspace.dms_retry_at <= now)
        .values(dms_retry_at=now + RETRY_AFTER)
        .execution_options(synchronize_session=False)
    )
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def tries_due(session: Session, *, now: datetime) -> list[Workspace]:
    """The workspaces served now (installed, not migrating: none of their DMs is sent meanwhile) marked off whose try
    is due: one with no DM due would stay marked off till one is."""
    query = select(Workspace).where(
        Workspace.dms_off_since.is_not(None), Workspace.dms_retry_at <= now, not_(NOT_SERVED_NOW)
    )
    return list(session.scalars(query.order_by(Workspace.id)))


def try_again_now(session: Session, *, workspace_ids: set[int], sent_from: datetime, now: datetime) -> None:
    """The try Slack refused because of its reader (a bot user, a deactivated account) says nothing of the tab: the
    next DM due there is tried, not given up until the next period."""
    if not workspace_ids:
        return
    statement = (
        update(Workspace)
        .where(Workspace.id.in_(workspace_ids), Workspace.dms_off_since < sent_from)
        .values(dms_retry_at=now)
        .execution_options(synchronize_session=False)
    )
    session.execute(statement)


def queue_again(session: Session, *, keys: Sequence[str], given_up_as: Sequence[str], now: datetime) -> int:
    """Make due now the messages under these keys given up as `given_up_as` says (unsent while the tab was off), which
    their key would otherwise keep from being queued again; how many."""
    if not keys:
        return 0
    statement = (
        update(Delivery)
        .where(Delivery.idempotency_key.in_(keys), Delivery.status == "failed", Delivery.last_error.in_(given_up_as))
        .values(status="pending", attempts=0, last_error=None, next_attempt_at=now)
        .execution_options(synchronize_session=False)
    )
    return int(session.execute(statement).rowcount)  # type: ignore[attr-defined]
