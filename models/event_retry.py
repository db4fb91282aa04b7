"""An event whose listener has not finished yet, kept so that the app can run it again itself.

Slack sends an event once the ack is given, and the ack is given before the listener runs: a listener that fails
(the database restarting) would otherwise leave the event undone for good.
The row is written with the event id as handled and deleted when the listener is done, or given up. The body holds
what Slack sent but its verification token, and of a `user_change` the person's ids, not their profile (the app's try
asks Slack for it afresh); `received_at`, when Slack's delivery arrived, orders two events Slack sent within a second.
"""

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, CheckConstraint, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime


class EventRetry(Base):
    __tablename__ = "event_retries"
    __table_args__ = (CheckConstraint("attempts >= 0", name="attempts"),)

    event_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    event_type: Mapped[str] = mapped_column(String(64))
    body: Mapped[dict[str, Any]] = mapped_column(JSON)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime())
