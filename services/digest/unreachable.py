"""Managers Slack will not let Latitude message: a bot user named as a team's manager (`cannot_dm_bot`).

Slack refuses their digest every week the same way, so after its first refusal it is not queued again until the org
file is imported again (which may name a person in their place); HR hear of it once (handlers/request_refusals.py).
"""

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import AuditEvent, Delivery, Workspace
from services.digest.keys import digest_key_prefix, digests_prefix
from services.outbox_keys import UNDER_PREFIX, prefix_bounds
from services.unlisted import ORG_IMPORT

BOT_REFUSAL = "cannot_dm_bot"
_REFUSED = select(Delivery.idempotency_key, Delivery.created_at).where(
    *UNDER_PREFIX, Delivery.status == "failed", Delivery.last_error == BOT_REFUSAL
)


def without_refused(session: Session, workspace: Workspace, keys: dict[int, str]) -> dict[int, str]:
    """These digest keys (by manager), less those of managers whose digest Slack refused as a bot's since the last org
    import."""
    if not keys:
        return keys
    refused = refused_since_import(session, workspace)
    prefixes = tuple(digest_key_prefix(workspace, manager) for manager in refused)
    return {manager: key for manager, key in keys.items() if not key.startswith(prefixes)} if prefixes else keys


def refused_since_import(session: Session, workspace: Workspace) -> set[str]:
    """The Slack ids of the managers whose digest, queued since the last org import, Slack refused as a bot's."""
    rows = session.execute(_REFUSED, prefix_bounds(digests_prefix(workspace))).all()
    if not rows:
        return set()
    imported = _last_import(session, workspace)
    return {key.split(":")[2] for key, queued in rows if imported is None or queued >= imported}


def _last_import(session: Session, workspace: Workspace) -> datetime | None:
    query = select(func.max(AuditEvent.at)).where(
        AuditEvent.workspace_id == workspace.id, AuditEvent.action == ORG_IMPORT
    )
    return session.scalar(query)
