"""Managers Slack will not let Latitude message: a bot user named as a team's manager (`cannot_dm_bot`).

Slack refuses their digest every week the same way, so after its first refusal it is not queued again until the org
file is imported again (which may name a person in their place); HR hear of it once (handlers/request_refusals.py).
The refusal is remembered in the audit trail (`DIGEST_REFUSED`), which outbox retention does not reach: the failed
digest itself goes after a few weeks (services/outbox_retention.py), and with it would go the reason not to try again.
"""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AuditEvent, Delivery, Workspace
from services import audit
from services.digest.keys import digest_key_prefix, digests_prefix
from services.outbox_keys import UNDER_PREFIX, prefix_bounds
from services.unlisted import last_import

BOT_REFUSAL = "cannot_dm_bot"
DIGEST_REFUSED = "digest.refused_bot"
"""Audited at a manager's digest's refusal as a bot's (subject: the manager's Slack id)."""
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


def remember_refused(session: Session, workspace: Workspace, manager: str, *, now: datetime) -> None:
    """Slack refused this manager's digest as a bot's: not queued again until the next org import."""
    audit.record(session, workspace=workspace, actor="slack", action=DIGEST_REFUSED, subject=manager, now=now)


def refused_since_import(session: Session, workspace: Workspace) -> set[str]:
    """The Slack ids of the managers whose digest Slack refused as a bot's since the last org import (audited, or a
    failed digest queued since then, as recorded before the audit)."""
    imported = last_import(session, workspace.id)
    audited = select(AuditEvent.subject).where(
        AuditEvent.workspace_id == workspace.id, AuditEvent.action == DIGEST_REFUSED
    )
    if imported is not None:
        audited = audited.where(AuditEvent.at >= imported)
    refused = set(session.scalars(audited))
    rows = session.execute(_REFUSED, prefix_bounds(digests_prefix(workspace))).all()
    return refused | {key.split(":")[2] for key, queued in rows if imported is None or queued >= imported}


def already_there(session: Session, keys: list[str]) -> set[str]:
    """Those of these outbox keys queued already (HR told under a key of an older form, say)."""
    query = select(Delivery.idempotency_key).where(Delivery.idempotency_key.in_(keys))
    return set(session.scalars(query)) if keys else set()
