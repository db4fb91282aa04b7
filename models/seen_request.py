"""Signed requests already let through: a captured request replayed while its signature is valid acts once."""

from sqlalchemy import BigInteger, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class SeenRequest(Base):
    """Keyed on what Slack signs: the request timestamp and the signature over it and the body.

    The timestamp (Unix seconds, as Slack sent it) is also the expiry: once it is older than the
    signature check accepts, a replay is refused as stale anyway and the row can go.
    """

    __tablename__ = "seen_requests"

    timestamp: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    signature: Mapped[str] = mapped_column(String(80), primary_key=True)
