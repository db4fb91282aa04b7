"""The audit trail: who did what, when. Callers commit."""

from datetime import datetime
from typing import Any

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
