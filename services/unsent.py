"""Messages written to the outbox never to be sent: their keys still count and say what happened. Callers commit."""

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from models import Delivery
from services.rows import insert_new


def record_unsent(
    session: Session, *, workspace_id: int, key: str, method: str, payload: dict[str, Any], reason: str, now: datetime
) -> bool:
    """Write the message under `key` as given up for `reason` (another message says it instead): whatever numbers
    or reads the messages under a prefix (`outbox_series.count_under`, follow_ups.went_up) sees it as if sent, and no
    sender claims it. True when written, False when a message with this key exists."""
    row = {
        "workspace_id": workspace_id,
        "idempotency_key": key,
        "method": method,
        "payload": payload,
        "status": "failed",
        "last_error": reason,
        "attempts": 0,
        "next_attempt_at": now,
        "created_at": now,
    }
    return insert_new(session.connection(), Delivery, Delivery.id, row) is not None
