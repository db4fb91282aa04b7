"""Pulse ticks: open the scheduled round, invite each person at their local hour, remind once, close.

Invitations and reminders are outbox rows keyed per person per round, written in the same
transaction as the receipt that says the person was asked: a crash mid-way resumes without a duplicate.
"""

from slack_sdk import WebClient
from sqlalchemy import select

from handlers.blocks import pulse as blocks
from handlers.deps import Deps
from handlers.jobs import drain_outbox
from models import Workspace
from services import outbox
from services.pulse import rounds as pulse_rounds
from services.pulse.answers import MyRound
from services.pulse.rounds import Invitation


def run_pulse_rounds(deps: Deps, client: WebClient) -> None:
    """The scheduled tick: every step for every workspace, each in its own transaction, then send."""
    for workspace_id in _workspace_ids(deps):
        with deps.sessions.begin() as session:
            workspace = session.get_one(Workspace, workspace_id)
            pulse_rounds.close_due_rounds(session, workspace=workspace, now=deps.now())
        with deps.sessions.begin() as session:
            workspace = session.get_one(Workspace, workspace_id)
            pulse_rounds.open_scheduled_round(session, workspace=workspace, now=deps.now())
        queue_invitations(deps, workspace_id)
    drain_outbox(deps, client)


def queue_invitations(deps: Deps, workspace_id: int) -> int:
    """Write the due invitations and reminders (with their receipts) to the outbox; returns how many."""
    with deps.sessions.begin() as session:
        workspace = session.get_one(Workspace, workspace_id)
        now = deps.now()
        due = pulse_rounds.due_invitations(session, workspace=workspace, now=now)
        due += pulse_rounds.due_reminders(session, workspace=workspace, now=now)
        for invitation in due:
            outbox.enqueue(
                session,
                workspace=workspace,
                key=_key(workspace, invitation),
                method="chat.postMessage",
                payload=_payload(invitation),
                now=now,
            )
    return len(due)


def _key(workspace: Workspace, invitation: Invitation) -> str:
    kind = "pulse-reminder" if invitation.reminder else "pulse"
    return f"{kind}:{workspace.slack_team_id}:{invitation.round.id}:{invitation.employee.slack_id}"


def _payload(invitation: Invitation) -> dict[str, object]:
    # Nobody invited or reminded has answered yet, so the message asks every question.
    message = blocks.questions_message(MyRound(invitation.round, {}, False), reminder=invitation.reminder)
    return {"channel": invitation.employee.slack_id, **message}


def _workspace_ids(deps: Deps) -> list[int]:
    with deps.sessions() as session:
        return list(session.scalars(select(Workspace.id).order_by(Workspace.id)))
