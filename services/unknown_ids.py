"""Slack ids of the org file that Slack has nobody of in their workspace: a mistyped id, or one of another workspace.

Slack refuses every Home published to such an id, and nothing the app does changes that: only a corrected org file
does. Once Slack confirms it (`users.info`: `user_not_found`), the id is remembered in the audit trail
(`SLACK_ID_UNKNOWN`, subject: the id) until the next org import, and no Home is published to it meanwhile. Callers
commit.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Workspace
from services import audit
from services.unlisted import last_import

SLACK_ID_UNKNOWN = "org.slack_id_unknown"
"""Audited when Slack confirms it has nobody of an org-file Slack id in the workspace (subject: the id)."""


def unknown_since_import(session: Session, workspace: Workspace) -> set[str]:
    """The org-file Slack ids Slack has confirmed it has nobody of in the workspace since its last org import."""
    query = select(AuditEvent.subject).where(
        AuditEvent.workspace_id == workspace.id, AuditEvent.action == SLACK_ID_UNKNOWN
    )
    imported = last_import(session, workspace.id)
    if imported is not None:
        query = query.where(AuditEvent.at >= imported)
    return set(session.scalars(query))


def remember_unknown(session: Session, workspace: Workspace, slack_ids: set[str], *, now: datetime) -> set[str]:
    """Slack has nobody of these ids in the workspace: remembered until the next org import (once each). Returns every
    id remembered so since that import, these included."""
    known = unknown_since_import(session, workspace)
    for slack_id in sorted(slack_ids - known):
        audit.record(session, workspace=workspace, actor="slack", action=SLACK_ID_UNKNOWN, subject=slack_id, now=now)
    return known | slack_ids
