"""The outbox keys of a manager's digests, and which of them were queued already."""

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Delivery, Workspace
from services.digest.org import Person
from services.digest.week import send_week

LAST = ":last"
"""Ends the key of a former manager's last digest (services/digest/former.py): no digest of the week it is sent in."""


def digest_key(workspace: Workspace, manager: Person, now: datetime) -> str:
    return f"{digest_key_prefix(workspace, manager.slack_id)}{send_week(now, manager.tz)}"


def digest_key_prefix(workspace: Workspace, manager_slack_id: str) -> str:
    """The start of every outbox key of one manager's digests (each week's, and forced ones)."""
    return f"{digests_prefix(workspace)}{manager_slack_id}:"


def digests_prefix(workspace: Workspace) -> str:
    """The start of every outbox key of the workspace's digests: `digest:<team>:<manager>:<week>...`."""
    return f"digest:{workspace.slack_team_id}:"


def queued_keys(session: Session, keys: Sequence[str]) -> set[str]:
    """Which of these outbox keys exist already (in chunks, to keep each IN list short)."""
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        found.update(session.scalars(select(Delivery.idempotency_key).where(Delivery.idempotency_key.in_(chunk))))
    return found
