"""Replay protection: each signed request is acted on once while its signature is valid. Callers commit."""

from sqlalchemy import Connection, delete

from models import SeenRequest
from services.rows import insert_new

# slack_sdk's SignatureVerifier refuses a timestamp more than five minutes away from now; a minute
# more covers clock skew between the workers that share the table.
REMEMBER_SECONDS = 6 * 60


def first_sighting(connection: Connection, *, timestamp: int, signature: str) -> bool:
    """True the first time this (timestamp, signature) is seen, in any process sharing the database.

    Every request pays for this, so it is one Core statement on a plain connection, no ORM session.
    """
    row = {"timestamp": timestamp, "signature": signature}
    return insert_new(connection, SeenRequest, SeenRequest.timestamp, row) is not None


def forget_expired(connection: Connection, *, now_epoch: int) -> int:
    """Drop what a replay could no longer use (its timestamp is stale); returns how many rows went."""
    result = connection.execute(delete(SeenRequest).where(SeenRequest.timestamp < now_epoch - REMEMBER_SECONDS))
    return int(result.rowcount or 0)
