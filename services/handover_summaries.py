"""What became of the requests and reward nominations one hand-over summary told its reader of (the one DM for many
handed to one person at once): found from a request or nomination through the unsent DM the summary stood for, then
counted. Reads only; callers commit."""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import InstrumentedAttribute, Session

from models import Delivery, Employee, Nomination, Resolution
from services.outbox_keys import UNDER_PREFIX, prefix_bounds


@dataclass(frozen=True)
class SummaryLeft:
    """Of the requests and nominations a summary named (`told`, by kind: "resolution", "nomination"), how many of
    each still wait on its reader, and how many in all are decided."""

    told: dict[str, int]
    waiting: dict[str, int]
    decided: int


def unsent_notes(session: Session, *, key_prefix: str, reason: str, note: str) -> list[str]:
    """The `note` each unsent message under `key_prefix` given up for `reason` carries (what stood in for it)."""
    query = select(Delivery.payload).where(*UNDER_PREFIX, Delivery.status == "failed", Delivery.last_error == reason)
    return notes_in(session.scalars(query, prefix_bounds(key_prefix)), note=note)


def notes_in(payloads: Iterable[dict[str, Any]], *, note: str) -> list[str]:
    """The `note` each of these messages' payloads carries, once each."""
    return list(dict.fromkeys(str(payload[note]) for payload in payloads if note in payload))


def payload_of(session: Session, *, key: str) -> dict[str, Any] | None:
    """What the message under exactly `key` was queued with, if one was."""
    return session.scalar(select(Delivery.payload).where(Delivery.idempotency_key == key))


def still_here(session: Session, *, workspace_id: int, reader: str) -> bool:
    """Whether the summary's reader (a Slack id) is still an active member of the workspace."""
    found = select(Employee.id).where(
        Employee.workspace_id == workspace_id, Employee.slack_id == reader, Employee.active.is_(True)
    )
    return session.scalar(found) is not None


def summary_left(session: Session, *, workspace_id: int, told: dict[str, list[int]], reader: str) -> SummaryLeft:
    """How many of the requests and nominations (ids by kind) still wait for `reader` (a Slack id): one decided no
    longer does (a nomination approved, declined, or approved then revoked), nor one handed on to someone else since."""
    states = {
        "resolution": _states(session, Resolution, Resolution.decider_id, workspace_id, told.get("resolution", [])),
        "nomination": _states(session, Nomination, Nomination.approver_id, workspace_id, told.get("nomination", [])),
    }
    waiting = {
        kind: sum(1 for status, decider in rows if status == "pending" and decider == reader)
        for kind, rows in states.items()
    }
    decided = sum(1 for rows in states.values() for status, _ in rows if status != "pending")
    return SummaryLeft({kind: len(ids) for kind, ids in told.items()}, waiting, decided)


def _states(
    session: Session,
    model: type[Resolution] | type[Nomination],
    waits_on: InstrumentedAttribute[int | None],
    workspace_id: int,
    ids: list[int],
) -> list[tuple[str, str | None]]:
    """Each one's status and the Slack id of whom it waits on (decider or approver)."""
    if not ids:
        return []
    query = (
        select(model.status, Employee.slack_id)
        .outerjoin(Employee, Employee.id == waits_on)
        .where(model.workspace_id == workspace_id, model.id.in_(ids))
    )
    return [(status, decider) for status, decider in session.execute(query).all()]
