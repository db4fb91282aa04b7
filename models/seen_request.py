"""Signed requests already let through: a captured request replayed while its signature is valid acts once."""

from sqlalchemy import BigInteger, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class SeenRequest(Base):
    """Keyed on what Slack signs: the request timestamp and the signature over it and the body.

    The timestamp (Unix seconds, as Slack sent it) is also the expiry: once it is older than the
    signature check accepts, a replay is refused as stale anyway and the row can go. `passes` counts the times the
    request was let through, `failures` those the app answered with a 5xx: it is let through again only while every
    pass failed, as often as Slack tries an event (services/replays.py).
    """

    __tablename__ = "seen_requests"

    timestamp: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    signature: Mapped[str] = mapped_column(String(80), primary_key=True)
    passes: Mapped[int] = mapped_column(Integer, server_default="1")
    failures: Mapped[int] = mapped_column(Integer, server_default="0")
