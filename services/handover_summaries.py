"""What became of the requests one hand-over summary told its reader of (the one DM for many requests handed to one
person at once): found from a request through the unsent DM the summary stood for, then counted. Reads only;
callers commit."""

from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Delivery, Employee, Resolution
from services.outbox_keys import UNDER_PREFIX, prefix_bounds


@dataclass(frozen=True)
class SummaryLeft:
    """Of the `told` requests a summary named, how many still wait on its reader, and how many are decided."""

    told: int
    waiting: int
    decided: int


def unsent_notes(session: Session, *, key_prefix: str, reason: str, note: str) -> list[str]:
    """The `note` each unsent message under `key_prefix` given up for `reason` carries (what stood in for it)."""
    query = select(Delivery.payload).where(*UNDER_PREFIX, Delivery.status == "failed", Delivery.last_error == reason)
    payloads = session.scalars(query, prefix_bounds(key_prefix))
    return list(dict.fromkeys(str(payload[note]) for payload in payloads if note in payload))


def payload_of(session: Session, *, key: str) -> dict[str, Any] | None:
    """What the message under exactly `key` was queued with, if one was."""
    return session.scalar(select(Delivery.payload).where(Delivery.idempotency_key == key))


def summary_left(session: Session, *, workspace_id: int, resolution_ids: list[int], reader: str) -> SummaryLeft:
    """How many of the requests still wait for `reader` (a Slack id): one decided no longer does, nor one handed on
    to someone else since."""
    query = (
        select(Resolution.status, Employee.slack_id)
        .outerjoin(Employee, Employee.id == Resolution.decider_id)
        .where(Resolution.workspace_id == workspace_id, Resolution.id.in_(resolution_ids))
    )
    rows = session.execute(query).all()
    waiting = sum(1 for status, decider in rows if status == "pending" and decider == reader)
    decided = sum(1 for status, _ in rows if status != "pending")
    return SummaryLeft(len(resolution_ids), waiting, decided)
