"""Pulse rounds: open one (now, or for the cadence: services/pulse/schedule.py), invite each person at their local
hour (services/pulse/invitations.py), remind once. Closing (and sealing) is services/pulse/closing.py. Callers commit.
"""

import secrets
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, delete, exists, func, literal, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import Delivery, Employee, PulseQuestion, PulseReceipt, PulseRound, Workspace
from services import audit, directory
from services.calendar import moment_words, zone
from services.errors import AlreadyDone, NotAllowed
from services.policy.pulse import BankQuestion, PulseSettings
from services.policy.versions import current_policy
from services.pulse.openings import local_opening
from services.rereading import as_now
from services.unlisted import org_file_imported, refused_by_role

ROUND_STARTERS = ("hr", "admin")
STARTERS_ONLY = "Only HR or an admin can start a pulse round. Ask them, or wait for the next scheduled one."
ALREADY_OPEN_NOW = "A pulse round is already open: another one was opened at this very moment, and it is on its way."
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


def anonymous_dm_key_prefix(workspace: Workspace, round_id: int) -> str:
    """Where a DM to someone anonymous in this round waits (an error told after their comment), its recipient
    sealed: deleted, sent or not, when the round is sealed."""
    return f"pulse-anonymous:{workspace.slack_team_id}:{round_id}:"


def open_for_anonymous_dm(session: Session, *, workspace: Workspace, round_id: int) -> bool:
    """Whether the round is still open, its row locked until the caller commits: a seal meanwhile waits, and then
    deletes what was queued under `anonymous_dm_key_prefix`."""
    pulse_round = session.get(PulseRound, round_id, with_for_update=True, populate_existing=True)
    return pulse_round is not None and pulse_round.workspace_id == workspace.id and pulse_round.status == "open"


def pulse_settings(session: Session, workspace: Workspace) -> PulseSettings:
    active = current_policy(session, workspace)
    return active.policy.pulse if active else PulseSettings()


def zone_of(employee: Employee) -> ZoneInfo:
    return zone(employee.tz)


def questions_for(number: int, settings: PulseSettings) -> list[BankQuestion]:
    """Round n asks the next `questions_per_round` questions of the bank, wrapping, so every question recurs."""
    bank, per_round = settings.bank, min(settings.questions_per_round, len(settings.bank))
    start = (number - 1) * per_round
    return [bank[(start + offset) % len(bank)] for offset in range(per_round)]


def open_round(session: Session, workspace: Workspace, *, shared_lock: bool = False) -> PulseRound | None:
    """`shared_lock`: under the lock answers take; a close in progress holds the round, so this waits for the close
    to commit and PostgreSQL then finds the round no longer open."""
    found = select(PulseRound).where(PulseRound.workspace_id == workspace.id, PulseRound.status == "open").limit(1)
    return session.scalar(found.with_for_update(read=True) if shared_lock else found)


NOBODY_LISTED = (
    "Nobody is in the org directory yet, so a pulse round would ask nobody: import the org file first "
    "(`python -m bot org import FILE.csv`), then start the round. Nothing was opened."
)


def start_round(
    session: Session, *, workspace: Workspace, by: Employee | None, actor: str, now: datetime
) -> PulseRound:
    """Open a round for everyone now (HR/admin, or the CLI when `by` is None), as `by` is now (read again: demoted or
    deactivated since they were read, they no longer may)."""
    by = as_now(session, by) if by is not None else None
    if by is not None and not by.active:
        raise NotAllowed(directory.NO_LONGER_ACTIVE)
    if by is not None and not directory.acts_as(by, ROUND_STARTERS):
        raise refused_by_role(by, what="Starting a pulse round", refusal=STARTERS_ONLY)
    if not org_file_imported(session, workspace.id):
        raise NotAllowed(NOBODY_LISTED)
    return create_round(
        session,
        workspace=workspace,
        settings=pulse_settings(session, workspace),
        opens_on=day_of(by, now),
        local_time=None,
        actor=actor,
        now=now,
        reader_tz=by.tz if by is not None else None,
    )


class RoundOpen(AlreadyDone):
    """A round is open already: `closes_at` says until when, for a caller that tells a round still running (what
    was asked holds) from one past its end that the tick has not closed yet (the bot may not be running)."""

    def __init__(self, current: PulseRound, tz: str | None) -> None:
        closes = moment_words(current.closes_at, tz, deadline=True)
        super().__init__(f"Pulse round {current.number} is already open (it closes {closes}).")
        self.number = current.number
        self.closes_at = current.closes_at


def _refuse_if_open(session: Session, workspace: Workspace, tz: str | None) -> None:
    """One round at a time; the refusal says when the open one closes on the reader's clock."""
    current = open_round(session, workspace)
    if current is not None:
        raise RoundOpen(current, tz)


def day_of(starter: Employee | None, now: datetime) -> date:
    """The day a round opened by hand counts as (for the cadence's gap to the next scheduled round): the starter's
    own date, as scheduled rounds' days are people's own dates; UTC's from the command line, which has no person."""
    return now.astimezone(zone_of(starter) if starter is not None else UTC).date()


def due_window(day: date, local_time: str) -> tuple[datetime, datetime]:
    """From when `local_time` on `day` comes first somewhere on Earth until it has come everywhere."""
    starts = datetime.combine(day, time.fromisoformat(local_time), UTC) - EARLIEST_OFFSET
    return starts, starts + LATEST_SPREAD


def opened_late(pulse_round: PulseRound) -> bool:
    """A scheduled round opened after its local hour had come everywhere: nothing opened it while it was due."""
    if pulse_round.local_time is None:
        return False
    return pulse_round.started_at >= due_window(pulse_round.opens_on, pulse_round.local_time)[1]


def create_round(
    session: Session,
    *,
    workspace: Workspace,
    settings: PulseSettings,
    opens_on: date,
    local_time: str | None,
    actor: str,
    now: datetime,
    late: dict[str, str] | None = None,
    reader_tz: str | None = None,
) -> PulseRound:
    """The round, its questions and its audit line (saying why, when it opened `late`); closing when the last
    person's opening is `open_hours` behind. AlreadyDone if a round is open (saying when it closes on the clock of
    `reader_tz`, UTC by default) or was opened at this very moment."""
    _refuse_if_open(session, workspace, reader_tz)
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
    people = invitable(session, workspace)
    last_open = max([local_opening(pulse_round, person) for person in people], default=now)
    pulse_round.closes_at = last_open + timedelta(hours=settings.open_hours)
    try:
        with session.begin_nested():
            session.add(pulse_round)
    except IntegrityError:  # another round opened by a simultaneous click or tick: the same number, or a second open
        raise AlreadyDone(ALREADY_OPEN_NOW) from None
    subject = f"round {number}" if late is None else f"round {number} (opened late)"
    audit.record(
        session, workspace=workspace, actor=actor, action="pulse.start", now=now, subject=subject, details=late
    )
    session.flush()
    return pulse_round


def replies_open(pulse_round: PulseRound, now: datetime) -> bool:
    """Whether a closed round's comments still take replies (services/pulse/relay.py): until its relay ends,
    `relay_days` after close (0: never). A round closed before relays had an end kept none."""
    return pulse_round.relay_ends_at is not None and now < pulse_round.relay_ends_at


def round_starters(session: Session, workspace: Workspace) -> list[Employee]:
    """Who may open or close a round by hand (HR and admins), to be told when a scheduled one opened late."""
    return invitable(session, workspace, ROUND_STARTERS)


def invitable(session: Session, workspace: Workspace, roles: tuple[str, ...] | None = None) -> list[Employee]:
    """Everyone active in the workspace but the guests the org file leaves out, and those it leaves out whom Slack was
    not yet asked about (only those holding one of `roles`, if given): `openings.asked_by_rounds` of each."""
    people = select(Employee).where(
        Employee.workspace_id == workspace.id,
        Employee.active,
        or_(Employee.in_directory, Employee.slack_guest.is_(False)),
    )
    if roles is not None:
        people = people.where(Employee.role.in_(roles))
    return list(session.scalars(people.order_by(Employee.id)))


@dataclass(frozen=True)
class RoundProgress:
    number: int
    closes_at: datetime
    invited: int
    answered: int
    reminded: int
    late_from: date | None = None  # the day a scheduled round was due, when it opened late


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
        late_from=pulse_round.opens_on if opened_late(pulse_round) else None,
    )


def unask_undelivered(session: Session, workspace: Workspace) -> None:
    """The open round's invitations and reminders still queued, about to be dropped unsent (an uninstall): they are
    forgotten, and their people count as not asked, or not reminded, so that the round asks them (under the same
    outbox keys) once the app is back."""
    pulse_round = open_round(session, workspace)
    if pulse_round is None:
        return
    invited, reminded = (_undelivered(workspace, pulse_round, kind) for kind in INVITATION_KINDS)
    unanswered = (PulseReceipt.round_id == pulse_round.id, PulseReceipt.answered.is_(False))
    session.execute(delete(PulseReceipt).where(*unanswered, PulseReceipt.employee_id.in_(invited)))
    not_reminded = update(PulseReceipt).values(reminded_at=None)
    session.execute(not_reminded.where(*unanswered, PulseReceipt.employee_id.in_(reminded)))
    for kind in INVITATION_KINDS:
        prefix = invitation_key_prefix(workspace, pulse_round, kind)
        session.execute(
            delete(Delivery).where(
                Delivery.workspace_id == workspace.id,
                Delivery.status == "pending",
                Delivery.idempotency_key.startswith(prefix, autoescape=True),
            )
        )


def _undelivered(workspace: Workspace, pulse_round: PulseRound, kind: str) -> Select[int]:
    """The people whose message of this kind for the round is still queued (its key ends with their Slack id)."""
    key = literal(invitation_key_prefix(workspace, pulse_round, kind)) + Employee.slack_id
    queued = (Delivery.idempotency_key == key, Delivery.status == "pending")
    return select(Employee.id).where(Employee.workspace_id == workspace.id, exists().where(*queued))
