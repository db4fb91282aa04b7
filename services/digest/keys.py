"""The outbox keys of a manager's digests, and which of them were queued lately."""

from collections.abc import Iterable
from datetime import datetime, timedelta

from sqlalchemy import bindparam, select
from sqlalchemy.orm import Session

from models import Delivery, Workspace
from services.digest.org import Person
from services.digest.week import send_week
from services.outbox_keys import UNDER_PREFIX, prefix_bounds

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


LATELY = timedelta(weeks=3)
"""Longer than any local week reaches back from now, the week before included, in every time zone."""
_QUEUED_LATELY = select(Delivery.idempotency_key).where(*UNDER_PREFIX, Delivery.created_at >= bindparam("since"))


def queued_lately(session: Session, workspace: Workspace, now: datetime) -> set[str]:
    """The keys of the workspace's digests queued in the last `LATELY`: any this week's or last week's digest can have
    (each is queued in the week its key names). One range of the key's index, read whatever the workspace's size: it
    holds the digests of its managers, not a key to look up for each person who might have been one."""
    keys = session.scalars(_QUEUED_LATELY, {**prefix_bounds(_workspace_prefix(workspace)), "since": now - LATELY})
    return set(keys)


def readers(workspace: Workspace, keys: Iterable[str]) -> set[str]:
    """The Slack ids of whoever these digest keys (of the workspace) were for."""
    prefix = _workspace_prefix(workspace)
    return {key[len(prefix) :].split(":", 1)[0] for key in keys}


def _workspace_prefix(workspace: Workspace) -> str:
    return f"digest:{workspace.slack_team_id}:"


_READERS_SINCE = select(Delivery).where(
    *UNDER_PREFIX, Delivery.method == "chat.postMessage", Delivery.created_at >= bindparam("since")
)


def digests_since(session: Session, workspace: Workspace, reader: str, since: datetime) -> list[Delivery]:
    """The digests queued for `reader` (a Slack id) since `since`, sent or not: those that may list what was asked
    then (a digest lists only what waits when it is queued). One range of the key's index per reader."""
    bounds = prefix_bounds(digest_key_prefix(workspace, reader))
    return list(session.scalars(_READERS_SINCE, {**bounds, "since": since}))
