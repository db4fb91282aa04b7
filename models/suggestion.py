"""Suggestions from the people who do the work, who backed them, and boundary proposals drawn from the fixes.

An anonymous suggestion keeps no person: `author_id` is NULL; `author_token` is a keyed hash only the
running bot can reproduce (so the author's own `/suggest list` finds it) and `author_seal` is their
Slack id encrypted with a per-workspace key held in the settings, not in the database (so the bot can
tell them about status changes). A database reader can turn neither into a name.
"""

from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime
from models.employee import Employee, Team
from models.policy import Money

SUGGESTION_STATUSES = ("open", "under_review", "planned", "done", "not_doing")
CLOSED_STATUSES = ("done", "not_doing")
PROPOSAL_KINDS = ("raise", "declines")
PROPOSAL_STATUSES = ("proposed", "applied", "noted")


class Suggestion(Base):
    __tablename__ = "suggestions"
    __table_args__ = (
        CheckConstraint("status IN ('open', 'under_review', 'planned', 'done', 'not_doing')", name="status"),
        CheckConstraint(
            "(anonymous AND author_id IS NULL AND author_token IS NOT NULL AND resolution_id IS NULL)"
            " OR (NOT anonymous AND author_id IS NOT NULL AND author_token IS NULL AND author_seal IS NULL)",
            name="author",
        ),
        CheckConstraint(
            "(release_at IS NULL AND number IS NOT NULL) OR (release_at IS NOT NULL AND number IS NULL)", name="number"
        ),
        UniqueConstraint("workspace_id", "number"),
        Index("ix_suggestions_owner_status", "owner_id", "status", "closed_at"),
        Index("ix_suggestions_workspace_created", "workspace_id", "created_at"),
        Index("ix_suggestions_nomination", "nomination_id"),
    )

    # Drawn at random for an anonymous idea (services/suggestions/numbers.py): in order, it would say when it was sent.
    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    # The #N people see and type, given when it is shown: at once for a named idea, on release for an anonymous one.
    number: Mapped[int | None] = mapped_column(Integer)
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), index=True)
    author_token: Mapped[str | None] = mapped_column(String(64), index=True)
    author_seal: Mapped[str | None] = mapped_column(Text)
    # The author's manager when they wrote it, followed as an import moves the team (services/suggestions/teams.py):
    # who lists its team's ideas and holds an anonymous one.
    team_manager_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    # The team it came from, kept whoever leads it since: its channel, and whom "you said, we did" tells. A named
    # idea's is its author's; an anonymous one's the group its author hid in (their manager's team, which the crowd
    # check made theirs), NULL for a manager without a team on file, whose reports leading nobody are that group.
    # Indexed: deleting a team (a workspace purge, an import merging two spellings) checks nothing still points at it,
    # and an import moves a renamed team's ideas by it.
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    category: Mapped[str | None] = mapped_column(String(64))
    what: Mapped[str] = mapped_column(Text)
    why: Mapped[str | None] = mapped_column(Text)
    resolution_id: Mapped[int | None] = mapped_column(ForeignKey("resolutions.id"))
    status: Mapped[str] = mapped_column(String(16), default="open")
    reason: Mapped[str | None] = mapped_column(Text)
    change: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime())
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    nomination_id: Mapped[int | None] = mapped_column(ForeignKey("nominations.id"))
    # An anonymous idea held back until this random moment (services/suggestions/release.py); NULL once released.
    release_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), index=True)

    author: Mapped[Employee | None] = relationship(foreign_keys=[author_id], lazy="joined")
    owner: Mapped[Employee] = relationship(foreign_keys=[owner_id], lazy="joined")
    team_manager: Mapped[Employee | None] = relationship(foreign_keys=[team_manager_id])
    team: Mapped[Team | None] = relationship()
    backers: Mapped[list["SuggestionBacker"]] = relationship(
        order_by="SuggestionBacker.id", lazy="selectin", back_populates="suggestion"
    )

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED_STATUSES

    @property
    def is_released(self) -> bool:
        """Sent to its owner (and channel): before, nobody but its author may see it."""
        return self.release_at is None


class SuggestionBacker(Base):
    """A colleague who said "me too" (named: backing is public)."""

    __tablename__ = "suggestion_backers"
    __table_args__ = (UniqueConstraint("suggestion_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    suggestion_id: Mapped[int] = mapped_column(ForeignKey("suggestions.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())

    suggestion: Mapped[Suggestion] = relationship(back_populates="backers")
    employee: Mapped[Employee] = relationship(lazy="joined")


class BoundaryProposal(Base):
    """One month's evidence for one profile and category, and (kind `raise`) a new per-incident limit to apply."""

    __tablename__ = "boundary_proposals"
    __table_args__ = (
        UniqueConstraint("workspace_id", "month", "profile", "category"),
        CheckConstraint("kind IN ('raise', 'declines')", name="kind"),
        CheckConstraint("status IN ('proposed', 'applied', 'noted', 'dismissed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    month: Mapped[str] = mapped_column(String(7))
    profile: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64))
    kind: Mapped[str] = mapped_column(String(16))
    basis_version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"))
    current_limit: Mapped[Decimal | None] = mapped_column(Money)
    proposed_limit: Mapped[Decimal | None] = mapped_column(Money)
    evidence: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    applied_version_id: Mapped[int | None] = mapped_column(ForeignKey("policy_versions.id"))
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    dismissed_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    dismissed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    applied_by: Mapped[Employee | None] = relationship(foreign_keys=[applied_by_id])
    dismissed_by: Mapped[Employee | None] = relationship(foreign_keys=[dismissed_by_id])
