"""The order Slack sent its events about one thing in (a Grid migration, the workspaces of an org-wide install), which
the app's own late try of one must follow: the change it records is dated when it runs, after changes Slack sent
later. So each such change is recorded with when Slack sent it and when its delivery reached the app."""

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Workspace


@dataclass(frozen=True)
class Sent:
    """One of Slack's events as the app heard it: its id, when Slack sent it (`event_time`, whole seconds on Slack's
    clock; None when missing) and when its delivery reached the app (on the app's clock), which orders two sent
    within the same second."""

    event_id: str
    event_time: int | None
    received_at: datetime

    def details(self) -> dict[str, Any]:
        return {"event_id": self.event_id, "event_time": self.event_time, "received_at": self.received_at.isoformat()}


def recorded_after(session: Session, *, workspace: Workspace, actions: tuple[str, ...], sent: Sent) -> list[AuditEvent]:
    """The changes among `actions` recorded for the workspace that came after the event `sent`, oldest first."""
    rows = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.workspace_id == workspace.id, AuditEvent.action.in_(actions))
        .order_by(AuditEvent.id)
    )
    return [row for row in rows if _after(row, sent)]


def slacks(row: AuditEvent) -> bool:
    """Whether the change recorded is one Slack sent (dated by Slack), not the app's own."""
    details = row.details or {}
    return isinstance(details.get("event_time"), int) and isinstance(details.get("received_at"), str)


def _after(row: AuditEvent, sent: Sent) -> bool:
    """One of Slack's changes by when Slack sent it, then by arrival; the app's own (an install made again, a migration
    seen finished) by when it was recorded, against when `sent` was sent or, the two clocks may differ, arrived. The
    event itself, recorded by an earlier run of it, counts as after: it is done."""
    details = row.details or {}
    if sent.event_id and details.get("event_id") == sent.event_id:
        return True
    event_time, received = details.get("event_time"), details.get("received_at")
    if isinstance(event_time, int) and isinstance(received, str) and sent.event_time is not None:
        return (event_time, datetime.fromisoformat(received)) > (sent.event_time, sent.received_at)
    sent_before = sent.event_time is not None and row.at.timestamp() > sent.event_time
    return sent_before or row.at > sent.received_at
