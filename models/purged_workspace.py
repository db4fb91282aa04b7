"""A workspace whose data was purged: only its id and when, so that purging it again is told from a mistyped id."""

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime


class PurgedWorkspace(Base):
    """Kept after every row of the workspace is gone; none of its people or content. A workspace installed again
    after its purge is a `Workspace` again, and this row says only when its earlier data went."""

    __tablename__ = "purged_workspaces"

    slack_team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    purged_at: Mapped[datetime] = mapped_column(UTCDateTime())
