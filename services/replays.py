"""Replay protection: each signed request is acted on once while its signature is valid. Callers commit."""

from sqlalchemy import delete
from sqlalchemy.orm import Session

from models import SeenRequest
from services.rows import insert_unless_present

# slack_sdk's SignatureVerifier refuses a timestamp more than five minutes away from now; a minute
# more covers clock skew between the workers that share the table.
REMEMBER_SECONDS = 6 * 60


def first_sighting(session: Session, *, timestamp: int, signature: str) -> bool:
    """True the first time this (timestamp, signature) is seen, in any process sharing the database."""
    statement = insert_unless_present(session, SeenRequest, timestamp=timestamp, signature=signature)
    return session.connection().scalar(statement.returning(SeenRequest.timestamp)) is not None


def forget_expired(session: Session, *, now_epoch: int) -> int:
    """Drop what a replay could no longer use (its timestamp is stale); returns how many rows went."""
    result = session.execute(delete(SeenRequest).where(SeenRequest.timestamp < now_epoch - REMEMBER_SECONDS))
    return int(getattr(result, "rowcount", 0) or 0)
