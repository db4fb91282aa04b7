"""DMs to someone anonymous that belong to no pulse round (an error told to an anonymous suggestion's author, which
Slack asked to wait for): they wait in the outbox with their recipient sealed, under one key prefix, and are deleted,
sent or not, once `KEPT` old. A round's anonymous DMs go with its seal (services/pulse/rounds.py); these have no
round to end with, and a row kept longer would keep who was told something just as an anonymous idea arrived.
Callers commit."""

from datetime import datetime, timedelta

from sqlalchemy import bindparam, delete
from sqlalchemy.orm import Session

from models import Delivery, Workspace
from services.outbox_keys import UNDER_PREFIX, prefix_bounds

KEPT = timedelta(hours=1)
"""Far longer than Slack asks to wait (a rate limit's Retry-After is seconds), short enough to tie nobody to an idea
for long; the `forget_anonymous_dms` tick runs every few minutes, so a row is gone within minutes after."""
PREFIX = "anonymous-dm:"

_FORGET_OLD = (
    delete(Delivery)
    .where(*UNDER_PREFIX, Delivery.created_at < bindparam("before"))
    .execution_options(synchronize_session=False)
)


def key_prefix(workspace: Workspace) -> str:
    return f"{PREFIX}{workspace.slack_team_id}:"


def forget_old(session: Session, *, now: datetime) -> int:
    """Delete, sent or not, every such DM queued more than `KEPT` ago; returns how many went."""
    result = session.execute(_FORGET_OLD, {**prefix_bounds(PREFIX), "before": now - KEPT})
    return int(result.rowcount)  # type: ignore[attr-defined]
