"""Pulse polls: rounds, their questions, anonymous answers and comments, and who was asked / answered.

Answers and comments never carry the person. While a round is open its `salt` turns a person into
an opaque respondent hash (so a changed answer replaces the old one). Closing the round seals it
(services/pulse/closing.py): answers become counts per cell of the groups the anonymity rule shows,
receipts become turnout counts, comments and relays are rewritten in a canonical order, and the salt
is erased. After that nothing in any column, shared value, timestamp or row order ties an answer or a
comment to a person; the relay's author tags, readable only with a key the database does not hold,
are deleted `relay_days` after close.
"""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, UTCDateTime

ROUND_STATUSES = ("open", "closed")


class PulseRound(Base):
    __tablename__ = "pulse_rounds"
    __table_args__ = (
        UniqueConstraint("workspace_id", "number"),
        CheckConstraint("status IN ('open', 'closed')", name="status"),
        CheckConstraint("reminder_hours < open_hours", name="reminder"),
        # One open round per workspace, even when two starts (a click and the schedule) commit at once.
        Index(
            "uq_pulse_rounds_one_open",
            "workspace_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    opens_on: Mapped[date] = mapped_column(Date)
    # "HH:MM" in each person's own time zone; NULL: the round opened for everyone at `started_at`.
    local_time: Mapped[str | None] = mapped_column(String(5))
    started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    closes_at: Mapped[datetime] = mapped_column(UTCDateTime())
    open_hours: Mapped[int] = mapped_column(Integer)
    reminder_hours: Mapped[int] = mapped_column(Integer)
    anonymity_threshold: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(8), default="open")
    salt: Mapped[str | None] = mapped_column(String(64))
    started_by: Mapped[str] = mapped_column(String(64))
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When replies to this round's comments stop and the relay's author tags are deleted.
    relay_ends_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    questions: Mapped[list["PulseQuestion"]] = relationship(
        order_by="PulseQuestion.position", lazy="selectin", back_populates="round"
    )


class PulseQuestion(Base):
    """A question as it was asked in one round (a copy from the bank, so later edits change nothing)."""

    __tablename__ = "pulse_questions"
    __table_args__ = (
        UniqueConstraint("round_id", "key"),
        CheckConstraint("scale_min < scale_max", name="scale"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    key: Mapped[str] = mapped_column(String(64))
    text: Mapped[str] = mapped_column(String(300))
    scale_min: Mapped[int] = mapped_column(Integer)
    scale_max: Mapped[int] = mapped_column(Integer)
    target: Mapped[float | None] = mapped_column(Float)

    round: Mapped[PulseRound] = relationship(back_populates="questions")

    @property
    def scale(self) -> tuple[int, int]:
        """Lowest and highest answer: a key asked on another scale in another round is another measure."""
        return self.scale_min, self.scale_max

    @property
    def is_nps(self) -> bool:
        return self.scale == (0, 10)


class PulseResponse(Base):
    """One answer while the round is open. No person: `respondent` is a hash only the round's salt reproduces.

    Closing the round turns these rows into `PulseTally` counts and deletes them.
    """

    __tablename__ = "pulse_responses"
    __table_args__ = (UniqueConstraint("question_id", "respondent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("pulse_questions.id"))
    respondent: Mapped[str] = mapped_column(String(64))
    value: Mapped[int] = mapped_column(Integer)


class PulseTurnout(Base):
    """A closed round's invited and answered counts for one cell: a group the anonymity rule shows, less the
    shown groups inside it. `group_manager_id` is that group's manager (NULL: the whole organisation)."""

    __tablename__ = "pulse_turnouts"
    __table_args__ = (UniqueConstraint("round_id", "group_manager_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id"), index=True)
    group_manager_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    invited: Mapped[int] = mapped_column(Integer)
    answered: Mapped[int] = mapped_column(Integer)


class PulseCellGroup(Base):
    """A closed round's reporting tree as it was when it closed: each group then (`cell_leader_id`, its manager:
    the key its cell's counts are filed under when the rule showed it) and each group enclosing it, itself
    included (`group_manager_id`). Results are read through it, never through today's org, so a lead who moves
    since takes nothing of their old team's answers to their new manager."""

    __tablename__ = "pulse_cell_groups"

    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id"), primary_key=True)
    cell_leader_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)
    group_manager_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), primary_key=True)


class PulseTally(Base):
    """A closed round's answers as counts: how many in one cell gave `value` to a question. No rows, no order."""

    __tablename__ = "pulse_tallies"
    __table_args__ = (
        UniqueConstraint("question_id", "group_manager_id", "value"),
        CheckConstraint("answers > 0", name="answers"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("pulse_questions.id"))
    group_manager_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"))
    value: Mapped[int] = mapped_column(Integer)
    answers: Mapped[int] = mapped_column(Integer)


class PulseRelay(Base):
    """The one way back from a comment to its author, for relayed replies; never shown to anyone.

    `author_tag` is an HMAC of the author under a key derived from the app's secret, never stored here:
    the bot finds the author by recomputing it, a reader of the database cannot. Deleted `relay_days`
    after the round closes.
    """

    __tablename__ = "pulse_relays"

    handle: Mapped[str] = mapped_column(String(32), primary_key=True)
    workspace_id: Mapped[int] = mapped_column(ForeignKey("workspaces.id"), index=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id"), index=True)
    author_tag: Mapped[str] = mapped_column(String(64))


class PulseComment(Base):
    """An optional comment, stored like an answer: no person, a relay handle, and once the round has
    closed the cell it counts in (`group_manager_id`, like `PulseTurnout`); NULL while open."""

    __tablename__ = "pulse_comments"
    __table_args__ = (UniqueConstraint("round_id", "respondent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id"), index=True)
    # The author's hash under the open round's salt; NULL once the round has closed.
    respondent: Mapped[str | None] = mapped_column(String(64))
    group_manager_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    relay_handle: Mapped[str | None] = mapped_column(ForeignKey("pulse_relays.handle"))


class PulseReply(Base):
    """A manager's reply to a comment: which manager gets the author's answer back. The texts are not kept.

    Deleted when the round's replies end (or when Slack would not deliver it), so its id is drawn at random below zero
    (services/unordered_ids.py): a counted one would leave a gap among the replies kept, dating it."""

    __tablename__ = "pulse_replies"

    id: Mapped[int] = mapped_column(primary_key=True)
    comment_id: Mapped[int] = mapped_column(ForeignKey("pulse_comments.id"), index=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("employees.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime())


class PulseReceipt(Base):
    """Who was asked in the open round and whether they answered (for reminders), not what.

    Closing the round turns them into `PulseTurnout` counts and deletes them.
    """

    __tablename__ = "pulse_receipts"
    __table_args__ = (UniqueConstraint("round_id", "employee_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = mapped_column(ForeignKey("pulse_rounds.id"), index=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employees.id"), index=True)
    invited_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # A flag, not a time: when someone answered could be matched against the order answers were stored.
    answered: Mapped[bool] = mapped_column(Boolean, default=False)
    reminded_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
