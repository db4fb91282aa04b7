"""Peer nominations and the reward grants they become: the reward history HR exports."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime
from models.employee import Employee
from models.policy import Money

NOMINATION_STATUSES = ("pending", "approved", "declined", "revoked")
GRANT_STATUSES = ("approved", "fulfilled", "revoked")
REWARD_KINDS = ("praise", "voucher", "time_off", "award", "gift")
PUBLIC_NOT_REVOKED = "public AND status <> 'revoked'"


class Nomination(Base):
    """One person recognising one colleague; a tangible reward waits for its approver."""

    __tablename__ = "nominations"
    __table_args__ = (
        CheckConstraint("value >= 0", name="value"),
        CheckConstraint("status IN ('pending', 'approved', 'declined', 'revoked')", name="status"),
        CheckConstraint("nominator_id <> nominee_id", name="not_self"),
        Index("ix_nominations_nominator_created", "nominator_id", "created_at"),
        # A reward's monthly most counts what still waits for its nominee, on /nominate and on approving.
        Index("ix_nominations_nominee_waiting", "nominee_id", "status", "created_at"),
        # The reminder tick and the hand-over of what waits on leavers read only the pending ones (it serves the
        # workspace's other reads too).
        Index("ix_nominations_waiting", "workspace_id", "status", "created_at"),
        # The App Home's list of those waiting on its reader's approval, oldest first, and their count.
        Index("ix_nominations_approver_waiting", "approver_id", "status", "created_at"),
        # Every /nominate and App Home counts the nominator's rewards still waiting for approval (those of this month
        # too): their range, not every nomination they ever made.
        Index("ix_nominations_nominator_waiting", "nominator_id", "status", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    nominator_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    nominee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    item_key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal] = mapped_column(Money)
    unit: Mapped[str] = mapped_column(String(8))
    needs_approval: Mapped[bool] = mapped_column(Boolean)
    reason: Mapped[str] = mapped_column(Text)
    resolution_id: Mapped[int | None] = mapped_column(ForeignKey("resolutions.id"))
    public: Mapped[bool] = mapped_column(Boolean, default=True)
    fingerprint: Mapped[str] = mapped_column(String(64), unique=True)
    status: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decline_reason: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When its approver was reminded, or was handed it after their predecessor's reminder (the hand-over's DM)."""
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When it went one level up for waiting too long (it goes up once from each approver)."""
    held_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """Its next reminder or escalation, due in its recipient's night, is not looked at again before this (their
    morning), unless people or the policy changed since (`held_under`): services/follow_ups.py."""
    held_under: Mapped[int | None] = mapped_column(Integer)
    """The workspace's `config_version` when `held_until` was worked out."""

    nominator: Mapped[Employee] = relationship(foreign_keys=[nominator_id], lazy="joined")
    nominee: Mapped[Employee] = relationship(foreign_keys=[nominee_id], lazy="joined")
    approver: Mapped[Employee | None] = relationship(foreign_keys=[approver_id])


class RewardGrant(Base):
    """An accepted nomination, shout-outs included (value 0): approved -> fulfilled | revoked."""

    __tablename__ = "reward_grants"
    __table_args__ = (
        CheckConstraint("value >= 0", name="value"),
        CheckConstraint("status IN ('approved', 'fulfilled', 'revoked')", name="status"),
        Index("ix_reward_grants_workspace_granted", "workspace_id", "granted_at"),
        Index("ix_reward_grants_recipient_granted", "recipient_id", "granted_at"),
        Index("ix_reward_grants_team_granted", "team_id", "granted_at"),
        # Every App Home counts what its reader gave this month: that month's range, not every grant they ever gave.
        Index("ix_reward_grants_nominator_granted", "nominator_id", "granted_at"),
        # Every App Home shows the workspace's latest public shout-outs: only those, however few are public.
        Index(
            "ix_reward_grants_public_latest",
            "workspace_id",
            "granted_at",
            "id",
            sqlite_where=text(PUBLIC_NOT_REVOKED),
            postgresql_where=text(PUBLIC_NOT_REVOKED),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    nomination_id: Mapped[int] = mapped_column(ForeignKey("nominations.id"), unique=True)
    recipient_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    """The recipient's team when granted: HR's export files the grant under it, wherever they work since."""
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    """The recipient's manager when granted, for the same reason."""
    nominator_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    approver_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    item_key: Mapped[str] = mapped_column(String(64))
    title: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(16))
    value: Mapped[Decimal] = mapped_column(Money)
    unit: Mapped[str] = mapped_column(String(8))
    reason: Mapped[str] = mapped_column(Text)
    resolution_id: Mapped[int | None] = mapped_column(ForeignKey("resolutions.id"))
    public: Mapped[bool] = mapped_column(Boolean)
    """Its nomination's, copied when granted (it never changes after): the App Home's latest read it by index. No
    default: a grant that forgot it would show a private shout-out on every Home (SQLite keeps 0058's `true`)."""
    status: Mapped[str] = mapped_column(String(16))
    granted_at: Mapped[datetime] = mapped_column(UTCDateTime())
    fulfilled_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fulfilled_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    revoke_reason: Mapped[str | None] = mapped_column(Text)

    nomination: Mapped[Nomination] = relationship()
    recipient: Mapped[Employee] = relationship(foreign_keys=[recipient_id], lazy="joined")
    nominator: Mapped[Employee] = relationship(foreign_keys=[nominator_id], lazy="joined")
    approver: Mapped[Employee | None] = relationship(foreign_keys=[approver_id])


GRANT_SIDES = ("received", "given")


class GrantManager(Base):
    """A manager above a grant's recipient (`received`) or its nominator (`given`) when it was granted, at any level:
    the grant stays in each one's weekly digest after either person, or a team lead above them, moves under someone
    else. A grant made before 0036 has none (the digest files what was received under `RewardGrant.manager_id` and
    the managers above that one now, and what was given under the nominator's managers now)."""

    __tablename__ = "grant_managers"
    __table_args__ = (CheckConstraint("side IN ('received', 'given')", name="side"),)

    grant_id: Mapped[int] = mapped_column(ForeignKey("reward_grants.id"), primary_key=True)
    side: Mapped[str] = mapped_column(String(8), primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)
