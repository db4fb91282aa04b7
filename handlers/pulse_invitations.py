"""Pulse invitations and reminders as outbox rows, keyed per person per round: for the tick and `/pulse start`;
and HR's notice of a round that opened late.

They are written in the same transaction as the receipt that says the person was asked, so a crash
mid-way resumes without a duplicate; the background sender does the fan-out.
"""

from datetime import datetime

from sqlalchemy.orm import Session

from handlers.blocks import pulse as blocks
from models import PulseRound, Workspace
from services import outbox
from services.pulse import invitations as pulse_invitations
from services.pulse import rounds as pulse_rounds
from services.pulse.answers import MyRound
from services.pulse.rounds import Invitation


def queue_invitations(session: Session, *, workspace: Workspace, now: datetime) -> int:
    """Write the due invitations and reminders (with their receipts) to the outbox; returns how many."""
    due = pulse_invitations.due_invitations(session, workspace=workspace, now=now)
    due += pulse_invitations.due_reminders(session, workspace=workspace, now=now)
    for invitation in due:
        outbox.enqueue(
            session,
            workspace=workspace,
            key=invitation.outbox_key(workspace),
            method="chat.postMessage",
            payload=_payload(invitation),
            now=now,
        )
    return len(due)


def queue_late_notices(session: Session, *, workspace: Workspace, pulse_round: PulseRound, now: datetime) -> None:
    """Tell HR and admins that a scheduled round opened late, and why: once each per round."""
    for person in pulse_rounds.round_starters(session, workspace):
        message = blocks.late_round_notice(pulse_round, person.tz)
        outbox.enqueue(
            session,
            workspace=workspace,
            key=f"pulse-late:{workspace.slack_team_id}:{pulse_round.id}:{person.slack_id}",
            method="chat.postMessage",
            payload={"channel": person.slack_id, **message},
            now=now,
        )


def _payload(invitation: Invitation) -> dict[str, object]:
    # Nobody invited or reminded has answered yet, so the message asks every question.
    mine, reader = MyRound(invitation.round, {}, False), invitation.employee
    message = blocks.questions_message(mine, tz=reader.tz, reminder=invitation.reminder)
    return {"channel": invitation.employee.slack_id, **message}
