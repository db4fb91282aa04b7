"""On-the-spot fixes for customers, judged against the policy version in force."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime
from models.employee import Employee
from models.policy import Money

RESOLUTION_STATUSES = ("within", "pending", "approved", "declined")
CUSTOMER_OUTCOMES = ("happy", "neutral", "unhappy")


class Resolution(Base):
    __tablename__ = "resolutions"
    __table_args__ = (
        CheckConstraint("amount >= 0", name="amount"),
        CheckConstraint("status IN ('within', 'pending', 'approved', 'declined')", name="status"),
        CheckConstraint("customer_outcome IN ('happy', 'neutral', 'unhappy')", name="outcome"),
        Index("ix_resolutions_employee_created", "employee_id", "created_at"),
        Index("ix_resolutions_workspace_created", "workspace_id", "created_at"),
        # A customer's fixes by anyone, by the reference as compared (services/resolutions/customers.customer_key).
        Index("ix_resolutions_customer", "workspace_id", "customer_key", "created_at"),
        # Pending requests oldest first: a workspace's (App Home, digest, handover); every workspace's not yet
        # escalated (reminders: escalated ones nobody decides stay pending, and must not be walked each run).
        Index("ix_resolutions_waiting", "workspace_id", "status", "created_at"),
        Index("ix_resolutions_due", "status", "escalated_at", "created_at"),
        # An admin's App Home: the pending requests sent to them, oldest first, and their count.
        Index("ix_resolutions_decider_waiting", "decider_id", "status", "created_at"),
        # A manager's App Home: the pending requests of their reports (with those sent to them, by decider).
        Index("ix_resolutions_employee_waiting", "employee_id", "status", "workspace_id"),
        # The requests approved in a week, whenever logged: the digest counts an approved amount in that week.
        Index("ix_resolutions_approved", "workspace_id", "status", "decided_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    policy_version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"))
    category: Mapped[str] = mapped_column(String(64))
    amount: Mapped[Decimal] = mapped_column(Money)
    currency: Mapped[str] = mapped_column(String(3))
    customer_ref: Mapped[str | None] = mapped_column(String(100))
    customer_key: Mapped[str | None] = mapped_column(String(100))
    """The reference as compared: `Order #1234`, `order 1234` and `1234` are one customer."""
    summary: Mapped[str] = mapped_column(Text)
    customer_outcome: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    exceeded: Mapped[str | None] = mapped_column(Text)
    profile: Mapped[str | None] = mapped_column(String(64))
    """The boundary profile the request was checked against (empty only in rows written outside the bot)."""
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())
    day_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    month_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """When the day and the month it was logged in end on its giver's clock of that moment: it counts toward their
    daily and monthly limits until then, whatever time zone they set afterwards (null: logged before 0030)."""
    manager_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    """The giver's manager when it was logged: the fix stays in that manager's digest (and those above them) after
    its giver moves to another team (null: logged before 0033, or by someone with no manager)."""
    decider_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    decided_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    decline_reason: Mapped[str | None] = mapped_column(Text)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    escalated_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    held_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    """Its next reminder or escalation, due in the night of everyone it goes to, is not looked at again before this
    (their first morning), unless people or the policy changed since (`held_under`): services/follow_ups.py."""
    held_under: Mapped[int | None] = mapped_column(Integer)
    """The workspace's `config_version` when `held_until` was worked out."""
    request_channel: Mapped[str | None] = mapped_column(String(32))
    request_ts: Mapped[str | None] = mapped_column(String(32))

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id], lazy="joined")
    decider: Mapped[Employee | None] = relationship(foreign_keys=[decider_id])
    decided_by: Mapped[Employee | None] = relationship(foreign_keys=[decided_by_id])


class ResolutionManager(Base):
    """A manager above a fix's giver when it was logged, at any level: the fix stays in each one's weekly digest after
    the giver, or a team lead above them, moves under someone else. A fix logged before 0036 has none (the digest
    files it under `Resolution.manager_id` and the managers above that one now), and so has one by someone without a
    manager."""

    __tablename__ = "resolution_managers"

    resolution_id: Mapped[int] = mapped_column(ForeignKey("resolutions.id"), primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)
