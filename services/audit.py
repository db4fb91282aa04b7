"""The audit trail: who did what, when. Callers commit."""

from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Workspace


def record(
    session: Session,
    *,
    workspace: Workspace,
    actor: str,
    action: str,
    now: datetime,
    subject: str = "",
    details: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(
            workspace_id=workspace.id, actor=actor, action=action, subject=subject, details=details or {}, at=now
        )
    )


def recorded_since(session: Session, *, workspace: Workspace, actions: tuple[str, ...], moment: datetime) -> bool:
    """Whether one of `actions` was recorded for the workspace after `moment`."""
    since = select(AuditEvent.id).where(
        AuditEvent.workspace_id == workspace.id, AuditEvent.action.in_(actions), AuditEvent.at > moment
    )
    return session.scalar(since.limit(1)) is not None
