"""The org directory: teams and employees, with their role and manager."""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime

ROLES = ("frontline", "manager", "hr", "admin")


class Team(Base):
    __tablename__ = "teams"
    __table_args__ = (UniqueConstraint("workspace_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))


class Employee(Base):
    __tablename__ = "employees"
    __table_args__ = (
        UniqueConstraint("workspace_id", "slack_id"),
        CheckConstraint("role IN ('frontline', 'manager', 'hr', 'admin')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    slack_id: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(320))
    role: Mapped[str] = mapped_column(String(16))
    profile: Mapped[str | None] = mapped_column(String(64))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), index=True)
    tz: Mapped[str | None] = mapped_column(String(64))
    tz_from_slack: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """`tz` is the one Slack gives them (the org file gives none), so it follows theirs; else it is the file's."""
    email_from_slack: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """`email` is the one Slack gives them (the org file gives none), so it follows theirs; else it is the file's."""
    slack_guest: Mapped[bool | None] = mapped_column(Boolean)
    """Slack shows them as a guest (`is_restricted`), not a member: no employee of ours. None: Slack not asked yet."""
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    in_directory: Mapped[bool] = mapped_column(Boolean, default=True)
    left_slack_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When Slack deactivated them while active here (None: it did not, or they came back in Slack)."""
    slack_change_sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When Slack sent the last `user_change` of theirs the directory followed (its `event_ts`, on Slack's clock only);
    None: none yet. One Slack sent before it (a late retry, one delivered out of order) is old news
    (services/departures.py)."""
    slack_changes_followed: Mapped[int] = mapped_column(Integer, default=0, server_default=text("0"))
    """How many changes of theirs Slack told of or showed (events and reads of `users.info`) the directory followed: a
    read during which this moved was overtaken by a change followed meanwhile (services/departures.py)."""
    slack_checked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When a listing found them out of step and Slack last answered a read of how it shows them (`users.info`): one
    read since the listing began is enough, whatever it changed (services/missed_departures.py)."""
    home_opened_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When they last opened the app's Home tab (None: not since this was recorded): it was on then, which a Home
    Slack refused from a batch taken earlier does not contradict (services/home_tab.py)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())

    team: Mapped[Team | None] = relationship(lazy="joined")
    manager: Mapped["Employee | None"] = relationship(remote_side=[id], lazy="joined", join_depth=1)

    @property
    def boundary_profile(self) -> str:
        """The empowerment-boundary profile: the directory's `profile`, else the role."""
        return self.profile or self.role

    @property
    def team_name(self) -> str:
        return self.team.name if self.team else ""
