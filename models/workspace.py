"""A Slack workspace (team): the scope of every other row."""

from datetime import datetime

from sqlalchemy import Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime


class Workspace(Base):
    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    config_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Bumped in the same transaction as an org import, a policy load or a profile update: every process
    compares it with the copies it keeps of people and the policy (services/config_cache.py)."""
