"""A Slack workspace (team), or a whole Enterprise Grid org installed org-wide: the scope of every other row."""

from datetime import datetime

from sqlalchemy import Boolean, Integer, String, false
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime


class Workspace(Base):
    """`slack_team_id` is the team id (T...) of a workspace install, or the enterprise id (E...) of an
    org-wide install, whose people, directory and policy are shared by all the org's workspaces."""

    __tablename__ = "workspaces"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_team_id: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    enterprise_id: Mapped[str | None] = mapped_column(String(32))
    org_wide: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    uninstalled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the app was uninstalled (or its tokens revoked): nothing is sent from then on; see `purge`."""
    migrating_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When Slack began migrating the workspace into an Enterprise Grid org (`grid_migration_started`): its messages
    wait until the migration is finished."""

    dms_off_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When Slack first refused a DM because the app's Messages tab is off (`messages_tab_disabled`): while set, no
    DM is sent but one try at `dms_retry_at` (services/messages_tab.py); cleared once one goes through."""
    dms_retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    homes_off_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When Slack first refused a Home because the app's Home tab is off (`not_enabled`): while set, no Home is queued
    to be published again (handlers/home_again.py); cleared when someone opens the Home tab, which is then on, or
    Slack takes a Home sent from the outbox (services/home_tab.py)."""

    managers_kept_since: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """From when its fixes and grants keep the managers above their people (None: always, a workspace added since):
    one made since with none kept was made by someone with no manager then, and counts for no manager's digest."""

    people_listed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When its people were last listed whole (`users.list`) to catch up on deactivations whose `user_change` was
    lost (services/missed_departures.py); None: not yet."""

    config_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    """Bumped in the same transaction as an org import, a policy load or a profile update: every process
    compares it with the copies it keeps of people and the policy (services/config_cache.py)."""

    @property
    def installed(self) -> bool:
        return self.uninstalled_at is None
