"""Loaded policy files, every version kept, and the boundaries derived from each."""

from datetime import datetime
from decimal import Decimal

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, UTCDateTime

Money = Numeric(14, 2)


class PolicyVersion(Base):
    __tablename__ = "policy_versions"
    __table_args__ = (UniqueConstraint("workspace_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64))
    loaded_by: Mapped[str] = mapped_column(String(64))
    loaded_at: Mapped[datetime] = mapped_column(UTCDateTime())


class Boundary(Base):
    __tablename__ = "boundaries"
    __table_args__ = (
        UniqueConstraint("policy_version_id", "profile", "category"),
        CheckConstraint("per_incident >= 0 AND per_day >= 0 AND per_month >= 0", name="limits"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    policy_version_id: Mapped[int] = mapped_column(ForeignKey("policy_versions.id"), index=True)
    profile: Mapped[str] = mapped_column(String(64))
    category: Mapped[str] = mapped_column(String(64))
    description: Mapped[str] = mapped_column(String(500), default="")
    per_incident: Mapped[Decimal | None] = mapped_column(Money)
    per_day: Mapped[Decimal | None] = mapped_column(Money)
    per_month: Mapped[Decimal | None] = mapped_column(Money)
    per_customer_30d: Mapped[Decimal | None] = mapped_column(Money)
    requires_customer_ref: Mapped[bool] = mapped_column(Boolean, default=False)
    currency: Mapped[str] = mapped_column(String(3))
