"""Who is due an invitation or the one reminder of the open round, with the receipt that says so. Callers commit."""

from datetime import datetime, timedelta

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from models import Employee, PulseReceipt, PulseRound, Workspace
from services.pulse.openings import opens_for
from services.pulse.rounds import Invitation, invitable, open_round
from services.rows import insert_of


def due_invitations(session: Session, *, workspace: Workspace, now: datetime) -> list[Invitation]:
    """Everyone whose local hour has come and who was not asked yet: their receipt is written now.

    A tick overlapping this one (its leader lost the lock mid-tick) may write the same receipts: whoever writes a
    receipt first invites that person, and the other goes on without them.
    """
    pulse_round = open_round(session, workspace, shared_lock=True)  # no receipt goes to a round being sealed
    if pulse_round is None:
        return []
    asked = set(session.scalars(select(PulseReceipt.employee_id).where(PulseReceipt.round_id == pulse_round.id)))
    due = [
        person
        for person in invitable(session, workspace)
        if person.id not in asked and opens_for(pulse_round, person) <= now < pulse_round.closes_at
    ]
    written = _write_receipts(session, pulse_round, [person.id for person in due], now)
    return [Invitation(pulse_round, person) for person in due if person.id in written]


RECEIPTS_A_STATEMENT = 1000
"""Four parameters a receipt: well under what SQLite and PostgreSQL take in one statement."""


def _write_receipts(session: Session, pulse_round: PulseRound, people: list[int], now: datetime) -> set[int]:
    """The people whose receipt this wrote (not those another transaction wrote first)."""
    insert = insert_of(session.get_bind().dialect.name, PulseReceipt)
    written: set[int] = set()
    for start in range(0, len(people), RECEIPTS_A_STATEMENT):
        rows = [
            {"round_id": pulse_round.id, "employee_id": person, "invited_at": now, "answered": False}
            for person in people[start : start + RECEIPTS_A_STATEMENT]
        ]
        written.update(
            session.scalars(insert.values(rows).on_conflict_do_nothing().returning(PulseReceipt.employee_id))
        )
    return written


def due_reminders(session: Session, *, workspace: Workspace, now: datetime) -> list[Invitation]:
    """The one reminder, to those asked who have not answered, `reminder_hours` after they were asked: their own
    opening, or later when they were invited late."""
    pulse_round = open_round(session, workspace, shared_lock=True)  # no receipt goes to a round being sealed
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
    due = {}
    for receipt, person in session.execute(query):
        asked = max(opens_for(pulse_round, person), receipt.invited_at)  # late (joined since, or the bot was down)
        if asked + timedelta(hours=pulse_round.reminder_hours) <= now:
            due[receipt.id] = person
    reminded = _mark_reminded(session, list(due), now)
    return [
        Invitation(pulse_round, person, reminder=True) for receipt_id, person in due.items() if receipt_id in reminded
    ]


_MARK_REMINDED = (
    update(PulseReceipt)
    .where(PulseReceipt.id.in_(bindparam("receipts", expanding=True)))
    .where(PulseReceipt.answered.is_(False), PulseReceipt.reminded_at.is_(None))
    .values(reminded_at=bindparam("now"))
    .returning(PulseReceipt.id)
    .execution_options(synchronize_session=False)
)


def _mark_reminded(session: Session, receipts: list[int], now: datetime) -> set[int]:
    """The receipts this marked reminded: not one whose person answered (or another tick reminded) since it was read.
    An answer being saved holds its receipt, so this waits for it and then finds the person answered."""
    marked: set[int] = set()
    for start in range(0, len(receipts), RECEIPTS_A_STATEMENT):
        chunk = receipts[start : start + RECEIPTS_A_STATEMENT]
        marked.update(session.scalars(_MARK_REMINDED, {"receipts": chunk, "now": now}))
    return marked
