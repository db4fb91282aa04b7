"""Who works in which workspace of a Grid org whose app is installed org-wide, as Slack listed them (`users.list`)."""

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class OrgMember(Base):
    """Someone Slack listed among the people of one of the org's workspaces (`team_id`), learnt from a whole listing
    while the org-wide install reached that workspace. Used only when Slack removes workspaces from the install, to
    tell who worked only there; a person of the directory is not required to have a row."""

    __tablename__ = "org_members"

    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    slack_id: Mapped[str] = mapped_column(String(32), primary_key=True)
