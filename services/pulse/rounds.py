"""Pulse rounds: open one (on the cadence, or now), invite each person at their local hour, remind once.
Closing (and sealing) is services/pulse/closing.py. Callers commit.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Employee, PulseQuestion, PulseReceipt, PulseRound, Workspace
from services import audit, directory
from services.errors import AlreadyDone, NotAllowed
from services.policy.pulse import BankQuestion, PulseSettings
from services.policy.versions import current_policy

ROUND_STARTERS = ("hr", "admin")
EARLIEST_OFFSET = timedelta(hours=14)  # UTC+14 (Kiribati) reaches a local hour first...
LATEST_SPREAD = timedelta(hours=26)  # ...and UTC-12 reaches it 26 hours later
UTC = ZoneInfo("UTC")


@dataclass(frozen=True)
class Invitation:
    round: PulseRound
    employee: Employee
    reminder: bool = False

    def outbox_key(self, workspace: Workspace) -> str:
        """Sent once per person per round (and once more as the reminder)."""
        kind = INVITATION_KINDS[1] if self.reminder else INVITATION_KINDS[0]
        return f"{invitation_key_prefix(workspace, self.round, kind)}{self.employee.slack_id}"


INVITATION_KINDS = ("pulse", "pulse-reminder")


def invitation_key_prefix(workspace: Workspace, pulse_round: PulseRound, kind: str) -> str:
    """The start of the outbox key every invitation (or reminder) of one round shares."""
    return f"{kind}:{workspace.slack_team_id}:{pulse_round.id}:"


def pulse_settings(session: Session, workspace: Workspace) -> PulseSettings:
    active = current_policy(session, workspace)
    return active.policy.pulse if active else PulseSettings()


def zone_of(employee: Employee) -> ZoneInfo:
    try:
        return ZoneInfo(employee.tz) if employee.tz else UTC
    except (ZoneInfoNotFoundError, ValueError):
        return UTC


def opens_for(pulse_round: PulseRound, employee: Employee) -> datetime:
    """When the round opens for this person: the round's local hour in their own time zone."""
    if pulse_round.local_time is None:
        return pulse_round.started_at
    local = datetime.combine(pulse_round.opens_on, time.fromisoformat(pulse_round.local_time), zone_of(employee))
    return max(local.astimezone(UTC), pulse_round.started_at)


def questions_for(number: int, settings: PulseSettings) -> list[BankQuestion]:
    """Round n asks the next `questions_per_round` questions of the bank, wrapping, so every question recurs."""
    bank, per_round = settings.bank, min(settings.questions_per_round, len(settings.bank))
    start = (number - 1) * per_round
    return [bank[(start + offset) % len(bank)] for offset in range(per_round)]


def open_round(session: Session, workspace: Workspace) -> PulseRound | None:
    return session.scalar(
        select(PulseRound).where(PulseRound.workspace_id == workspace.id, PulseRound.status == "open").limit(1)
    )


def start_round(
    session: Session, *, workspace: Workspace, by: Employee | None, actor: str, now: datetime
) -> PulseRound:
    """Open a round for everyone now (HR/admin, or the CLI when `by` is None)."""
    if by is not None and not by.active:
        raise NotAllowed(directory.NO_LONGER_ACTIVE)
    if by is not None and not directory.acts_as(by, ROUND_STARTERS):
        raise NotAllowed("Only HR or an admin can start a pulse round. Ask them, or wait for the next scheduled one.")
    settings = pulse_settings(session, workspace)
    return _create_round(
        session, workspace=workspace, settings=settings, opens_on=now.date(), local_time=None, actor=actor, now=now
    )


def open_scheduled_round(session: Session, *, workspace: Workspace, now: datetime) -> PulseRound | None:
    """Open the round the cadence says is due, once its local hour has come somewhere on Earth."""
    active = current_policy(session, workspace)
    if active is None or not active.policy.pulse.enabled:
        return None
    settings = active.policy.pulse
    day = scheduled_date(settings, (now + EARLIEST_OFFSET).date())
    earliest = datetime.combine(day, time.fromisoformat(settings.local_time), UTC) - EARLIEST_OFFSET
    if not earliest <= now < earliest + LATEST_SPREAD or open_round(session, workspace) is not None:
        return None
    last = session.scalar(select(func.max(PulseRound.opens_on)).where(PulseRound.workspace_id == workspace.id))
    if last is not None and (day - last).days < _min_gap_days(settings):
        return None
    return _create_round(
        session,
        workspace=workspace,
        settings=settings,
        opens_on=day,
        local_time=settings.local_time,
        actor="schedule",
        now=now,
    )


def scheduled_date(settings: PulseSettings, today: date) -> date:
    """The latest day on or before `today` on which the cadence opens a round."""
    back = (today.weekday() - settings.weekday_number) % 7
    day = today - timedelta(days=back)
    if settings.cadence != "monthly":
        return day
    first = _first_weekday(today.replace(day=1), settings.weekday_number)
    if first <= today:
        return first
    previous = (today.replace(day=1) - timedelta(days=1)).replace(day=1)
    return _first_weekday(previous, settings.weekday_number)


def _first_weekday(first_of_month: date, weekday: int) -> date:
    return first_of_month + timedelta(days=(weekday - first_of_month.weekday()) % 7)


def _min_gap_days(settings: PulseSettings) -> int:
    return {"weekly": 1, "biweekly": 8, "monthly": 8}[settings.cadence]


def _create_round(
    session: Session,
    *,
    workspace: Workspace,
    settings: PulseSettings,
    opens_on: date,
    local_time: str | None,
    actor: str,
    now: datetime,
) -> PulseRound:
    current = open_round(session, workspace)
    if current is not None:
        raise AlreadyDone(
            f"Pulse round {current.number} is already open (it closes {current.closes_at:%a %d %b %H:%M} UTC)."
        )
    number = (
        session.scalar(select(func.max(PulseRound.number)).where(PulseRound.workspace_id == workspace.id)) or 0
    ) + 1
    pulse_round = PulseRound(
        workspace_id=workspace.id,
        number=number,
        opens_on=opens_on,
        local_time=local_time,
        started_at=now,
        closes_at=now,
        open_hours=settings.open_hours,
        reminder_hours=settings.reminder_hours,
        anonymity_threshold=settings.anonymity_threshold,
        status="open",
        salt=secrets.token_hex(32),
        started_by=actor,
    )
    pulse_round.questions = [
        PulseQuestion(
            position=position,
            key=question.key,
            text=question.text,
            scale_min=question.scale_range[0],
            scale_max=question.scale_range[1],
            target=question.target,
        )
        for position, question in enumerate(questions_for(number, settings))
    ]
    people = _invitable(session, workspace)
    last_open = max([opens_for(pulse_round, person) for person in people], default=now)
    pulse_round.closes_at = last_open + timedelta(hours=settings.open_hours)
    try:
        with session.begin_nested():
            session.add(pulse_round)
    except IntegrityError:  # the same round number, opened by a simultaneous click or tick
        raise AlreadyDone("A pulse round was opened at this very moment; it is on its way.") from None
    audit.record(session, workspace=workspace, actor=actor, action="pulse.start", now=now, subject=f"round {number}")
    session.flush()
    return pulse_round


def _invitable(session: Session, workspace: Workspace) -> list[Employee]:
    return list(
        session.scalars(
            select(Employee).where(Employee.workspace_id == workspace.id, Employee.active).order_by(Employee.id)
        )
    )


def due_invitations(session: Session, *, workspace: Workspace, now: datetime) -> list[Invitation]:
    """Everyone whose local hour has come and who was not asked yet: their receipt is written now."""
    pulse_round = open_round(session, workspace)
    if pulse_round is None:
        return []
    asked = set(session.scalars(select(PulseReceipt.employee_id).where(PulseReceipt.round_id == pulse_round.id)))
    due = []
    for person in _invitable(session, workspace):
        if person.id not in asked and opens_for(pulse_round, person) <= now < pulse_round.closes_at:
            session.add(PulseReceipt(round_id=pulse_round.id, employee_id=person.id, invited_at=now, answered=False))
            due.append(Invitation(pulse_round, person))
    session.flush()
    return due


def due_reminders(session: Session, *, workspace: Workspace, now: datetime) -> list[Invitation]:
    """The one reminder, to those asked who have not answered, `reminder_hours` after they were asked: their own
    opening, or later when they were invited late."""
    pulse_round = open_round(session, workspace)
    if pulse_round is None:
        return []
    query = (
        select(PulseReceipt, Employee)
        .join(Employee, Employee.id == PulseReceipt.employee_id)
        .where(
            PulseReceipt.round_id == pulse_round.id,
            PulseReceipt.answered.is_(False),
            PulseReceipt.reminded_at.is_(None),
            Employee.active,
        )
        .order_by(Employee.id)
    )
    due = []
    for receipt, person in session.execute(query):
        asked = max(opens_for(pulse_round, person), receipt.invited_at)  # late (joined since, or the bot was down)
        if asked + timedelta(hours=pulse_round.reminder_hours) <= now:
            receipt.reminded_at = now
            due.append(Invitation(pulse_round, person, reminder=True))
    session.flush()
    return due


@dataclass(frozen=True)
class RoundProgress:
    number: int
    closes_at: datetime
    invited: int
    answered: int
    reminded: int


def round_progress(session: Session, *, workspace: Workspace) -> RoundProgress | None:
    """Counts for the open round (how many, never who answered what)."""
    pulse_round = open_round(session, workspace)
    if pulse_round is None:
        return None
    receipts = list(session.scalars(select(PulseReceipt).where(PulseReceipt.round_id == pulse_round.id)))
    return RoundProgress(
        number=pulse_round.number,
        closes_at=pulse_round.closes_at,
        invited=len(receipts),
        answered=sum(r.answered for r in receipts),
        reminded=sum(r.reminded_at is not None for r in receipts),
    )
